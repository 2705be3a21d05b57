"""Bounces come back: read bounce reports from the bounce mailbox (IMAP) and mark the messages they are about.

A pass (beat every BOUNCE_EVERY_SECONDS, or `manage.py process_bounces`):

1. reads the reports in the mailbox's folder in chunks, without marking them read;
2. finds the log row each is about: the VERP return path bounces+<id>@domain it was delivered to, else our
   Message-ID or return path quoted in it (surveys.mail.emails makes both);
3. asks flufl.bounce whether it is a bounce and whether permanent (RFC 3464 DSNs and some twenty non-standard
   formats: qmail, Exim, Postfix, Exchange, ...);
4. marks the rows (hard or soft) whose address the report names as failed, and flags hard-bounced addresses
   undeliverable (Participant), in one transaction per chunk; only then deletes the chunk's reports from the
   mailbox (or moves them to the `processed` folder).

A report that is no bounce, names no message we sent to the address it reports, or cannot be parsed stays in the
mailbox, logged once and
tagged with the keyword UNMATCHED so that later passes skip it; nothing is lost, and staff can read it there.
Running a pass twice is harmless: marking is idempotent and a report is removed only after its chunk committed.
"""

from __future__ import annotations

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

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from flufl.bounce import all_failures

from surveys.mail.emails import MESSAGE_ID, return_path_pattern, sender_domain
from surveys.models import Bounce, Message

logger = logging.getLogger(__name__)

# Set on reports a pass could not use, so the next passes read only new mail (a server that does not keep
# keywords reads them again: harmless, only slower).
UNMATCHED = "$RocbapUnmatched"
CHUNK = 100
# Headers in which a delivering server records the envelope recipient: the VERP address the report went to.
DELIVERY_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "X-Rcpt-To", "To")
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


def message_pk_of(report: EmailMessage, raw: bytes) -> int | None:
    """The log row a report is about: the address it was delivered to, else what it quotes of our message."""
    verp = return_path_pattern() if settings.BOUNCE_ADDRESS else None
    if verp:
        for header in DELIVERY_HEADERS:
            for _, address in getaddresses([str(value) for value in report.get_all(header, [])]):
                if match := verp.fullmatch(address.encode(errors="replace")):
                    return int(match.group(1))
    domain = sender_domain().lower().encode()
    for match in MESSAGE_ID.finditer(raw):
        if match.group(2).lower() == domain:
            return int(match.group(1))
    if verp and (match := verp.search(raw)):
        return int(match.group(1))
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


def read_report(raw: bytes) -> Verdict | None:
    """What a report says, or None when it is no bounce or names no message of ours. Raises UnreadableReport."""
    report = email.message_from_bytes(raw)  # compat32: the Message type flufl.bounce expects
    try:
        temporary, permanent = all_failures(report)
    except Exception as error:  # a detector's parsing error on odd mail: any type, from any of twenty detectors
        raise UnreadableReport(f"{type(error).__name__}: {error}") from None
    if not (temporary or permanent):
        return None
    pk = message_pk_of(report, raw)
    if pk is None:
        return None
    detail = _dsn_detail(report) or _text_detail(report) or str(report.get("Subject", ""))
    recipients = frozenset(address.decode(errors="replace").strip().lower() for address in temporary | permanent)
    return Verdict(pk, Bounce.HARD if permanent else Bounce.SOFT, detail[:DETAIL_LIMIT], recipients)


# --- marking ----------------------------------------------------------------------------------------------------


def record(verdicts: Iterable[Verdict]) -> tuple[Counter, set[int]]:
    """Mark the rows the verdicts name; returns counts by outcome and the pks of the rows recorded.

    A report counts only if it names the address its message went to: a return path or Message-ID alone is easy
    to guess, and a forged report must not silence a participant (nor must the bounce of a copy the recipient's
    server forwarded elsewhere: a person reads those in the mailbox)."""
    verdicts = list(verdicts)
    sent_to = dict(Message.objects.filter(pk__in={v.message_pk for v in verdicts}).values_list("pk", "to_email"))
    recorded: set[int] = set()
    outcome: Counter = Counter()
    now = timezone.now()
    with transaction.atomic():
        for verdict in verdicts:
            address = sent_to.get(verdict.message_pk)
            if not address or address.lower() not in verdict.recipients:
                continue
            recorded.add(verdict.message_pk)
            outcome[verdict.bounce] += 1
            if Message.objects.record_bounce(verdict.message_pk, verdict.bounce, verdict.detail, now):
                outcome["undeliverable"] += 1
    return outcome, recorded


# --- the mailbox ------------------------------------------------------------------------------------------------


class Mailbox:
    """The bounce folder over IMAP: list, read (without setting \\Seen), tag, delete or move."""

    def __init__(self, config: dict) -> None:
        self.config = config
        self.imap: imaplib.IMAP4 | None = None

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
        if "UIDPLUS" in self.imap.capabilities:
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
            f"{self.unmatched} left in the mailbox (no bounce, or no message of ours)"
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
                except UnreadableReport as error:
                    # A report the parser chokes on is kept for a person to read, never dropped.
                    logger.warning(
                        "Bounce mailbox: report UID %s (%r) cannot be read (%s); left in the mailbox",
                        uid.decode(),
                        _subject_of(raw),
                        error,
                    )
                    unmatched.append(uid)
                    continue
                if verdict is None:
                    logger.warning(
                        "Bounce mailbox: report UID %s (%r) is no bounce of a message of ours; left in the mailbox",
                        uid.decode(),
                        _subject_of(raw),
                    )
                    unmatched.append(uid)
                else:
                    verdicts[uid] = verdict
            outcome, recorded = record(verdicts.values())
            result.outcome.update(outcome)
            for uid, verdict in verdicts.items():
                if verdict.message_pk not in recorded:
                    logger.warning(
                        "Bounce mailbox: report UID %s names message %s, which is not in the log or was not sent to "
                        "the address the report names; left in the mailbox",
                        uid.decode(),
                        verdict.message_pk,
                    )
                    unmatched.append(uid)
            # Removed only now that the chunk's marks are committed: a pass that dies reads them again.
            mailbox.remove([uid for uid, verdict in verdicts.items() if verdict.message_pk in recorded])
            mailbox.tag_unmatched(unmatched)
            result.unmatched += len(unmatched)
