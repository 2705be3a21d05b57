"""Reading bounce reports and what they change: the message marked hard or soft, the address flagged
undeliverable, nothing more sent to it, and a corrected address getting the message again.
(tests/integration/test_bounces.py reads them from a real IMAP server.)"""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from surveys.mail.bounces import (
    MailboxError,
    Refused,
    UnreadableReport,
    process_bounces,
    read_report,
    record,
)
from surveys.mail.emails import build_email, return_path, return_path_signature
from surveys.mail.sending import run_pass
from surveys.models import Bounce, Message, MessageKind, MessageStatus
from tests.helpers import INVITATION, REMINDER_1, at
from tests.surveys import bounce_reports
from workshops.models import Participant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _bounces_read(settings):
    settings.DEFAULT_FROM_EMAIL = "ROCB A/P Follow-Up Survey <survey@rocbap.example.org>"
    settings.BOUNCE_ADDRESS = "bounces@rocbap.example.org"


@pytest.fixture
def invited(workshop_factory, participant_factory):
    """Three participants whose invitations went out."""
    workshop = workshop_factory()
    for code in ("FJ", "PG", "WS"):
        participant_factory(workshop=workshop, administration=code)
    run_pass(at(INVITATION), in_process=True)
    assert len(mail.outbox) == 3
    return workshop


def sent_bytes(message: Message) -> bytes:
    return build_email(message, INVITATION).message().as_bytes()


def report_for(message: Message, make=bounce_reports.dsn, **options) -> bytes:
    return make(sent_bytes(message), message.to_email, return_path(message.pk), **options)


def test_every_message_carries_its_own_return_path_and_the_survey_as_sender(invited):
    for email in mail.outbox:
        pk = int(email.extra_headers["Message-ID"].split("-")[2].split("@")[0])
        assert email.from_email == f"bounces+{pk}.{return_path_signature(pk)}@rocbap.example.org"
        assert len(return_path_signature(pk)) == 12
        assert email.message()["From"] == "ROCB A/P Follow-Up Survey <survey@rocbap.example.org>"


def test_without_a_bounce_mailbox_the_return_path_is_the_sender(settings, invited):
    settings.BOUNCE_ADDRESS = ""
    message = Message.objects.first()
    assert build_email(message, INVITATION).from_email == settings.DEFAULT_FROM_EMAIL


@pytest.mark.parametrize("make", [bounce_reports.dsn, bounce_reports.qmail, bounce_reports.exim])
def test_standard_and_non_standard_reports_name_the_message_as_a_hard_bounce(invited, make):
    message = Message.objects.order_by("pk")[1]
    verdict = read_report(report_for(message, make))
    assert verdict is not None
    assert (verdict.message_pk, verdict.bounce) == (message.pk, Bounce.HARD)
    assert "5.1.1" in verdict.detail


def test_a_delayed_delivery_is_a_soft_bounce(invited):
    message = Message.objects.first()
    verdict = read_report(report_for(message, action="delayed"))
    assert verdict is not None and verdict.bounce == Bounce.SOFT
    assert "4.2.2" in verdict.detail


def test_a_report_sent_to_the_plain_address_does_not_count_even_if_it_quotes_the_message(invited):
    # The Message-ID and the return path it quotes are the sender's to write: only the envelope is ours.
    message = Message.objects.first()
    report = bounce_reports.dsn(sent_bytes(message), message.to_email, "bounces@rocbap.example.org")
    assert f"<rocbap-message-{message.pk}@rocbap.example.org>".encode() in report
    with pytest.raises(Refused, match=r"delivered to bounces@rocbap\.example\.org, which is no return path of ours"):
        read_report(report)


def test_mail_that_is_no_bounce_or_not_about_our_mail_is_not_used(invited, settings):
    message = Message.objects.first()
    original = sent_bytes(message)
    assert read_report(bounce_reports.out_of_office(original, message.to_email, return_path(message.pk))) is None
    # A bounce of somebody else's mail, delivered to the plain address, quoting another domain's Message-ID.
    foreign = original.replace(b"@rocbap.example.org>", b"@elsewhere.example.com>").replace(b"bounces+", b"other+")
    with pytest.raises(Refused):
        read_report(bounce_reports.dsn(foreign, "x@example.org", "bounces@rocbap.example.org"))
    with pytest.raises(UnreadableReport):
        read_report(b"\x00\xff garbage without headers")


