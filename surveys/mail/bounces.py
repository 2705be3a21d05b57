"""Bounces come back: read bounce reports from the bounce mailbox (IMAP) and mark the messages they are about.

A pass (beat every BOUNCE_EVERY_SECONDS, or `manage.py process_bounces`):

1. reads the reports in the mailbox's folder in chunks, without marking them read;
2. finds the log row each is about: the signed return path bounces+<id>.<signature>@domain it was delivered to,
   as the receiving server recorded it (the topmost Delivered-To or X-Original-To header); never what the report's
   sender wrote (To:, the body, a quoted Message-ID), which anybody can forge;
3. asks flufl.bounce whether it is a bounce and whether permanent (RFC 3464 DSNs and some twenty non-standard
   formats: qmail, Exim, Postfix, Exchange, ...);
4. marks the rows (hard or soft) whose address the report names as failed, and flags hard-bounced addresses
   undeliverable (Participant), in one transaction per chunk; only then deletes the chunk's reports from the
   mailbox (or moves them to the `processed` folder).

A report that is no bounce, was not delivered to a correctly signed return path (unsigned, wrongly signed: a
forgery, or mail to the plain address), names no message we sent to the address it reports, or cannot be parsed
stays in the mailbox, logged once and tagged with the keyword UNMATCHED so that later passes skip it; nothing is
lost, and staff can read it there. Messages sent before return paths were signed carry the unsigned form
bounces+<id>@: reports to it are believed for one survey round (SURVEY_REPLY_DAYS) after the message went out,
then refused (docs/deployment.md).
Running a pass twice is harmless: marking is idempotent and a report is removed only after its chunk committed.
"""

from __future__ import annotations

import datetime as dt
import email
import imaplib
import logging
import re
import ssl
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message as EmailMessage
from email.utils import getaddresses
from typing import Any

from django.conf import settings
from django.utils import timezone
from flufl.bounce import all_failures

from surveys.mail.emails import is_signed, return_path_pattern
from surveys.models import Bounce, Message

logger = logging.getLogger(__name__)

# Set on reports a pass could not use, so the next passes read only new mail (a server that does not keep
# keywords reads them again: harmless, only slower).
UNMATCHED = "$RocbapUnmatched"
# Reports read, recorded and removed together: memory is bounded by a chunk, and each removal costs the server a
# write of its index, whatever the chunk's size (bench/bounces.py).
CHUNK = 500
# Headers in which the receiving server records the envelope recipient: the return path the report went to. The
# server adds its own above the message, so the topmost one is the server's; any below it the sender may have written.
DELIVERY_HEADERS = frozenset({"delivered-to", "x-original-to"})
DETAIL_LIMIT = 500


class MailboxError(Exception):
    """The bounce mailbox cannot be reached or used; the message says what to fix."""


class UnreadableReport(Exception):
    """Mail the bounce detectors cannot parse."""


# --- reading one report -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    message_pk: int
    bounce: str  # Bounce.HARD or Bounce.SOFT
    detail: str
    recipients: frozenset[str] = frozenset()  # the failed addresses the report names, lower case
    signed: bool = True  # delivered to the signed return path; False: to the unsigned form of earlier versions


@dataclass(frozen=True)
class Delivery:
    """The return path a report was delivered to, as the receiving server recorded it."""

    address: str
    message_pk: int | None  # None: not a return path of ours (the plain bounce address, a stranger's)
    signature: str | None  # None: the unsigned form of earlier versions

    @property
    def forged(self) -> bool:
        """Carries a signature that is not ours for the row: somebody wrote it, not return_path()."""
        return (
            self.message_pk is not None
            and self.signature is not None
            and not is_signed(self.message_pk, self.signature)
        )


def delivered_to(report: EmailMessage) -> Delivery | None:
    """Where the report was delivered: the topmost Delivered-To or X-Original-To header. None without one."""
    for name, value in report.items():
        if name.lower() in DELIVERY_HEADERS:
            address = next((address for _, address in getaddresses([str(value)]) if address), "")
            match = return_path_pattern().fullmatch(address) if settings.BOUNCE_ADDRESS else None
            if match is None:
                return Delivery(address, None, None)
            return Delivery(address, int(match.group(1)), match.group(2))
    return None


