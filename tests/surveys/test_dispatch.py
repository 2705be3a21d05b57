"""The dispatch pass with Django's in-memory mail: what is due goes out once, to the right people."""

import datetime as dt
import re
import smtplib
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from surveys.mail.sending import _finish, claim_batches, run_pass, send_batch
from surveys.models import Message, MessageStatus, Response, Status
from tests.helpers import DUE, FEEDBACK, INVITATION, REMINDER_1, REMINDER_2, at
from tests.surveys.mail_backends import FailingBackend
from workshops.models import MemberAdministration, Participant, Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_leftover_failures():
    yield
    FailingBackend.failures = {}


@pytest.fixture
def workshop(workshop_factory, participant_factory):
    w = workshop_factory()
    for code in ("FJ", "PG", "WS"):
        participant_factory(workshop=w, administration=code)
    return w


def reply(participant: Participant, on: dt.date = INVITATION) -> None:
    Response.objects.update_or_create(
        participant=participant, defaults={"status": Status.SUBMITTED, "submitted_at": at(on)}
    )


def sent(kind: str) -> list[str]:
    return sorted(Message.objects.filter(kind=kind, status=MessageStatus.SENT).values_list("to_email", flat=True))


def test_nothing_before_the_invitation_day(workshop):
    result = run_pass(at(INVITATION - dt.timedelta(days=1)), in_process=True)
    assert result.planned == 0 and mail.outbox == []


def test_invitations_go_out_once_each_with_the_personal_link(workshop):
    result = run_pass(at(INVITATION), in_process=True)
    assert result.outcome["sent"] == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(workshop.participants.values_list("email", flat=True))
    for participant in workshop.participants.all():
        [email] = [m for m in mail.outbox if m.to == [participant.email]]
        assert f"/r/{participant.token}/" in email.body
        assert workshop.title in email.subject
        assert "26 June 2020" in email.body and "21 days" in email.body
        html = email.alternatives[0][0]
        assert f"/r/{participant.token}/" in html and "List-Unsubscribe" in email.extra_headers
        assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # A second pass, later the same day and the next days: nothing more.
    run_pass(at(INVITATION, 15), in_process=True)
    run_pass(at(INVITATION + dt.timedelta(days=1)), in_process=True)
    assert len(mail.outbox) == 3
    assert Message.objects.count() == 3


def test_reminders_only_to_those_without_a_reply_and_with_the_days_left(workshop):
    run_pass(at(INVITATION), in_process=True)
    first, second, third = workshop.participants.order_by("pk")
    reply(first)
    Response.objects.create(participant=second, status=Status.DRAFT)  # a draft is not a reply
    mail.outbox.clear()
    run_pass(at(REMINDER_1), in_process=True)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([second.email, third.email])
    assert "7 days left" in mail.outbox[0].body
    run_pass(at(REMINDER_1 + dt.timedelta(days=1)), in_process=True)
    assert len(mail.outbox) == 2
    reply(second, on=REMINDER_1)
    mail.outbox.clear()
    run_pass(at(REMINDER_2), in_process=True)
    assert [m.to[0] for m in mail.outbox] == [third.email]
    assert "2 days left" in mail.outbox[0].body


def test_catch_up_sends_only_the_latest_reminder(workshop):
    run_pass(at(INVITATION), in_process=True)
    mail.outbox.clear()
    run_pass(at(REMINDER_2 + dt.timedelta(days=1)), in_process=True)  # the scheduler was down since 18 June
    assert len(mail.outbox) == 3
    assert set(Message.objects.exclude(kind="invitation").values_list("kind", flat=True)) == {"reminder-2"}
    assert "1 day left" in mail.outbox[0].body


def test_a_reply_after_planning_cancels_the_reminder(workshop):
    run_pass(at(INVITATION), in_process=True)
    from surveys.mail.sending import plan

    plan(at(REMINDER_1))
    reply(workshop.participants.first(), on=REMINDER_1)
    mail.outbox.clear()
    for claim in claim_batches():
        send_batch(claim, as_of=at(REMINDER_1))
    assert len(mail.outbox) == 2
    skipped = Message.objects.get(status=MessageStatus.SKIPPED)
    assert "replied" in skipped.error


