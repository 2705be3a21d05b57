"""Staff's view of the message log and the two actions: send invitations now, send the link again."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from surveys.dispatch import run_pass
from surveys.models import Message, MessageStatus
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


def test_send_invitations_now_releases_old_workshops_only(
    staff_client, workshop, workshop_factory, django_capture_on_commit_callbacks
):
    recent = workshop_factory(
        end_date=timezone.localdate() - dt.timedelta(days=10), start_date=timezone.localdate() - dt.timedelta(days=12)
    )
    with django_capture_on_commit_callbacks(execute=True):  # work is enqueued only after commit
        response = staff_client.post(
            reverse("admin:workshops_workshop_changelist"),
            {"action": "send_invitations_now", "_selected_action": [workshop.pk, recent.pk]},
            follow=True,
        )
    assert response.status_code == 200
    workshop.refresh_from_db()
    recent.refresh_from_db()
    assert workshop.invitations_released_at is not None  # invited in June 2020: long past the window
    assert recent.invitations_released_at is None
    # Without Redis the pass runs at once, in process.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(workshop.participants.values_list("email", flat=True))
    assert "released" in response.content.decode()


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
