"""A due date moved after participants were told one (issue 22): the plan says who was told which date, the
correction goes out with the confirmed change, and a reminder never names a date the participant was not told."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from surveys.mail.sending import run_pass
from surveys.models import Message, MessageKind, MessageStatus, Response, Status
from surveys.questionnaire.schedule import schedule_for
from tests.helpers import change_data

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


@pytest.fixture
def told(workshop_factory, participant_factory):
    """Invited today, due in 20 days; three participants told that date, one of whom replied since."""
    today = TODAY()
    workshop = workshop_factory(
        start_date=today - dt.timedelta(days=200),
        end_date=today - dt.timedelta(days=198),
        invitation_date_override=today,
        due_date_override=today + dt.timedelta(days=20),
    )
    people = [participant_factory(workshop=workshop) for _ in range(3)]
    run_pass(timezone.now(), in_process=True)
    assert set(Message.objects.values_list("due_named", flat=True)) == {today + dt.timedelta(days=20)}
    Response.objects.create(participant=people[0], status=Status.SUBMITTED, submitted_at=timezone.now())
    mail.outbox.clear()
    return workshop, people


def long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def test_moving_a_told_due_date_earlier_shows_who_was_told_what_and_sends_the_correction_once_confirmed(
    staff_client, told, django_capture_on_commit_callbacks
):
    workshop, people = told
    was, new = TODAY() + dt.timedelta(days=20), TODAY() + dt.timedelta(days=10)
    url = reverse("admin:workshops_workshop_change", args=[workshop.pk])
    data = change_data(
        workshop,
        invitation_date_override=f"{TODAY():%Y-%m-%d}",
        due_date_override=f"{new:%Y-%m-%d}",
    )
    page = staff_client.post(url, data)
    html = page.content.decode()
    assert page.status_code == 200 and "Yes, save and send them" in html
    correction = page.context["correction"]
    assert (correction.due_was, correction.due, correction.told, correction.count) == (was, new, [(was, 3)], 2)
    assert correction.earlier and "3 participants were told" in html
    assert f"the due date is now {long(new)}; it was {long(was)}" in html
    workshop.refresh_from_db()
    assert schedule_for(workshop).due == was and mail.outbox == []  # nothing saved, nothing sent

    with django_capture_on_commit_callbacks(execute=True):
        saved = staff_client.post(url, {**data, "_messages_confirmed": "yes"})
    assert saved.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people[1:])
    assert all(f"the due date is now {long(new)}; it was {long(was)}." in m.body for m in mail.outbox)
    corrections = Message.objects.filter(kind=MessageKind.CORRECTION, status=MessageStatus.SENT)
    assert corrections.count() == 2 and set(corrections.values_list("due_named", flat=True)) == {new}

    # The reminder names the date the correction told.
    mail.outbox.clear()
    run_pass(at(new - dt.timedelta(days=7)), in_process=True)
    assert len(mail.outbox) == 2 and all(long(new) in m.body for m in mail.outbox)


def test_a_reminder_never_names_a_date_the_participant_was_not_told(told):
    workshop, _ = told
    # The due date moved without the admin's confirmation (no correction went out).
    new = TODAY() + dt.timedelta(days=10)
    workshop.due_date_override = new
    workshop.save()
    run_pass(at(new - dt.timedelta(days=7)), in_process=True)
    assert mail.outbox == []
    skipped = Message.objects.filter(kind=MessageKind.REMINDER_1)
    assert skipped.count() == 2 and all(m.status == MessageStatus.SKIPPED for m in skipped)
    assert "told another due date" in skipped.first().error


def test_a_change_that_moves_no_told_date_needs_no_correction(staff_client, workshop_factory, participant_factory):
    workshop = workshop_factory(invitation_date_override=TODAY() + dt.timedelta(days=30))
    participant_factory(workshop=workshop)
    url = reverse("admin:workshops_workshop_change", args=[workshop.pk])
    later = TODAY() + dt.timedelta(days=60)
    saved = staff_client.post(
        url,
        change_data(
            workshop,
            invitation_date_override=f"{TODAY() + dt.timedelta(days=30):%Y-%m-%d}",
            due_date_override=f"{later:%Y-%m-%d}",
        ),
    )
    assert saved.status_code == 302 and not Message.objects.exists()