def test_corrections_reach_later_messages(workshop):
    run_pass(at(INVITATION), in_process=True)
    participant = workshop.participants.first()
    participant.email = "corrected@example.org"
    participant.save()
    workshop.title = "WCO Regional Workshop on Corrected Titles"
    workshop.save()
    mail.outbox.clear()
    run_pass(at(REMINDER_1), in_process=True)
    assert "corrected@example.org" in [m.to[0] for m in mail.outbox]
    assert all("Corrected Titles" in m.subject for m in mail.outbox)


def test_opted_out_participants_receive_nothing(workshop):
    participant = workshop.participants.first()
    participant.opted_out_at = timezone.now()
    participant.save()
    run_pass(at(INVITATION), in_process=True)
    assert participant.email not in [m.to[0] for m in mail.outbox]
    assert len(mail.outbox) == 2


def test_old_invitations_wait_for_staff(workshop):
    late = INVITATION + dt.timedelta(days=15)
    run_pass(at(late), in_process=True)
    assert mail.outbox == []
    run_pass(at(INVITATION + dt.timedelta(days=14)), in_process=True)  # within the catch-up window
    assert len(mail.outbox) == 3


def test_released_invitations_go_out_after_the_window_with_a_fresh_due_date(
    workshop, django_capture_on_commit_callbacks
):
    from surveys.mail.actions import fresh_due_date, release_invitations

    released_on = dt.date(2022, 8, 10)  # 796 days after the invitation day
    with django_capture_on_commit_callbacks():  # the pass below runs as of the release day instead
        release_invitations(Workshop.objects.filter(pk=workshop.pk), fresh_due_date(released_on), at(released_on))
    run_pass(at(released_on), in_process=True)
    assert len(mail.outbox) == 3
    for email in mail.outbox:
        assert "31 August 2022 (21 days from today)" in email.body
        assert "Six months" not in email.body and "-" not in email.body.split("days from today")[0][-12:]
    mail.outbox.clear()
    run_pass(at(dt.date(2022, 8, 24)), in_process=True)  # the reminders follow the new due date
    assert len(mail.outbox) == 3 and all("7 days left" in m.body for m in mail.outbox)
    mail.outbox.clear()
    run_pass(at(dt.date(2022, 9, 1)), in_process=True)
    assert len(mail.outbox) == 3 and all(m.subject.startswith("Results") for m in mail.outbox)


def test_unsurveyed_workshops_are_left_alone(workshop):
    workshop.surveyed = False
    workshop.save()
    run_pass(at(INVITATION), in_process=True)
    assert mail.outbox == []


def test_the_log_keeps_each_message_as_it_was_sent(workshop):
    run_pass(at(INVITATION), in_process=True)
    assert len(mail.outbox) == 3
    for email in mail.outbox:
        row = Message.objects.get(to_email=email.to[0])
        assert (row.status, row.subject, row.body, row.error) == (MessageStatus.SENT, email.subject, email.body, "")
        assert (row.attempts, row.claim, row.claimed_until) == (1, "", None) and row.sent_at is not None


def test_a_skipped_message_keeps_the_text_it_was_sent_with_before(workshop):
    run_pass(at(INVITATION), in_process=True)
    row = Message.objects.first()
    # Sent before, planned again (an address corrected after a bounce), and no longer wanted when it goes out.
    Message.objects.filter(pk=row.pk).update(status=MessageStatus.PENDING)
    row.participant.opted_out_at = timezone.now()
    row.participant.save()
    assert run_pass(at(INVITATION), in_process=True).outcome == {"skipped": 1}
    skipped = Message.objects.get(pk=row.pk)
    assert skipped.status == MessageStatus.SKIPPED and "opted out" in skipped.error and skipped.body == row.body != ""