def _dsn_detail(report: EmailMessage) -> str:
    """Status and Diagnostic-Code of an RFC 3464 report's recipient fields."""
    for part in report.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        fields: list[str] = []
        for block in part.get_payload() or []:
            if not isinstance(block, EmailMessage):
                continue
            for name in ("Status", "Diagnostic-Code"):
                if block.get(name):
                    fields.append(f"{name}: {' '.join(str(block[name]).split())}")
        if fields:
            return "; ".join(fields)
    return ""


SMTP_REPLY = re.compile(r"\b[45]\d\d\b|\b[45]\.\d{1,3}\.\d{1,3}\b")


def _text_detail(report: EmailMessage) -> str:
    """The first line of a non-standard report's text that carries an SMTP reply or status code."""
    for part in report.walk():
        if part.get_content_type() != "text/plain":
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            break
        for line in payload.decode(part.get_content_charset() or "utf-8", errors="replace").splitlines():
            if SMTP_REPLY.search(line):
                return " ".join(line.split())
        break
    return ""


class Refused(Exception):
    """A bounce report that must not count, and why (logged, left in the mailbox)."""


def read_report(raw: bytes) -> Verdict | None:
    """What a report says, or None when it is no bounce. Raises UnreadableReport, and Refused when it is a bounce
    that was not delivered to a return path of ours, or to a wrongly signed one."""
    report = email.message_from_bytes(raw)  # compat32: the Message type flufl.bounce expects
    try:
        temporary, permanent = all_failures(report)
    except Exception as error:  # a detector's parsing error on odd mail: any type, from any of twenty detectors
        raise UnreadableReport(f"{type(error).__name__}: {error}") from None
    if not (temporary or permanent):
        return None
    delivery = delivered_to(report)
    if delivery is None:
        raise Refused(
            "it carries no Delivered-To or X-Original-To header (the server that files reports into the mailbox "
            "must add one)"
        )
    if delivery.message_pk is None:
        raise Refused(f"it was delivered to {delivery.address}, which is no return path of ours")
    if delivery.forged:
        raise Refused(f"it was delivered to {delivery.address}, whose signature is wrong: a forgery")
    detail = _dsn_detail(report) or _text_detail(report) or str(report.get("Subject", ""))
    recipients = frozenset(address.decode(errors="replace").strip().lower() for address in temporary | permanent)
    return Verdict(
        delivery.message_pk,
        Bounce.HARD if permanent else Bounce.SOFT,
        detail[:DETAIL_LIMIT],
        recipients,
        signed=delivery.signature is not None,
    )


# --- marking ----------------------------------------------------------------------------------------------------


def unsigned_cutoff(now: dt.datetime) -> dt.datetime:
    """Reports to an unsigned return path are believed only for messages sent since then: one survey round."""
    return now - dt.timedelta(days=settings.SURVEY_REPLY_DAYS)


def record(verdicts: Iterable[Verdict]) -> tuple[Counter, list[str]]:
    """Mark the rows the verdicts name; returns counts by outcome and, for each verdict, why it did not count
    ('' when it did).

    A report counts only if it names the address its message went to: the bounce of a copy the recipient's server
    forwarded elsewhere is for a person to read in the mailbox. One delivered to the unsigned return path of earlier
    versions counts only for a message that went out with it, within one survey round."""
    verdicts = list(verdicts)
    rows: dict[int, dict[str, Any]] = {
        row["pk"]: dict(row)
        for row in Message.objects.filter(pk__in={v.message_pk for v in verdicts}).values(
            "pk", "participant_id", "to_email", "unsigned_return_path", "sent_at"
        )
    }
    reasons: list[str] = []
    outcome: Counter = Counter()
    now = timezone.now()
    counted: list[tuple[int, str, str]] = []
    for verdict in verdicts:
        row: dict[str, Any] = rows.get(verdict.message_pk) or {
            "to_email": "",
            "unsigned_return_path": False,
            "sent_at": None,
        }
        address, unsigned, sent_at = row["to_email"], row["unsigned_return_path"], row["sent_at"]
        if not address:
            reasons.append(f"it names message {verdict.message_pk}, which is not in the log")
        elif address.lower() not in verdict.recipients:
            reasons.append(f"message {verdict.message_pk} was not sent to the address the report names")
        elif not verdict.signed and not (unsigned and sent_at and sent_at >= unsigned_cutoff(now)):
            reasons.append(
                f"it was delivered to the unsigned return path of message {verdict.message_pk}, which did not "
                "go out with one in the last survey round"
            )
        else:
            reasons.append("")
            outcome[verdict.bounce] += 1
            counted.append((verdict.message_pk, verdict.bounce, verdict.detail))
    if flagged := Message.objects.record_bounces(counted, now):
        outcome["undeliverable"] += flagged
    return outcome, reasons


