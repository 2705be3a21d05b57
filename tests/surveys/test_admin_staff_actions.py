"""Staff's hands on the mail (issue 22): the message log is a record, "send again" with its reason, who has not
replied at a glance (filters, the workshop's page, the export) and "remind now"."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from surveys.mail.sending import run_pass
from surveys.models import Message, MessageKind, MessageStatus, Response, Status
from surveys.questionnaire.schedule import schedule_for

pytestmark = pytest.mark.django_db

PARTICIPANTS = reverse("admin:workshops_participant_changelist")
MESSAGES = reverse("admin:surveys_message_changelist")


@pytest.fixture
def running(workshop_factory, participant_factory):
    """A workshop whose round is under way: invited three days ago, due in ten days; five participants: one
    replied, one with a draft, one opted out, one undeliverable, one who has not replied."""
    today = timezone.localdate()
    workshop = workshop_factory(
        start_date=today - dt.timedelta(days=200),
        end_date=today - dt.timedelta(days=198),
        invitation_date_override=today - dt.timedelta(days=3),
        due_date_override=today + dt.timedelta(days=10),
    )
    people = {
        name: participant_factory(workshop=workshop, name=name)
        for name in ("replier", "drafter", "opted", "bounced", "silent")
    }
    run_pass(timezone.now(), in_process=True)
    assert len(mail.outbox) == 5
    Response.objects.create(participant=people["replier"], status=Status.SUBMITTED, submitted_at=timezone.now())
    Response.objects.create(participant=people["drafter"], q1_manuals=True)
    people["opted"].opted_out_at = timezone.now()
    people["opted"].save()
    people["bounced"].undeliverable_since = timezone.now()
    people["bounced"].save()
    mail.outbox.clear()
    return workshop, people


def names(page) -> set[str]:
    return {participant.name for participant in page.context["cl"].result_list}


# --- the message log is a record ------------------------------------------------------------------------------


def test_nobody_deletes_or_edits_a_message_superusers_included(staff_client, running):
    assert staff_client.user.is_superuser
    message = Message.objects.first()
    listing = staff_client.get(MESSAGES)
    assert "delete_selected" not in listing.content.decode()
    assert "send_again" in listing.content.decode()
    assert staff_client.get(reverse("admin:surveys_message_delete", args=[message.pk])).status_code == 403
    deleted = staff_client.post(
        MESSAGES, {"action": "delete_selected", "_selected_action": [message.pk], "post": "yes"}
    )
    assert deleted.status_code in (200, 302) and Message.objects.filter(pk=message.pk).exists()
    page = staff_client.get(reverse("admin:surveys_message_change", args=[message.pk]))
    assert page.status_code == 200 and 'name="to_email"' not in page.content.decode()
    changed = staff_client.post(reverse("admin:surveys_message_change", args=[message.pk]), {"to_email": "x@y.org"})
    assert changed.status_code == 403
    message.refresh_from_db()
    assert message.to_email != "x@y.org"


def test_no_message_goes_with_its_participant_or_workshop_in_the_admin(staff_client, running):
    workshop, people = running
    silent = people["silent"]
    page = staff_client.post(reverse("admin:workshops_participant_delete", args=[silent.pk]), {"post": "yes"})
    assert page.status_code == 403 and silent.messages.exists()
    page = staff_client.post(reverse("admin:workshops_workshop_delete", args=[workshop.pk]), {"post": "yes"})
    assert page.status_code == 403 and Message.objects.filter(participant__workshop=workshop).count() == 5


# --- send again -------------------------------------------------------------------------------------------------


def send_again(client, messages, **data):
    return client.post(MESSAGES, {"action": "send_again", "_selected_action": [m.pk for m in messages], **data})


def test_send_again_asks_for_a_reason_and_sends_a_new_logged_message_once(
    staff_client, running, django_capture_on_commit_callbacks
):
    _, people = running
    original = Message.objects.get(participant=people["silent"], kind=MessageKind.INVITATION)
    page = send_again(staff_client, [original])
    assert page.status_code == 200 and "Send these messages again?" in page.content.decode()
    key = page.context["form"].initial["request_key"]
    # No reason: refused with the reason why, nothing sent.
    refused = send_again(staff_client, [original], confirm="yes", request_key=key, reason="  ")
    assert refused.status_code == 200 and refused.context["form"].errors["reason"]
    assert Message.objects.filter(kind=MessageKind.AGAIN).count() == 0 and mail.outbox == []
    for _ in range(2):  # the same page submitted twice
        with django_capture_on_commit_callbacks(execute=True):
            done = send_again(staff_client, [original], confirm="yes", request_key=key, reason="The first was lost")
        assert done.status_code == 302
    [again] = Message.objects.filter(kind=MessageKind.AGAIN)
    assert (again.resent_of, again.reason, again.status) == (original, "The first was lost", MessageStatus.SENT)
    assert [m.to for m in mail.outbox] == [[people["silent"].email]]
    assert f"/r/{people['silent'].token}/" in mail.outbox[0].body
    assert original.subject == mail.outbox[0].subject  # the invitation's text, as on the day it goes out


def test_send_again_obeys_who_may_be_mailed(staff_client, running, django_capture_on_commit_callbacks):
    _, people = running
    opted = Message.objects.get(participant=people["opted"], kind=MessageKind.INVITATION)
    replier = Message.objects.get(participant=people["replier"], kind=MessageKind.INVITATION)
    page = send_again(staff_client, [opted, replier])
    assert [m for m, _ in page.context["refused"]] == [opted]
    key = page.context["form"].initial["request_key"]
    with django_capture_on_commit_callbacks(execute=True):
        send_again(staff_client, [opted, replier], confirm="yes", request_key=key, reason="asked")
    # The replier's copy of an invitation is logged and skipped at send time (a reply stops invitations).
    assert mail.outbox == []
    assert not Message.objects.filter(kind=MessageKind.AGAIN, participant=people["opted"]).exists()
    assert Message.objects.get(kind=MessageKind.AGAIN, participant=people["replier"]).status == MessageStatus.SKIPPED


# --- who has not replied, at a glance --------------------------------------------------------------------------


def test_participants_filter_by_reply_and_mail_status(staff_client, running):
    _, people = running
    everyone = set(people)
    assert names(staff_client.get(PARTICIPANTS, {"reply": "replied"})) == {"replier"}
    assert names(staff_client.get(PARTICIPANTS, {"reply": "draft"})) == {"drafter"}
    assert names(staff_client.get(PARTICIPANTS, {"reply": "not-replied"})) == everyone - {"replier"}
    assert names(staff_client.get(PARTICIPANTS, {"mail": "invited"})) == everyone
    assert names(staff_client.get(PARTICIPANTS, {"mail": "opted-out"})) == {"opted"}
    assert names(staff_client.get(PARTICIPANTS, {"mail": "undeliverable"})) == {"bounced"}
    assert names(staff_client.get(PARTICIPANTS, {"mail": "reminded"})) == set()
    fy = people["silent"].workshop.fiscal_year
    both = staff_client.get(
        PARTICIPANTS,
        {
            "reply": "not-replied",
            "mail": "invited",
            "fy": fy,
            "administration__id__exact": people["silent"].administration_id,
        },
    )
    assert names(both) == everyone - {"replier"}
    html = staff_client.get(PARTICIPANTS).content.decode()
    assert "not replied" in html and "opted out" in html


def test_the_workshops_page_shows_each_participants_status(staff_client, running):
    workshop, _ = running
    html = staff_client.get(reverse("admin:workshops_workshop_change", args=[workshop.pk])).content.decode()
    for state in ("replied", "draft", "not replied", "opted out", "undeliverable", "invited"):
        assert f">{state}<" in html


def test_the_export_is_the_filtered_list_in_the_staff_users_language_and_formula_safe(
    staff_client, running, participant_factory
):
    workshop, _ = running
    participant_factory(workshop=workshop, name='=HYPERLINK("http://evil")')
    chosen = [p.pk for p in workshop.participants.all()]
    answer = staff_client.post(
        PARTICIPANTS + "?reply=not-replied",
        {"action": "export_participants", "_selected_action": chosen, "select_across": "1"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Code de l'atelier", "Atelier", "Exercice", "Nom")
    assert len(rows) == 1 + 5  # the filtered list: everyone but the replier, and the new one
    evil = next(row for row in rows if row[3].startswith("="))
    cell = next(
        c
        for c in sheet.iter_rows(min_row=rows.index(evil) + 1, max_row=rows.index(evil) + 1)
        for c in c
        if c.column == 4
    )
    assert cell.data_type == "s"
    assert {row[7] for row in rows[1:]} == {"brouillon", "sans réponse"}


# --- remind now -------------------------------------------------------------------------------------------------


def remind(client, participants, **data):
    return client.post(PARTICIPANTS, {"action": "remind_now", "_selected_action": [p.pk for p in participants], **data})


def test_remind_now_reminds_chosen_non_repliers_once_a_day(staff_client, running, django_capture_on_commit_callbacks):
    workshop, people = running
    chosen = list(people.values())
    page = remind(staff_client, chosen)
    assert page.status_code == 200
    assert {p.name for p in page.context["reminded"]} == {"drafter", "silent"}
    assert {p.name for p, _ in page.context["left_out"]} == {"replier", "opted", "bounced"}
    assert mail.outbox == [] and not Message.objects.filter(kind=MessageKind.REMIND_NOW).exists()
    for _ in range(2):  # a double submit
        with django_capture_on_commit_callbacks(execute=True):
            assert remind(staff_client, chosen, confirm="yes").status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people["drafter"].email, people["silent"].email])
    due = schedule_for(workshop).due
    assert all(f"{due.day} {due:%B %Y}" in m.body for m in mail.outbox)
    assert Message.objects.filter(kind=MessageKind.REMIND_NOW, status=MessageStatus.SENT).count() == 2
    again = remind(staff_client, chosen)
    assert again.context["reminded"] == []
    assert names(staff_client.get(PARTICIPANTS, {"mail": "reminded"})) == {"drafter", "silent"}
