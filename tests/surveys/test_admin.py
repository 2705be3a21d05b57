"""Staff's view of the message log and the two actions: send invitations now, send the link again."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from surveys.mail.sending import run_pass
from surveys.models import Message, MessageStatus
from surveys.questionnaire.schedule import schedule_for
from tests.helpers import INVITATION, at
from tests.surveys.mail_backends import FailingBackend

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(workshop_factory, participant_factory):
    w = workshop_factory()
    for code in ("FJ", "PG"):
        participant_factory(workshop=w, administration=code)
    return w


def test_failed_filter_shows_the_smtp_error(staff_client, workshop, settings):
    settings.EMAIL_BACKEND = "tests.surveys.mail_backends.FailingBackend"
    broken = workshop.participants.first()
    FailingBackend.failures = {broken.email: [smtplib.SMTPRecipientsRefused({broken.email: (550, b"No such user")})]}
    try:
        run_pass(at(INVITATION), in_process=True)
    finally:
        FailingBackend.failures = {}
    page = staff_client.get(reverse("admin:surveys_message_changelist") + "?status__exact=failed")
    assert page.status_code == 200
    assert [m.participant for m in page.context["cl"].result_list] == [broken]
    assert "550 No such user" in page.content.decode()
    everything = staff_client.get(
        reverse("admin:surveys_message_changelist") + f"?participant__workshop__id__exact={workshop.pk}"
    )
    assert everything.context["cl"].result_count == 2


def test_participant_page_shows_its_messages(staff_client, workshop):
    run_pass(at(INVITATION), in_process=True)
    participant = workshop.participants.first()
    page = staff_client.get(reverse("admin:workshops_participant_change", args=[participant.pk]))
    assert page.status_code == 200
    assert "Invitation" in page.content.decode() and participant.email in page.content.decode()


def test_send_invitations_now_asks_first_and_sends_exactly_what_it_announced(
    staff_client, workshop, workshop_factory, participant_factory, django_capture_on_commit_callbacks
):
    from surveys.models import Response, Status

    recent = workshop_factory(
        end_date=timezone.localdate() - dt.timedelta(days=10), start_date=timezone.localdate() - dt.timedelta(days=12)
    )
    replied = participant_factory(workshop=workshop, administration="WS")
    Response.objects.create(participant=replied, status=Status.SUBMITTED, submitted_at=timezone.now())
    changelist = reverse("admin:workshops_workshop_changelist")
    selection = {"action": "send_invitations_now", "_selected_action": [workshop.pk, recent.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        page = staff_client.post(changelist, selection)
    # The confirmation page: who gets what, when, due when. Nothing released, nothing sent.
    assert page.status_code == 200 and mail.outbox == []
    workshop.refresh_from_db()
    assert workshop.invitations_released_at is None and not Message.objects.exists()
    today = timezone.localdate()
    [line] = page.context["lines"]
    assert (line.workshop.pk, line.kind, line.count, line.day) == (workshop.pk, "invitation", 2, today)
    assert line.due == today + dt.timedelta(days=21)
    html = page.content.decode()
    assert "Yes, send these invitations" in html and f"{line.due:%Y-%m-%d}" in html

    # A due date in the past is refused, with the page shown again and nothing sent.
    with django_capture_on_commit_callbacks(execute=True):
        refused = staff_client.post(changelist, {**selection, "confirm": "yes", "due": f"{today:%Y-%m-%d}"})
    assert refused.status_code == 200 and "must be after today" in refused.content.decode() and mail.outbox == []

    # Another date than the one shown is shown first, with what it sends; nothing goes yet.
    chosen = today + dt.timedelta(days=30)
    shown = f"{line.due:%Y-%m-%d}"
    with django_capture_on_commit_callbacks(execute=True):
        again = staff_client.post(
            changelist, {**selection, "confirm": "yes", "due": f"{chosen:%Y-%m-%d}", "previewed": shown}
        )
    assert again.status_code == 200 and mail.outbox == []
    assert [line.due for line in again.context["lines"]] == [chosen]
    with django_capture_on_commit_callbacks(execute=True):  # work is enqueued only after commit
        response = staff_client.post(
            changelist,
            {**selection, "confirm": "yes", "due": f"{chosen:%Y-%m-%d}", "previewed": f"{chosen:%Y-%m-%d}"},
            follow=True,
        )
    assert response.status_code == 200 and "released" in response.content.decode()
    workshop.refresh_from_db()
    recent.refresh_from_db()
    assert workshop.invitations_released_at is not None and recent.invitations_released_at is None
    assert (schedule_for(workshop).due, schedule_for(workshop).invitation) == (chosen, today)
    # Without Redis the pass runs at once, in process: exactly the announced two, with the confirmed due date.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        workshop.participants.exclude(pk=replied.pk).values_list("email", flat=True)
    )
    assert all(f"{chosen.day} {chosen:%B %Y} (30 days from today)" in m.body for m in mail.outbox)


def test_send_the_link_again_may_repeat(staff_client, workshop, django_capture_on_commit_callbacks):
    participant = workshop.participants.first()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            staff_client.post(
                reverse("admin:workshops_participant_changelist"),
                {"action": "send_link_again", "_selected_action": [participant.pk]},
            )
    assert [m.to for m in mail.outbox] == [[participant.email]] * 2
    assert f"/r/{participant.token}/" in mail.outbox[0].body
    assert Message.objects.filter(participant=participant, kind="link", status=MessageStatus.SENT).count() == 2


def change_data(workshop, **changes) -> dict:
    """The workshop's change form as the browser posts it (the participants inline left as it is)."""
    data = {
        "code": workshop.code,
        "title": workshop.title,
        "scope": workshop.scope,
        "start_date": f"{workshop.start_date:%Y-%m-%d}",
        "end_date": f"{workshop.end_date:%Y-%m-%d}",
        "venue": workshop.venue,
        "mode": workshop.mode,
        "surveyed": "on",
        "invitation_date_override": "",
        "due_date_override": "",
        "feedback_date_override": "",
        "participants-TOTAL_FORMS": "0",
        "participants-INITIAL_FORMS": "0",
        "_save": "Save",
    }
    data.update(changes)
    return data


