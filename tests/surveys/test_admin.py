"""Staff's view of the message log and the two actions: send invitations now, send the link again."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from surveys.dispatch import run_pass
from surveys.models import Message, MessageStatus
from surveys.schedule import schedule_for
from tests.surveys.mail_backends import FailingBackend
from tests.surveys.test_dispatch import INVITATION, at

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

    chosen = today + dt.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):  # work is enqueued only after commit
        response = staff_client.post(
            changelist, {**selection, "confirm": "yes", "due": f"{chosen:%Y-%m-%d}"}, follow=True
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