# --- the mailbox ------------------------------------------------------------------------------------------------


class Mailbox:
    """The bounce folder over IMAP: list, read (without setting \\Seen), tag, delete or move."""

    def __init__(self, config: dict) -> None:
        self.config = config
        self.imap: imaplib.IMAP4 | None = None
        self.capabilities: set[str] = set()

    def open(self) -> None:
        config = self.config
        where = f"{config['host']}:{config['port']}"
        try:
            if config["ssl"]:
                self.imap = imaplib.IMAP4_SSL(
                    config["host"], config["port"], ssl_context=ssl.create_default_context(), timeout=config["timeout"]
                )
            else:
                self.imap = imaplib.IMAP4(config["host"], config["port"], timeout=config["timeout"])
                if "STARTTLS" in self.imap.capabilities:
                    self.imap.starttls(ssl.create_default_context())
            self.imap.login(config["user"], config["password"])
            # What the server offers once logged in (UIDPLUS, say): most servers list less before.
            status, data = self.imap.capability()
            self.capabilities = set(_text(data).upper().split()) if status == "OK" else set()
        except (OSError, imaplib.IMAP4.error) as error:
            raise MailboxError(f"cannot log in to the bounce mailbox at {where} as {config['user']}: {error}") from None
        status, data = self.imap.select(_quoted(config["folder"]))
        if status != "OK":
            raise MailboxError(f"the bounce mailbox has no folder {config['folder']!r}: {_text(data)}")
        if config["processed_folder"]:
            # Made on first use; "already exists" is the usual answer and no error.
            self.imap.create(_quoted(config["processed_folder"]))

    def close(self) -> None:
        if self.imap is None:
            return
        try:
            if self.imap.state == "SELECTED":
                self.imap.close()
            self.imap.logout()
        except (OSError, imaplib.IMAP4.error):
            pass
        self.imap = None

    def _uid(self, *args: str) -> list:
        assert self.imap is not None
        status, data = self.imap.uid(*args)
        if status != "OK":
            raise MailboxError(f"the bounce mailbox refused UID {args[0]}: {_text(data)}")
        return data

    def new_uids(self) -> list[bytes]:
        """Reports not tagged unmatched by an earlier pass, oldest first."""
        data = self._uid("SEARCH", "UNDELETED", "UNKEYWORD", UNMATCHED)
        return data[0].split() if data and data[0] else []

    def fetch(self, uids: list[bytes]) -> Iterator[tuple[bytes, bytes]]:
        """(uid, raw report) for each uid; BODY.PEEK leaves the reports unread for a person looking in."""
        data = self._uid("FETCH", b",".join(uids).decode(), "(UID BODY.PEEK[])")
        for index, item in enumerate(data):
            if not isinstance(item, tuple):
                continue
            # Most servers name the UID before the message's literal; some after it, in the closing bytes.
            after = data[index + 1] if index + 1 < len(data) and isinstance(data[index + 1], bytes) else b""
            if match := re.search(rb"UID (\d+)", item[0]) or re.search(rb"UID (\d+)", after):
                yield match.group(1), item[1]

    def remove(self, uids: list[bytes]) -> None:
        """Move (COPY, then delete) or delete the reports that were recorded."""
        assert self.imap is not None
        if not uids:
            return
        uid_set = b",".join(uids).decode()
        if self.config["processed_folder"]:
            self._uid("COPY", uid_set, _quoted(self.config["processed_folder"]))
        self._uid("STORE", uid_set, "+FLAGS.SILENT", "(\\Deleted)")
        if "UIDPLUS" in self.capabilities:
            self._uid("EXPUNGE", uid_set)  # only ours, not what someone else marked deleted
        else:
            self.imap.expunge()

    def tag_unmatched(self, uids: list[bytes]) -> None:
        if not uids:
            return
        try:
            self._uid("STORE", b",".join(uids).decode(), "+FLAGS.SILENT", f"({UNMATCHED})")
        except MailboxError as error:
            logger.info("The bounce mailbox keeps no keywords (%s); unmatched reports are read again", error)


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text(data) -> str:
    return " ".join(part.decode(errors="replace") if isinstance(part, bytes) else str(part) for part in data or [])