def test_new_dates_that_make_messages_due_are_confirmed_before_they_are_saved(
    staff_client, workshop, participant_factory
):
    from surveys.models import Response, Status

    replied = participant_factory(workshop=workshop, administration="WS")
    Response.objects.create(participant=replied, status=Status.SUBMITTED, submitted_at=timezone.now())
    today = timezone.localdate()
    url = reverse("admin:workshops_workshop_change", args=[workshop.pk])
    data = change_data(workshop, invitation_date_override=f"{today:%Y-%m-%d}")
    page = staff_client.post(url, data)
    assert page.status_code == 200 and "Yes, save and send them" in page.content.decode()
    [line] = page.context["lines"]
    assert (line.kind, line.count, line.day, line.due) == ("invitation", 2, today, today + dt.timedelta(days=21))
    workshop.refresh_from_db()
    assert workshop.invitation_date_override is None  # nothing saved ...
    run_pass(timezone.now(), in_process=True)
    assert mail.outbox == [] and not Message.objects.exists()  # ... and nothing sent

    saved = staff_client.post(url, {**data, "_messages_confirmed": "yes"})
    assert saved.status_code == 302
    workshop.refresh_from_db()
    assert workshop.invitation_date_override == today
    run_pass(timezone.now(), in_process=True)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        workshop.participants.exclude(pk=replied.pk).values_list("email", flat=True)
    )