def delivered(report: bytes, to: str) -> bytes:
    """The report as the receiving server files it: its own Delivered-To on top of what the sender wrote."""
    return f"Delivered-To: {to}\r\n".encode() + report


def test_forged_reports_change_nothing(invited):
    """An attacker who got their own invitation (and so their own signed return path) and knows a colleague's
    address and message id tries every way to make a report about the colleague's message count."""
    own, victim, _ = Message.objects.order_by("pk")
    original = sent_bytes(victim)
    signature = return_path_signature(own.pk)
    forged_path = f"bounces+{victim.pk}.{signature}@rocbap.example.org"
    unsigned_path = f"bounces+{victim.pk}@rocbap.example.org"
    forgeries = {
        # Another message's id with the attacker's own signature.
        "stolen signature": bounce_reports.dsn(original, victim.to_email, forged_path),
        # A guessed signature, in upper case.
        "guessed signature": bounce_reports.dsn(
            original, victim.to_email, forged_path.replace(signature, "ABCDEF012345")
        ),
        # The unsigned form of earlier versions, for a message that went out signed.
        "unsigned id": bounce_reports.dsn(original, victim.to_email, unsigned_path),
        # The id only in the body (and a To: header), mailed to the plain address.
        "id only in the body": bounce_reports.exim(
            f"Return-Path: <{unsigned_path}>\r\nX-Original-Return-Path: {forged_path}\r\n".encode() + original,
            victim.to_email,
            "bounces@rocbap.example.org",
        ).replace(b"To: bounces@rocbap.example.org", f"To: {unsigned_path}".encode()),
        # A plain qmail-style text with no delivery header, only To: naming the real return path.
        "qmail text": bounce_reports.qmail(original, victim.to_email, return_path(victim.pk)).replace(
            f"Delivered-To: {return_path(victim.pk)}\r\n".encode(), b""
        ),
        # The real return path written by the sender, below the header the receiving server added.
        "sender's own Delivered-To": delivered(
            bounce_reports.dsn(original, victim.to_email, return_path(victim.pk)), "bounces@rocbap.example.org"
        ),
    }
    for name, report in forgeries.items():
        assert not counted(report), name
    victim.refresh_from_db()
    assert victim.bounce == "" and not victim.participant.undeliverable
    # The same report, delivered to the real return path, counts.
    assert counted(report_for(victim))
    victim.refresh_from_db()
    assert victim.bounce == Bounce.HARD and victim.participant.undeliverable


def counted(report: bytes) -> bool:
    """Whether a bounce report changes anything when read and recorded."""
    try:
        verdict = read_report(report)
    except Refused:
        return False
    assert verdict is not None
    outcome, _ = record([verdict])
    return bool(outcome)


def test_a_message_sent_before_signatures_is_bounced_by_its_unsigned_path_for_one_round_only(invited):
    old, older, _ = Message.objects.order_by("pk")
    now = timezone.now()
    Message.objects.filter(pk=old.pk).update(unsigned_return_path=True, sent_at=now - dt.timedelta(days=20))
    Message.objects.filter(pk=older.pk).update(unsigned_return_path=True, sent_at=now - dt.timedelta(days=22))

    def unsigned_report(message: Message) -> bytes:
        return bounce_reports.dsn(sent_bytes(message), message.to_email, f"bounces+{message.pk}@rocbap.example.org")

    verdicts = [read_report(unsigned_report(older)), read_report(unsigned_report(old))]
    outcome, reasons = record(verdicts)
    assert outcome == {Bounce.HARD: 1, "undeliverable": 1}
    assert "did not go out with one in the last survey round" in reasons[0] and reasons[1] == ""
    assert list(Message.objects.filter(pk__in=[old.pk, older.pk]).order_by("pk").values_list("bounce", flat=True)) == [
        Bounce.HARD,
        "",
    ]


