"""Staff's admin pages of issue 22 in Chromium, as the demo's superuser uses them: the message log offers no delete
and sends again with a reason, the participants' status filters and "remind now", each workshop's status per
participant, its questionnaire preview, and the import page's template and format."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-password-1"


@pytest.fixture
def running(django_user_model):
    """A superuser (as the demo's staff user) and a workshop under way: invited three days ago, due in ten; one
    participant replied, one opted out, two have not replied."""
    from surveys.mail.sending import run_pass
    from surveys.models import Response, Status
    from workshops.models import MemberAdministration, Participant, Workshop

    django_user_model.objects.create_user("staff", "s@example.org", PASSWORD, is_staff=True, is_superuser=True)
    today = timezone.localdate()
    workshop = Workshop.objects.create(
        code="W-22",
        title="WCO Regional Workshop on Risk Management",
        scope="regional",
        start_date=today - dt.timedelta(days=200),
        end_date=today - dt.timedelta(days=198),
        invitation_date_override=today - dt.timedelta(days=3),
        due_date_override=today + dt.timedelta(days=10),
    )
    administration, _ = MemberAdministration.objects.get_or_create(code="FJ", defaults={"name": "Fiji"})
    people = {
        name: Participant.objects.create(
            workshop=workshop, name=name, email=f"{name.lower()}@customs.example.org", administration=administration
        )
        for name in ("Replier", "Opted", "Silent", "Quiet")
    }
    run_pass(timezone.now(), in_process=True)
    Response.objects.create(participant=people["Replier"], status=Status.SUBMITTED, submitted_at=timezone.now())
    people["Opted"].opted_out_at = timezone.now()
    people["Opted"].save()
    mail.outbox.clear()
    return workshop, people


def signed_in(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "staff")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def listed_names(page) -> set[str]:
    return set(page.locator("#result_list tbody th a").all_inner_texts())


def test_participants_by_status_and_remind_now_in_the_browser(page, live_server, running):
    workshop, _ = running
    signed_in(page, live_server)
    page.goto(live_server.url + reverse("admin:workshops_participant_changelist"))
    page.get_by_role("link", name="not replied").first.click()
    page.wait_for_url("**reply=not-replied**")
    assert listed_names(page) == {"Opted", "Silent", "Quiet"}
    page.locator("#action-toggle").check()
    page.select_option("select[name=action]", "remind_now")
    page.click("button[name=index]")
    page.locator("#reminded").wait_for()
    assert set(page.locator("#reminded tbody td:first-child").all_inner_texts()) == {"Silent", "Quiet"}
    assert "Opted: opted out of e-mail (or erased)" in page.locator("#not-reminded").inner_text()
    assert mail.outbox == []
    page.click("input[value='Yes, remind them now']")
    page.locator(".messagelist").wait_for()
    assert "A reminder goes out to 2 participants." in page.locator(".messagelist").inner_text()
    assert sorted(m.to[0] for m in mail.outbox) == ["quiet@customs.example.org", "silent@customs.example.org"]
    page.goto(live_server.url + reverse("admin:workshops_participant_changelist") + "?mail=reminded")
    assert listed_names(page) == {"Silent", "Quiet"}
    # The workshop's page: each participant's reply and mail state, and the questionnaire's preview in French.
    page.goto(live_server.url + reverse("admin:workshops_workshop_change", args=[workshop.pk]))
    rows = page.locator("#participants-group tbody tr.form-row").all_inner_texts()
    assert any("Replier" in row or "replied" in row for row in rows)
    text = page.locator("#participants-group").inner_text()
    assert "not replied" in text and "opted out" in text and "reminded" in text
    page.get_by_role("link", name="Preview in français").click()
    page.locator("#preview-notice").wait_for()
    assert "Aperçu pour le personnel" in page.locator("#preview-notice").inner_text()
    assert page.locator("button[type=submit][disabled]").count() == 2


def test_the_message_log_has_no_delete_and_sends_again_with_a_reason(page, live_server, running):
    _, people = running
    from surveys.models import Message, MessageKind

    signed_in(page, live_server)
    page.goto(live_server.url + reverse("admin:surveys_message_changelist"))
    options = page.locator("select[name=action] option").all_inner_texts()
    assert not any("Delete" in option for option in options)
    invitation = Message.objects.get(participant=people["Silent"], kind=MessageKind.INVITATION)
    page.goto(live_server.url + reverse("admin:surveys_message_delete", args=[invitation.pk]))
    assert "403" in page.title() or "Forbidden" in page.content()
    page.goto(live_server.url + reverse("admin:surveys_message_changelist") + f"?q={people['Silent'].email}")
    page.locator("#action-toggle").check()
    page.select_option("select[name=action]", "send_again")
    page.click("button[name=index]")
    page.locator("#sent-again").wait_for()
    page.click("input[value='Yes, send them again']")  # no reason: the browser asks for one, nothing is sent
    assert page.locator("#id_reason:invalid").count() == 1 and page.locator("#sent-again").count() == 1
    assert mail.outbox == [] and not Message.objects.filter(kind=MessageKind.AGAIN).exists()
    page.fill("#id_reason", "The participant asked: the first went to spam")
    page.click("input[value='Yes, send them again']")
    page.locator(".messagelist").wait_for()
    assert [m.to[0] for m in mail.outbox] == ["silent@customs.example.org"]
    again = Message.objects.get(kind=MessageKind.AGAIN)
    assert (again.resent_of, again.reason) == (invitation, "The participant asked: the first went to spam")


def test_the_import_page_offers_the_template_and_the_format(page, live_server, running):
    signed_in(page, live_server)
    page.goto(live_server.url + reverse("admin:workshops_workshop_import"))
    with page.expect_download() as download:
        page.get_by_role("link", name="Template workbook", exact=False).first.click()
    assert download.value.suggested_filename == "rocbap-import-template.xlsx"
    page.get_by_role("link", name="The import format").click()
    page.locator("#import-format").wait_for()
    assert "Sheet `responses`" in page.locator("#import-format").inner_text()
