"""Bounces with real parts on 127.0.0.1: the survey mail goes to an aiosmtpd server, bounce reports written for
those very messages (RFC 3464, qmail, Exim; a delayed delivery) wait in a real Dovecot IMAP mailbox with mail that
is no bounce and a report about a message we never sent, and the bounce pass reads them over IMAP."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from rocbap import env
from surveys.mail.bounces import UNMATCHED, process_bounces
from surveys.mail.sending import run_pass
from surveys.models import Bounce, Message, MessageKind, MessageStatus
from tests.helpers import INVITATION, REMINDER_1, at
from tests.integration.servers import MESSAGE_ID
from tests.surveys import bounce_reports
from workshops.models import Participant

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def mailed(settings, smtp, dovecot, workshop_factory, participant_factory, monkeypatch):
    """Six participants invited through the SMTP server, with a bounce mailbox in Dovecot."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", smtp.port, 5
    settings.DEFAULT_FROM_EMAIL = "ROCB A/P Follow-Up Survey <survey@rocbap.example.org>"
    settings.BOUNCE_ADDRESS = "bounces@rocbap.example.org"
    monkeypatch.setenv("BOUNCE_IMAP_URL", dovecot.url)
    settings.BOUNCE_MAILBOX = env.imap_config("BOUNCE_IMAP_URL")
    workshop = workshop_factory()
    for number in range(6):
        participant_factory(workshop=workshop, email=f"p{number}@members.example.net")
    run_pass(at(INVITATION), in_process=True)
    assert smtp.handler.count() == 6
    return workshop


def received(smtp) -> dict[str, tuple[str, bytes]]:
    """Recipient -> (envelope sender, the message as the server received it)."""
    return {
        message["To"]: envelope for message, envelope in zip(smtp.handler.messages, smtp.handler.envelopes, strict=True)
    }


def test_the_bounce_pass_marks_exactly_the_bounced_messages_and_addresses(mailed, smtp, dovecot):
    mail = received(smtp)
    for sender, content in mail.values():
        # Every message went out with its own return path, naming its log row.
        pk = int(MESSAGE_ID.search(content.decode()).group(1))
        assert sender == f"bounces+{pk}@rocbap.example.org"
    reports = {
        "p0@members.example.net": bounce_reports.dsn,
        "p1@members.example.net": bounce_reports.qmail,
        "p2@members.example.net": bounce_reports.exim,
    }
    sender_of_unknown = "bounces+999999@rocbap.example.org"
    dovecot.append(
        [make(mail[to][1], to, mail[to][0]) for to, make in reports.items()]
        + [
            bounce_reports.dsn(
                mail["p3@members.example.net"][1],
                "p3@members.example.net",
                mail["p3@members.example.net"][0],
                action="delayed",
            ),
            bounce_reports.out_of_office(
                mail["p4@members.example.net"][1], "p4@members.example.net", mail["p4@members.example.net"][0]
            ),
            # A report about a message that is not in the log (another system's, or long deleted).
            bounce_reports.dsn(b"Subject: something else\r\n\r\n", "x@members.example.net", sender_of_unknown),
        ]
    )

    out = StringIO()
    call_command("process_bounces", stdout=out)
    assert out.getvalue().strip() == (
        "6 reports read: 3 hard and 1 soft bounces recorded, 3 addresses flagged undeliverable, "
        "2 left in the mailbox (no bounce, or no message of ours)"
    )
    bounced = dict(Message.objects.exclude(bounce="").values_list("to_email", "bounce"))
    assert bounced == {
        "p0@members.example.net": Bounce.HARD,
        "p1@members.example.net": Bounce.HARD,
        "p2@members.example.net": Bounce.HARD,
        "p3@members.example.net": Bounce.SOFT,
    }
    assert set(Participant.objects.undeliverable().values_list("email", flat=True)) == set(reports)
    # The recorded reports are gone; the two the pass could not use are still there, tagged, unread.
    left = dovecot.inbox()
    assert len(left) == 2
    assert any(b"Out of office" in report for report in left)
    assert any(sender_of_unknown.encode() in report for report in left)

    # A second pass is harmless: nothing new to read, nothing changes.
    marks = list(Message.objects.order_by("pk").values_list("bounce", "bounced_at"))
    again = process_bounces()
    assert (again.read, again.unmatched, sum(again.outcome.values())) == (0, 0, 0)
    assert list(Message.objects.order_by("pk").values_list("bounce", "bounced_at")) == marks
    assert len(dovecot.inbox()) == 2

    # The flagged addresses get nothing more: the first reminder goes to the other three.
    smtp.handler.messages.clear()
    smtp.handler.envelopes.clear()
    run_pass(at(REMINDER_1), in_process=True)
    assert sorted(m["To"] for m in smtp.handler.messages) == [f"p{n}@members.example.net" for n in (3, 4, 5)]
    assert not Message.objects.filter(kind=MessageKind.REMINDER_1, participant__email__in=reports).exists()