def test_changes_that_make_nothing_due_are_saved_at_once(staff_client, workshop):
    url = reverse("admin:workshops_workshop_change", args=[workshop.pk])
    later = timezone.localdate() + dt.timedelta(days=40)
    response = staff_client.post(url, change_data(workshop, invitation_date_override=f"{later:%Y-%m-%d}"))
    assert response.status_code == 302
    renamed = staff_client.post(url, change_data(workshop, title="Renamed workshop"))
    assert renamed.status_code == 302
    workshop.refresh_from_db()
    assert workshop.title == "Renamed workshop"


def test_a_message_is_shown_as_it_was_sent_without_claim_fields(staff_client, workshop):
    run_pass(at(INVITATION), in_process=True)
    message = Message.objects.filter(status=MessageStatus.SENT).first()
    [email] = [m for m in mail.outbox if m.to == [message.to_email]]
    assert message.body == email.body and message.subject == email.subject
    page = staff_client.get(reverse("admin:surveys_message_change", args=[message.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert email.subject in html and f"/r/{message.participant.token}/" in html and "<pre>Dear " in html
    assert "claimed_until" not in html and 'name="claim"' not in html and "Claim" not in html


def test_participants_added_to_a_workshop_whose_invitation_is_due_are_confirmed_first(staff_client, workshop):
    from workshops.models import MemberAdministration

    today = timezone.localdate()
    workshop.invitation_date_override = today
    workshop.save()
    run_pass(timezone.now(), in_process=True)  # the two registered already are invited
    mail.outbox.clear()
    url = reverse("admin:workshops_workshop_change", args=[workshop.pk])
    data = change_data(
        workshop,
        invitation_date_override=f"{today:%Y-%m-%d}",
        **{
            "participants-TOTAL_FORMS": "1",
            "participants-0-name": "Late Registrant",
            "participants-0-email": "late@example.org",
            "participants-0-administration": str(MemberAdministration.objects.get(code="TO").pk),
        },
    )
    page = staff_client.post(url, data)
    assert page.status_code == 200, page.content.decode()[:3000]
    [line] = page.context["lines"]
    assert (line.kind, line.count) == ("invitation", 1)
    assert not workshop.participants.filter(email="late@example.org").exists()
    saved = staff_client.post(url, {**data, "_messages_confirmed": "yes"})
    assert saved.status_code == 302
    run_pass(timezone.now(), in_process=True)
    assert [m.to for m in mail.outbox] == [["late@example.org"]]


def test_a_new_workshop_whose_invitations_are_due_is_confirmed_before_it_is_added(staff_client):
    from surveys.questionnaire.schedule import add_months
    from workshops.models import MemberAdministration, Workshop

    today = timezone.localdate()
    end = add_months(today, -6) - dt.timedelta(days=1)  # its invitation day was yesterday: within the catch-up
    new = Workshop(
        code="NEW-1", title="A new workshop", scope="regional", start_date=end, end_date=end, mode="in-person"
    )
    administration = str(MemberAdministration.objects.get(code="TO").pk)
    data = change_data(
        new,
        **{
            "participants-TOTAL_FORMS": "2",
            "participants-0-name": "Ana",
            "participants-0-email": "ana@example.org",
            "participants-0-administration": administration,
            "participants-1-name": "Ben",
            "participants-1-email": "ben@example.org",
            "participants-1-administration": administration,
        },
    )
    url = reverse("admin:workshops_workshop_add")
    page = staff_client.post(url, data)
    assert page.status_code == 200, page.content.decode()[:3000]
    assert "Yes, add it and send them" in page.content.decode()
    [line] = page.context["lines"]
    assert (line.kind, line.count, line.day) == ("invitation", 2, today)
    assert not Workshop.objects.filter(code="NEW-1").exists()  # nothing saved ...
    run_pass(timezone.now(), in_process=True)
    assert mail.outbox == [] and not Message.objects.exists()  # ... and nothing sent

    saved = staff_client.post(url, {**data, "_messages_confirmed": "yes"})
    assert saved.status_code == 302
    assert Workshop.objects.get(code="NEW-1").participants.count() == 2
    run_pass(timezone.now(), in_process=True)
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "ben@example.org"]
    assert Message.objects.count() == line.count


def test_a_new_workshop_that_makes_nothing_due_is_added_at_once(staff_client):
    from workshops.models import Workshop

    later = timezone.localdate() + dt.timedelta(days=30)
    new = Workshop(
        code="NEW-2", title="Next month", scope="regional", start_date=later, end_date=later, mode="in-person"
    )
    response = staff_client.post(reverse("admin:workshops_workshop_add"), change_data(new))
    assert response.status_code == 302
    assert Workshop.objects.filter(code="NEW-2").exists()


# --- Past workbook imports (issue 12) ---------------------------------------------------------------------------


def test_past_imports_are_listed_newest_first_and_lead_to_their_page(staff_client, django_user_model):
    from surveys.models import ImportState, WorkbookImport

    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    old = WorkbookImport.objects.create(
        file_name="old.xlsx",
        started_by=clerk,
        state=ImportState.DONE,
        summary=["Workshops: 1 new, 0 updated, 0 unchanged", "Participants: 2 new, 0 updated, 0 unchanged"],
    )
    WorkbookImport.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=3))
    broken = WorkbookImport.objects.create(
        file_name="broken.xlsx",
        started_by=staff_client.user,
        state=ImportState.FAILED,
        errors=["participants!3 email: not a valid e-mail address: 'x'", "participants!4 name: required"],
        unlisted_errors=5,
    )
    page = staff_client.get(reverse("admin:surveys_workbookimport_changelist"))
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [broken, old]
    html = page.content.decode()
    assert reverse("admin:workshops_workshop_import_status", args=[broken.pk]) in html
    assert "7 errors, the first: participants!3 email: not a valid e-mail address" in html
    assert "Workshops: 1 new, 0 updated, 0 unchanged; Participants: 2 new" in html
    assert "clerk" in html and "Nothing imported" in html and "Imported" in html
    # An import's own page is its status page.
    change = staff_client.get(reverse("admin:surveys_workbookimport_change", args=[old.pk]))
    assert change.status_code == 302
    assert change["Location"] == reverse("admin:workshops_workshop_import_status", args=[old.pk])