def test_a_claim_is_exclusive_until_its_lease_expires(workshop, settings):
    from surveys.mail.sending import plan

    plan(at(INVITATION))
    [claim] = claim_batches()
    assert claim_batches() == []  # a second pass finds nothing to claim
    # The worker holding the claim died: once the lease expired, another pass takes the rows over.
    Message.objects.update(claimed_until=timezone.now() - dt.timedelta(seconds=1))
    [other] = claim_batches()
    assert other != claim
    assert send_batch(claim, as_of=at(INVITATION))["sent"] == 0  # the dead worker's token no longer owns anything
    assert send_batch(other, as_of=at(INVITATION))["sent"] == 3
    assert len(mail.outbox) == 3


def query_plan(sql: str) -> str:
    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(explain + sql)
        return "\n".join(" ".join(map(str, row)) for row in cursor.fetchall())


def test_a_message_is_marked_by_its_key_while_a_pass_has_many_pending(workshop):
    """Between passes the log is all sent, and the database's statistics say so; a pass then makes thousands of
    rows pending at once. Marking each of them must not walk through all the others."""
    fiji = MemberAdministration.objects.get(code="FJ")
    participants = Participant.objects.bulk_create(
        Participant(workshop=workshop, name=f"P{n}", email=f"p{n}@example.org", administration=fiji)
        for n in range(3000)
    )
    Message.objects.bulk_create(
        Message(participant=p, kind="invitation", status=MessageStatus.SENT) for p in participants
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    Message.objects.bulk_create(Message(participant=p, kind="reminder-1") for p in participants[:2000])
    claim = claim_batches()[0]
    message = Message.objects.select_related("participant").filter(claim=claim).first()
    with CaptureQueriesContext(connection) as queries:
        _finish(message, claim, MessageStatus.SENT, subject="Reminder", body="Text")
    assert Message.objects.get(pk=message.pk).status == MessageStatus.SENT
    by_key = {"postgresql": "Index Scan using surveys_message_pkey", "sqlite": "USING INTEGER PRIMARY KEY"}
    assert by_key[connection.vendor] in query_plan(queries[-1]["sql"])


def test_a_claimed_message_is_pending(workshop):
    message = Message.objects.create(participant=workshop.participants.first(), kind="invitation")
    (claim,) = claim_batches()
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENT)  # the claim left on it
    assert Message.objects.filter(claim=claim, status=MessageStatus.PENDING).count() == 1


def test_batches_share_one_connection(workshop, settings):
    settings.EMAIL_BACKEND = "tests.surveys.mail_backends.FailingBackend"
    settings.SURVEY_BATCH_SIZE = 2
    FailingBackend.opens = 0
    result = run_pass(at(INVITATION), in_process=True)
    assert result.batches == 2 and FailingBackend.opens == 2
    assert len(mail.outbox) == 3


def test_transient_errors_are_retried_with_backoff_permanent_ones_marked_failed(workshop, settings):
    settings.EMAIL_BACKEND = "tests.surveys.mail_backends.FailingBackend"
    settings.SURVEY_RETRY_SECONDS = 60
    flaky, broken, fine = workshop.participants.order_by("pk")
    FailingBackend.failures = {
        flaky.email: [smtplib.SMTPRecipientsRefused({flaky.email: (451, b"4.3.0 Try again later")})],
        broken.email: [smtplib.SMTPRecipientsRefused({broken.email: (550, b"5.1.1 No such user")})],
    }
    result = run_pass(at(INVITATION), in_process=True)
    assert result.outcome == {"sent": 1, "retry": 1, "failed": 1}
    failed = Message.objects.get(participant=broken)
    assert failed.status == MessageStatus.FAILED and "550 5.1.1 No such user" in failed.error
    waiting = Message.objects.get(participant=flaky)
    assert waiting.status == MessageStatus.PENDING and waiting.attempts == 1 and "451" in waiting.error
    assert waiting.next_attempt_at > timezone.now() + dt.timedelta(seconds=55)
    run_pass(at(INVITATION), in_process=True)
    assert len(mail.outbox) == 1  # the backoff has not elapsed
    Message.objects.filter(pk=waiting.pk).update(next_attempt_at=timezone.now())
    run_pass(at(INVITATION), in_process=True)
    assert sent("invitation") == sorted([flaky.email, fine.email])
    assert Message.objects.get(participant=broken).status == MessageStatus.FAILED


