"""Bounce reports as mail servers write them, about a message we sent: an RFC 3464 delivery-status notification
(Postfix's wording), qmail's QSBMF and Exim's own format, a delayed-delivery DSN (a soft bounce), and mail that
is no bounce (an out-of-office reply). Shared by the unit tests, the integration test and the bounce bench."""

from __future__ import annotations

from email import message_from_bytes
from email.utils import format_datetime, make_msgid

MTA = "mx.members.example.net"
DATE = "Mon, 01 Jun 2020 09:00:00 +0700"


def _headers_of(original: bytes) -> str:
    return original.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0].decode(errors="replace")


def _envelope(deliver_to: str, subject: str, extra: str = "") -> str:
    # Delivered-To: what the receiving server adds when it files the report into the bounce mailbox.
    return (
        f"Return-Path: <>\nDelivered-To: {deliver_to}\nFrom: MAILER-DAEMON@{MTA}\nTo: {deliver_to}\n"
        f"Date: {DATE}\nMessage-ID: {make_msgid(domain=MTA)}\nSubject: {subject}\nAuto-Submitted: auto-replied\n"
        f"{extra}"
    )


def dsn(original: bytes, recipient: str, deliver_to: str, *, action: str = "failed") -> bytes:
    """RFC 3464: multipart/report with a message/delivery-status part and the original's headers."""
    status, code, why = ("5.1.1", "550", "User unknown") if action == "failed" else ("4.2.2", "452", "Mailbox full")
    subject = "Undelivered Mail Returned to Sender" if action == "failed" else "Delayed Mail (still being retried)"
    text = (
        _envelope(deliver_to, subject)
        + 'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="B0UND"\n\n'
        + "--B0UND\nContent-Type: text/plain; charset=us-ascii\n\n"
        + f"This is the mail system at host {MTA}.\n\n"
        + f"<{recipient}>: host {MTA} said: {code} {status} <{recipient}>: {why}\n\n"
        + "--B0UND\nContent-Type: message/delivery-status\n\n"
        + f"Reporting-MTA: dns; {MTA}\nArrival-Date: {DATE}\n\n"
        + f"Final-Recipient: rfc822; {recipient}\nOriginal-Recipient: rfc822;{recipient}\nAction: {action}\n"
        + f"Status: {status}\nRemote-MTA: dns; {MTA}\nDiagnostic-Code: smtp; {code} {status} {why}\n\n"
        + "--B0UND\nContent-Type: text/rfc822-headers\n\n"
        + _headers_of(original)
        + "\n--B0UND--\n"
    )
    return text.replace("\n", "\r\n").encode()


def qmail(original: bytes, recipient: str, deliver_to: str) -> bytes:
    """qmail-send's bounce message format (QSBMF): plain text, the whole original below a line."""
    text = (
        _envelope(deliver_to, "failure notice")
        + f"\nHi. This is the qmail-send program at {MTA}.\n"
        + "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
        + "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
        + f"<{recipient}>:\n550 5.1.1 The email account that you tried to reach does not exist.\n\n"
        + "--- Below this line is a copy of the message.\n\n"
    )
    return text.replace("\n", "\r\n").encode() + original


def exim(original: bytes, recipient: str, deliver_to: str) -> bytes:
    """Exim's bounce: plain text, X-Failed-Recipients, the original's headers and body below a line."""
    text = (
        _envelope(
            deliver_to, "Mail delivery failed: returning message to sender", f"X-Failed-Recipients: {recipient}\n"
        )
        + "\nThis message was created automatically by mail delivery software.\n\n"
        + "A message that you sent could not be delivered to one or more of its\n"
        + "recipients. This is a permanent error. The following address(es) failed:\n\n"
        + f"  {recipient}\n    host {MTA} [192.0.2.1]\n"
        + f"    SMTP error from remote mail server after RCPT TO:<{recipient}>:\n    550 5.1.1 User unknown\n\n"
        + "------ This is a copy of the message, including all the headers. ------\n\n"
    )
    return text.replace("\n", "\r\n").encode() + original


def out_of_office(original: bytes, sender: str, deliver_to: str) -> bytes:
    """An automatic reply: mail in the bounce mailbox that is no bounce."""
    subject = message_from_bytes(original)["Subject"]
    text = (
        f"Delivered-To: {deliver_to}\nFrom: {sender}\nTo: {deliver_to}\nDate: {format_datetime_now()}\n"
        f"Subject: Out of office: {subject}\nAuto-Submitted: auto-replied\n\n"
        "I am out of the office until 15 June with limited access to e-mail.\n"
    )
    return text.replace("\n", "\r\n").encode()


def format_datetime_now() -> str:
    import datetime as dt

    return format_datetime(dt.datetime.now(dt.UTC))


FORMATS = {"dsn": dsn, "qmail": qmail, "exim": exim}