def test_the_history_of_imports_is_read_only(staff_client):
    from surveys.models import ImportState, WorkbookImport

    job = WorkbookImport.objects.create(file_name="kept.xlsx", state=ImportState.DONE)
    listing = staff_client.get(reverse("admin:surveys_workbookimport_changelist"))
    assert "delete_selected" not in listing.content.decode()
    assert staff_client.get(reverse("admin:surveys_workbookimport_add")).status_code == 403
    assert staff_client.post(reverse("admin:surveys_workbookimport_delete", args=[job.pk])).status_code == 403
    staff_client.post(
        reverse("admin:surveys_workbookimport_changelist"),
        {"action": "delete_selected", "_selected_action": [job.pk], "post": "yes"},
    )
    assert WorkbookImport.objects.filter(pk=job.pk, file_name="kept.xlsx").exists()


def test_survey_managers_see_past_imports_and_report_viewers_do_not(client, django_user_model):
    from django.contrib.auth.models import Group

    from surveys.models import WorkbookImport
    from workshops.roles import REPORT_VIEWERS, SURVEY_MANAGERS

    WorkbookImport.objects.create(file_name="errors-quote-addresses.xlsx")
    listing = reverse("admin:surveys_workbookimport_changelist")
    manager = django_user_model.objects.create_user("manager", password="x", is_staff=True)
    manager.groups.add(Group.objects.get(name=SURVEY_MANAGERS))
    client.force_login(manager)
    assert "errors-quote-addresses.xlsx" in client.get(listing).content.decode()
    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    viewer.groups.add(Group.objects.get(name=REPORT_VIEWERS))
    client.force_login(viewer)
    assert client.get(listing).status_code == 403