def test_a_hard_bounce_flags_the_address_and_nothing_more_is_sent_to_it(invited):
    bounced, other, _ = Message.objects.order_by("pk")
    verdict = read_report(report_for(bounced))
    outcome, reasons = record([verdict])
    assert outcome == {Bounce.HARD: 1, "undeliverable": 1} and reasons == [""]
    bounced.refresh_from_db()
    assert bounced.bounce == Bounce.HARD and bounced.bounced_at and "User unknown" in bounced.bounce_detail
    assert bounced.participant.undeliverable and "5.1.1" in bounced.participant.undeliverable_reason
    other.participant.refresh_from_db()
    assert not other.participant.undeliverable

    mail.outbox.clear()
    run_pass(at(REMINDER_1), in_process=True)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        p.email for p in invited.participants.exclude(pk=bounced.participant_id)
    )
    assert not Message.objects.filter(participant=bounced.participant, kind=MessageKind.REMINDER_1).exists()


def test_recording_twice_is_harmless_and_a_soft_report_never_downgrades_a_hard_one(invited):
    message = Message.objects.first()
    hard = read_report(report_for(message))
    record([hard])
    first = Message.objects.get(pk=message.pk)
    outcome, _ = record([hard, read_report(report_for(message, action="delayed"))])
    assert outcome["undeliverable"] == 0
    again = Message.objects.get(pk=message.pk)
    assert (again.bounce, again.bounced_at) == (Bounce.HARD, first.bounced_at)


def test_reports_of_one_chunk_count_as_if_recorded_one_by_one(invited):
    """A pass records a chunk of reports in a few queries: the outcome is the one of recording them in turn. A soft
    report then a hard one about one message makes it hard, the other way round keeps it hard; two hard reports
    about one participant flag them once; a report about an address they no longer have flags nobody."""
    first, second, third = Message.objects.order_by("pk")
    moved = third.participant
    moved.email = "moved@example.org"
    moved.save()
    reminder = Message.objects.create(
        participant=second.participant,
        kind=MessageKind.REMINDER_1,
        status=MessageStatus.SENT,
        sent_at=timezone.now(),
        to_email=second.to_email,
    )
    soft_then_hard = [read_report(report_for(first, action="delayed")), read_report(report_for(first))]
    hard_then_soft = [read_report(report_for(second)), read_report(report_for(second, action="delayed"))]
    twice = [read_report(report_for(reminder))]
    old_address = [read_report(report_for(third))]
    outcome, reasons = record(soft_then_hard + hard_then_soft + twice + old_address)
    assert reasons == [""] * 6
    assert outcome == {Bounce.HARD: 4, Bounce.SOFT: 2, "undeliverable": 2}
    bounces = dict(Message.objects.values_list("pk", "bounce"))
    assert [bounces[m.pk] for m in (first, second, reminder, third)] == [Bounce.HARD] * 4
    assert Message.objects.get(pk=first.pk).bounce_detail == soft_then_hard[1].detail
    flagged = set(Participant.objects.undeliverable().values_list("pk", flat=True))
    assert flagged == {first.participant_id, second.participant_id}


def test_a_soft_bounce_leaves_the_address_alone(invited):
    message = Message.objects.first()
    record([read_report(report_for(message, action="delayed"))])
    message.refresh_from_db()
    assert message.bounce == Bounce.SOFT and not message.participant.undeliverable


def test_a_report_about_an_unknown_message_changes_nothing(invited):
    message = Message.objects.first()
    verdict = read_report(report_for(message))
    message.delete()
    outcome, reasons = record([verdict])
    assert outcome == {} and reasons[0].endswith("not in the log")


def test_a_report_that_names_another_address_than_its_message_went_to_changes_nothing(invited):
    # A forged report (the return path is easy to guess), or the bounce of a copy forwarded elsewhere.
    message = Message.objects.first()
    report = bounce_reports.dsn(sent_bytes(message), "someone.else@example.org", return_path(message.pk))
    verdict = read_report(report)
    assert verdict is not None and verdict.recipients == {"someone.else@example.org"}
    outcome, reasons = record([verdict])
    assert outcome == {} and reasons[0].endswith("not sent to the address the report names")
    message.refresh_from_db()
    assert message.bounce == "" and not message.participant.undeliverable