def test_retries_stop_at_the_cap(workshop, settings):
    settings.EMAIL_BACKEND = "tests.surveys.mail_backends.FailingBackend"
    settings.SURVEY_RETRY_SECONDS = 0
    settings.SURVEY_MAX_ATTEMPTS = 3
    target = workshop.participants.first()
    FailingBackend.failures = {target.email: [smtplib.SMTPDataError(451, b"busy") for _ in range(5)]}
    for _ in range(4):
        run_pass(at(INVITATION), in_process=True)
    message = Message.objects.get(participant=target)
    assert message.status == MessageStatus.FAILED and message.attempts == 3
    assert "gave up after 3 attempts" in message.error


def test_an_unreachable_server_keeps_every_message_for_later(workshop, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    result = run_pass(at(INVITATION), in_process=True)
    assert result.outcome == {"retry": 3}
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.PENDING}


@pytest.mark.django_db(transaction=True)
def test_a_message_accepted_while_the_database_is_away_is_still_marked_sent(workshop, monkeypatch):
    """A PostgreSQL restart between the server's 250 and the row's UPDATE must not leave the row pending (a
    later pass would send it again): the worker waits for the database, within its lease."""
    from django.db import OperationalError

    from surveys.mail import sending as dispatch

    real_finish, outage = dispatch._finish, iter([True, True])

    def finish_while_the_database_restarts(message, claim, status, **fields):
        if status == MessageStatus.SENT and next(outage, False):
            raise OperationalError("terminating connection due to administrator command")
        return real_finish(message, claim, status, **fields)

    monkeypatch.setattr(dispatch, "_finish", finish_while_the_database_restarts)
    result = run_pass(at(INVITATION), in_process=True)
    assert result.outcome["sent"] == 3 and len(mail.outbox) == 3
    assert Message.objects.filter(status=MessageStatus.SENT).count() == 3
    assert claim_batches() == []  # nothing left for a later pass to send again


def test_command_runs_a_pass_as_of_another_moment(workshop):
    out = StringIO()
    call_command("dispatch_messages", "--now", "2020-06-05T09:00", stdout=out)
    assert "3 messages planned" in out.getvalue() and "sent 3" in out.getvalue()
    assert len(mail.outbox) == 3


@pytest.mark.parametrize("args", [["--now", "5 June 2020"], ["--now", "2020-06-05", "--loop", "5"], ["--loop", "0"]])
def test_command_refuses_bad_arguments(args):
    with pytest.raises(CommandError):
        call_command("dispatch_messages", *args)


def test_nobody_with_a_submitted_reply_is_invited_or_reminded(workshop):
    first, second, third = workshop.participants.order_by("pk")
    reply(first, on=INVITATION - dt.timedelta(days=30))  # e.g. imported from a paper form
    run_pass(at(INVITATION), in_process=True)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([second.email, third.email])
    mail.outbox.clear()
    run_pass(at(REMINDER_1), in_process=True)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([second.email, third.email])
    assert not Message.objects.filter(participant=first).exclude(kind="feedback").exists()


def test_an_invitation_planned_before_an_imported_reply_is_skipped(workshop):
    from surveys.mail.sending import plan

    plan(at(INVITATION))
    first = workshop.participants.order_by("pk").first()
    reply(first)
    for claim in claim_batches():
        send_batch(claim, as_of=at(INVITATION))
    assert first.email not in [m.to[0] for m in mail.outbox] and len(mail.outbox) == 2
    assert "replied" in Message.objects.get(participant=first).error


def test_feedback_goes_to_everybody_reached_who_may_receive_mail(workshop, participant_factory):
    replied_before, opted_out, invited = workshop.participants.order_by("pk")
    reply(replied_before, on=INVITATION - dt.timedelta(days=30))
    run_pass(at(INVITATION), in_process=True)
    opted_out.opted_out_at = timezone.now()
    opted_out.save()
    mail.outbox.clear()
    run_pass(at(FEEDBACK), in_process=True)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([replied_before.email, invited.email])
    assert all(m.subject.startswith("Results of the follow-up survey") for m in mail.outbox)