@contextmanager
def open_mailbox(config: dict) -> Iterator[Mailbox]:
    mailbox = Mailbox(config)
    try:
        mailbox.open()
        yield mailbox
    finally:
        mailbox.close()


# --- the pass ---------------------------------------------------------------------------------------------------


@dataclass
class BouncePass:
    read: int = 0
    outcome: Counter = field(default_factory=Counter)
    unmatched: int = 0

    def __str__(self) -> str:
        return (
            f"{self.read} reports read: {self.outcome[Bounce.HARD]} hard and {self.outcome[Bounce.SOFT]} soft "
            f"bounces recorded, {self.outcome['undeliverable']} addresses flagged undeliverable, "
            f"{self.unmatched} left in the mailbox (no bounce, or not ours)"
        )


def _subject_of(raw: bytes) -> str:
    return str(email.message_from_bytes(raw.split(b"\r\n\r\n", 1)[0]).get("Subject", ""))[:120]


def process_bounces(config: dict | None = None) -> BouncePass:
    """One pass over the bounce mailbox (settings.BOUNCE_MAILBOX unless given). Raises MailboxError."""
    config = config or settings.BOUNCE_MAILBOX
    if not config:
        raise MailboxError("BOUNCE_IMAP_URL is not set: there is no bounce mailbox to read")
    result = BouncePass()
    try:
        _read_mailbox(config, result)
    except (OSError, imaplib.IMAP4.error) as error:
        # What was recorded is committed; the reports not yet removed are read again by the next pass.
        raise MailboxError(f"lost the bounce mailbox at {config['host']}:{config['port']} mid-pass: {error}") from None
    return result


def _read_mailbox(config: dict, result: BouncePass) -> None:
    with open_mailbox(config) as mailbox:
        uids = mailbox.new_uids()
        for start in range(0, len(uids), CHUNK):
            verdicts: dict[bytes, Verdict] = {}
            unmatched: list[bytes] = []
            for uid, raw in mailbox.fetch(uids[start : start + CHUNK]):
                result.read += 1
                try:
                    verdict = read_report(raw)
                except (UnreadableReport, Refused) as error:
                    # Kept for a person to read, never dropped; a forgery is for a person to see too.
                    kind = "cannot be read" if isinstance(error, UnreadableReport) else "does not count"
                    _leave(uid, raw, f"{kind}: {error}")
                    unmatched.append(uid)
                    continue
                if verdict is None:
                    _leave(uid, raw, "is no bounce")
                    unmatched.append(uid)
                else:
                    verdicts[uid] = verdict
            outcome, reasons = record(verdicts.values())
            result.outcome.update(outcome)
            counted: list[bytes] = []
            for (uid, _), reason in zip(verdicts.items(), reasons, strict=True):
                if reason:
                    _leave(uid, b"", f"does not count: {reason}")
                    unmatched.append(uid)
                else:
                    counted.append(uid)
            # Removed only now that the chunk's marks are committed: a pass that dies reads them again.
            mailbox.remove(counted)
            mailbox.tag_unmatched(unmatched)
            result.unmatched += len(unmatched)


def _leave(uid: bytes, raw: bytes, why: str) -> None:
    # Logged once: the report is then tagged UNMATCHED, and later passes do not read it.
    subject = f" ({_subject_of(raw)!r})" if raw else ""
    logger.warning("Bounce mailbox: report UID %s%s %s; left in the mailbox", uid.decode(), subject, why)