def test_an_old_report_does_not_flag_a_corrected_address(invited):
    message = Message.objects.first()
    participant = message.participant
    participant.email = "corrected@example.org"
    participant.save()
    record([read_report(report_for(message))])
    participant.refresh_from_db()
    assert not participant.undeliverable


def test_correcting_the_address_clears_the_flag_and_sends_the_message_again(invited):
    message = Message.objects.first()
    record([read_report(report_for(message))])
    participant = message.participant
    participant.refresh_from_db()
    assert participant.undeliverable
    # Another save without a new address keeps the flag.
    participant.name = "Renamed"
    participant.save()
    participant.refresh_from_db()
    assert participant.undeliverable

    participant.email = "Right.Address@example.org"
    participant.save()
    participant.refresh_from_db()
    assert not participant.undeliverable and participant.undeliverable_reason == ""
    mail.outbox.clear()
    run_pass(at(INVITATION + dt.timedelta(days=2)), in_process=True)
    assert [m.to for m in mail.outbox] == [["Right.Address@example.org"]]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.to_email == "Right.Address@example.org"
    assert message.bounce == "" and "Bounced from" in message.bounce_detail
    # Once is enough: the next pass sends nothing.
    mail.outbox.clear()
    run_pass(at(INVITATION + dt.timedelta(days=2)), in_process=True)
    assert mail.outbox == []


def test_a_message_planned_before_the_bounce_is_skipped_at_send_time(invited):
    message = Message.objects.first()
    record([read_report(report_for(message))])
    queued = Message.objects.create(participant=message.participant, kind=MessageKind.LINK)
    mail.outbox.clear()
    run_pass(timezone.now(), in_process=True)
    queued.refresh_from_db()
    assert queued.status == MessageStatus.SKIPPED and "undeliverable" in queued.error
    assert mail.outbox == []


def test_without_a_mailbox_the_pass_says_so(settings):
    settings.BOUNCE_MAILBOX = None
    with pytest.raises(MailboxError, match="BOUNCE_IMAP_URL is not set"):
        process_bounces()
    with pytest.raises(CommandError, match="BOUNCE_IMAP_URL is not set"):
        call_command("process_bounces", stdout=StringIO())


def test_an_unreachable_mailbox_is_a_clear_error(settings):
    from tests.integration.servers import free_port

    settings.BOUNCE_MAILBOX = {
        "host": "127.0.0.1",
        "port": free_port(),
        "ssl": False,
        "user": "bounces",
        "password": "x",
        "folder": "INBOX",
        "processed_folder": "",
        "timeout": 2,
    }
    with pytest.raises(CommandError, match=r"cannot log in to the bounce mailbox at 127\.0\.0\.1:\d+ as bounces"):
        call_command("process_bounces", stdout=StringIO())


def test_the_beat_task_logs_an_unusable_mailbox_and_carries_on(settings, caplog):
    from surveys import tasks

    settings.BOUNCE_MAILBOX = None
    tasks.process_bounces()
    assert "Bounce pass skipped: BOUNCE_IMAP_URL is not set" in caplog.text


def test_beat_reads_the_bounce_mailbox_only_when_one_is_set(tmp_path):
    import os
    import subprocess
    import sys

    from tests.helpers import ROOT

    code = "from rocbap.celery import app; app.finalize(); print(sorted(app.conf.beat_schedule))"

    def schedule(**variables: str) -> str:
        environment = {**os.environ, "VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "rocbap.settings"}
        environment.pop("BOUNCE_IMAP_URL", None)
        result = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            cwd=ROOT,
            env={**environment, **variables},
            capture_output=True,
            text=True,
            timeout=120,
        )
        return result.stdout.strip() or result.stderr

    assert schedule() == "['dispatch-messages']"
    assert schedule(BOUNCE_IMAP_URL="imap://u:p@127.0.0.1/INBOX") == "['dispatch-messages', 'process-bounces']"