DAY_PATTERN = re.compile(
    r"\b(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|November|December) (\d{4})\b"
)


def assert_true_on(email, day: dt.date, workshop: Workshop) -> None:
    """Every date in an e-mail (but the workshop's own) is on or after the day it went out; no negative count."""
    text = "\n".join([email.subject, email.body, email.alternatives[0][0]]).replace(workshop.dates_display, "")
    for number, month, year in DAY_PATTERN.findall(text):
        named = dt.datetime.strptime(f"{number} {month} {year}", "%d %B %Y").date()
        assert named >= day, f"{email.subject!r} sent on {day} names {named}"
    assert not re.search(r"-\d+ day", text) and "Six months ago" not in text


def run_cycle(workshop: Workshop, days: list[dt.date]) -> list[tuple[dt.date, object]]:
    sent_on = []
    for day in days:
        mail.outbox.clear()
        run_pass(at(day), in_process=True)
        sent_on += [(day, email) for email in mail.outbox]
    return sent_on


@pytest.mark.parametrize("scenario", ["normal", "released 800 days late", "moved into the past"])
def test_every_email_is_true_on_the_day_it_is_sent(workshop, scenario, django_capture_on_commit_callbacks):
    from surveys.mail.actions import fresh_due_date, release_invitations

    start = INVITATION
    if scenario == "released 800 days late":
        start = INVITATION + dt.timedelta(days=800)
        with django_capture_on_commit_callbacks():
            release_invitations(Workshop.objects.filter(pk=workshop.pk), fresh_due_date(start), at(start))
    days = [start + dt.timedelta(days=n) for n in range(40)]
    if scenario == "moved into the past":
        # Invited, then staff move the due date to two days after the invitation: the reminders' days are gone.
        run_cycle(workshop, days[:1])
        workshop.due_date_override = INVITATION + dt.timedelta(days=2)
        workshop.save()
    workshop.refresh_from_db()
    sent_on = run_cycle(workshop, days)
    kinds = {email.subject.split(":")[0] for _, email in sent_on}
    assert "Results of the follow-up survey" in kinds
    for day, email in sent_on:
        assert_true_on(email, day, workshop)


def test_a_reminder_whose_due_date_passed_while_it_waited_is_not_sent(workshop):
    from surveys.mail.sending import plan

    run_pass(at(INVITATION), in_process=True)
    plan(at(REMINDER_2))
    mail.outbox.clear()
    for claim in claim_batches():  # the mail server was away until after the due date
        send_batch(claim, as_of=at(DUE + dt.timedelta(days=1)))
    assert mail.outbox == []
    assert set(Message.objects.filter(kind="reminder-2").values_list("status", flat=True)) == {MessageStatus.SKIPPED}
    assert "due date (26 Jun 2020) passed" in Message.objects.filter(kind="reminder-2").first().error


def test_a_change_is_kept_only_when_what_it_makes_due_is_confirmed(workshop_factory, participant_factory):
    from surveys.mail.planning import change_as_confirmed

    workshop = workshop_factory()
    participant_factory(workshop=workshop)
    today = timezone.localdate()

    def invite_today() -> None:
        Workshop.objects.filter(pk=workshop.pk).update(invitation_date_override=today)

    workshops = Workshop.objects.filter(pk=workshop.pk)
    kept, lines = change_as_confirmed(invite_today, workshops, timezone.now(), confirmed=lambda lines: False)
    assert not kept and [(line.kind, line.count) for line in lines] == [("invitation", 1)]
    workshop.refresh_from_db()
    assert workshop.invitation_date_override is None  # rolled back
    kept, again = change_as_confirmed(invite_today, workshops, timezone.now(), confirmed=lambda shown: shown == lines)
    workshop.refresh_from_db()
    assert kept and again == lines and workshop.invitation_date_override == today