def test_reports_are_moved_to_the_processed_folder_when_asked(mailed, smtp, dovecot, settings, monkeypatch):
    monkeypatch.setenv("BOUNCE_IMAP_URL", dovecot.url + "?processed=Processed")
    settings.BOUNCE_MAILBOX = env.imap_config("BOUNCE_IMAP_URL")
    sender, content = received(smtp)["p5@members.example.net"]
    dovecot.append([bounce_reports.dsn(content, "p5@members.example.net", sender)])
    result = process_bounces()
    assert result.outcome[Bounce.HARD] == 1
    assert dovecot.inbox() == []
    connection = dovecot.imap()
    try:
        status, data = connection.select("Processed")
        assert status == "OK" and data == [b"1"]
    finally:
        connection.logout()


def test_a_corrected_address_gets_the_invitation_again(mailed, smtp, dovecot):
    sender, content = received(smtp)["p0@members.example.net"]
    dovecot.append([bounce_reports.exim(content, "p0@members.example.net", sender)])
    process_bounces()
    participant = Participant.objects.get(email="p0@members.example.net")
    assert participant.undeliverable
    participant.email = "p0@corrected.example.net"
    participant.save()
    smtp.handler.messages.clear()
    run_pass(at(INVITATION + dt.timedelta(days=1)), in_process=True)
    assert [m["To"] for m in smtp.handler.messages] == ["p0@corrected.example.net"]
    invitation = Message.objects.get(participant=participant, kind=MessageKind.INVITATION)
    assert invitation.status == MessageStatus.SENT and invitation.bounce == ""


def test_unused_reports_are_tagged_so_the_next_pass_skips_them(mailed, smtp, dovecot):
    sender, content = received(smtp)["p4@members.example.net"]
    dovecot.append([bounce_reports.out_of_office(content, "p4@members.example.net", sender)])
    assert process_bounces().unmatched == 1
    connection = dovecot.imap()
    try:
        _, data = connection.uid("SEARCH", "KEYWORD", UNMATCHED)
        assert len(data[0].split()) == 1
        _, data = connection.uid("SEARCH", "UNSEEN")
        assert len(data[0].split()) == 1  # still unread for whoever looks into the mailbox
    finally:
        connection.logout()


def test_a_wrong_password_or_folder_is_a_clear_error(dovecot, monkeypatch):
    from surveys.mail.bounces import MailboxError

    monkeypatch.setenv("BOUNCE_IMAP_URL", dovecot.url.replace(":secret@", ":wrong@"))
    with pytest.raises(MailboxError, match=r"cannot log in to the bounce mailbox at 127\.0\.0\.1:\d+ as bounces"):
        process_bounces(env.imap_config("BOUNCE_IMAP_URL"))
    monkeypatch.setenv("BOUNCE_IMAP_URL", dovecot.url.replace("/INBOX", "/Nowhere"))
    with pytest.raises(MailboxError, match="the bounce mailbox has no folder 'Nowhere'"):
        process_bounces(env.imap_config("BOUNCE_IMAP_URL"))
