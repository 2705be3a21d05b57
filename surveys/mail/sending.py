"""The dispatch pass: find every message due now and send each exactly once.

A pass has two steps, both safe to run in several processes at once:

1. plan(now): for each surveyed workshop, the messages due today (surveys.questionnaire.schedule owns the dates) become
   Message rows in status pending. The unique constraint on (participant, kind) makes this idempotent: a
   second pass, or a second beat, inserts nothing.
2. claim_batches(): pending rows are claimed in chunks by a conditional UPDATE (a claim token and a lease);
   each chunk is sent by send_batch() over one SMTP connection, in process or by a Celery worker.

A claim whose worker died expires after SURVEY_CLAIM_SECONDS and a later pass claims the rows again; a worker
stops sending at half its lease, so two claims on one row never overlap. The only window left is between the
SMTP server accepting a message and the row being marked sent (one UPDATE): a worker killed exactly there
sends that one message again after the lease. (A database that is away at that moment is waited for, within the
lease: see _mark_sent.) Each row has its own Message-ID, so receivers can tell.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import smtplib
import time
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from itertools import islice

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.db import connection as database
from django.db.models import Q
from django.utils import timezone

from rocbap.celery import app as celery_app
from surveys import task_names
from surveys.mail.emails import Drafts, send_message
from surveys.mail.planning import plan
from surveys.models import Message, MessageKind, MessageStatus, reminder_number
from surveys.questionnaire.schedule import local_day, moment_passed

logger = logging.getLogger(__name__)

MAX_BACKOFF = dt.timedelta(hours=1)


def batched(items: Iterable[int], size: int) -> Iterable[list[int]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


# --- claiming ---------------------------------------------------------------------------------------------------


def _claimable(moment: dt.datetime) -> Q:
    return (
        Q(status=MessageStatus.PENDING)
        & (Q(claimed_until__isnull=True) | Q(claimed_until__lt=moment))
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=moment))
    )


def claim_batches(ids: Iterable[int] | None = None) -> list[str]:
    """Claim pending rows (all, or these ids) in chunks of SURVEY_BATCH_SIZE; returns one claim token per chunk."""
    moment = timezone.now()
    candidates = Message.objects.filter(_claimable(moment))
    if ids is not None:
        candidates = candidates.filter(pk__in=list(ids))
    claims = []
    for chunk in batched(candidates.order_by("pk").values_list("pk", flat=True), settings.SURVEY_BATCH_SIZE):
        claim = uuid.uuid4().hex
        # The condition is evaluated again under the row lock: of two passes, only one gets each row.
        claimed = Message.objects.filter(_claimable(moment), pk__in=chunk).update(
            claim=claim, claimed_until=moment + dt.timedelta(seconds=settings.SURVEY_CLAIM_SECONDS)
        )
        if claimed:
            claims.append(claim)
    return claims


# --- sending ----------------------------------------------------------------------------------------------------


def is_transient(error: BaseException) -> bool:
    """4xx replies, lost or refused connections and timeouts are worth retrying; 5xx replies are not."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError | OSError)


def _breaks_connection(error: BaseException) -> bool:
    return isinstance(error, smtplib.SMTPServerDisconnected | OSError)


def describe(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{address}: {code} {reply.decode(errors='replace')}" for address, (code, reply) in error.recipients.items()
        )
    if isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        return f"{error.smtp_code} {reply}"
    return f"{type(error).__name__}: {error}"


def skip_reason(message: Message, today: dt.date) -> str:
    """Why a planned message is no longer wanted, read at send time ('' when it is)."""
    participant = message.participant
    if participant.why_no_mail:
        return participant.why_no_mail
    if not participant.workshop.surveyed and message.kind != MessageKind.LINK:
        return "The workshop is no longer surveyed."
    response = getattr(participant, "response", None)
    if response is not None and response.is_reply:
        if reminder_number(message.kind):
            return "The participant replied before the reminder."
        if message.kind == MessageKind.INVITATION:
            return "The participant replied before the invitation (an imported reply)."
    return moment_passed(participant.workshop, message.kind, today)


# The message log's fields and their columns, by name (_finish).
_FIELDS = {field.name: field for field in Message._meta.concrete_fields}
_COLUMNS = {field.name: field.column for field in Message._meta.concrete_fields if field.column}


def _finish(message: Message, claim: str, status: str, *, subject: str = "", error: str = "", body: str = "") -> None:
    """Record a message's outcome while the row is still ours (its claim token: a claimed row is pending, a database
    constraint says so); a sent message keeps its text (`body`) for staff to read."""
    values = {
        "status": str(status),
        "sent_at": timezone.now() if status == MessageStatus.SENT else None,
        "to_email": message.participant.email,
        "subject": subject[:300],
        "error": error,
        "attempts": message.attempts + (status != MessageStatus.SKIPPED),
        "claim": "",
        "claimed_until": None,
    }
    if status == MessageStatus.SENT:
        values["body"] = body
    # What Message.objects.filter(pk=..., claim=...).update(**values) runs, written out: this runs once per message,
    # and building that query took the ORM about four times as long as the database took to run it. The columns are
    # the model's, and each value is adapted by its field, as the ORM adapts it.
    # No status in the condition: between two passes PostgreSQL's statistics say pending rows are rare, and with
    # "status = pending" to match its planner walked the claimable index through every pending row of the pass
    # instead of taking the key, for each message (0.5 ms a message at 10,000 pending, growing with the pass).
    quote = database.ops.quote_name
    columns = ", ".join(f"{quote(_COLUMNS[name])} = %s" for name in values)
    where = " AND ".join(f"{quote(_COLUMNS[name])} = %s" for name in ("id", "claim"))
    sql = f"UPDATE {quote(Message._meta.db_table)} SET {columns} WHERE {where}"  # noqa: S608
    params = [_FIELDS[name].get_db_prep_save(value, database) for name, value in values.items()]
    with database.cursor() as cursor:
        cursor.execute(sql, [*params, message.pk, claim])
        updated = cursor.rowcount
    if not updated:
        logger.warning("Message %s was no longer claimed by %s when it was marked %s", message.pk, claim, status)


def _mark_sent(message: Message, claim: str, subject: str, body: str, lease_ends: dt.datetime) -> None:
    """The mail server has accepted the message: the row must say so before the lease ends, or a later pass
    sends it again. A database that is briefly away (a restart, a failover) is waited for until then; a worker
    that gave up here at once would double every message it had in flight."""
    while True:
        try:
            _finish(message, claim, MessageStatus.SENT, subject=subject, body=body)
            return
        except (OperationalError, InterfaceError) as error:
            if database.in_atomic_block or timezone.now() + dt.timedelta(seconds=1) >= lease_ends:
                raise
            logger.warning("Message %s was sent but cannot be marked yet (%s); trying again", message.pk, error)
            with contextlib.suppress(DatabaseError):
                database.close()  # the next query opens a new connection
            time.sleep(0.5)


def _retry_later(messages: Iterable[Message], claim: str, error: BaseException) -> None:
    now = timezone.now()
    text = describe(error)
    for message in messages:
        attempts = message.attempts + 1
        if attempts >= settings.SURVEY_MAX_ATTEMPTS:
            message.attempts = attempts - 1
            _finish(message, claim, MessageStatus.FAILED, error=f"{text} (gave up after {attempts} attempts)")
            continue
        wait = min(dt.timedelta(seconds=settings.SURVEY_RETRY_SECONDS * 2 ** (attempts - 1)), MAX_BACKOFF)
        Message.objects.filter(pk=message.pk, claim=claim).update(  # claimed, so pending (see _finish)
            attempts=attempts, error=text, next_attempt_at=now + wait, claim="", claimed_until=None
        )


def _release(messages: Iterable[Message], claim: str) -> None:
    Message.objects.filter(pk__in=[m.pk for m in messages], claim=claim).update(claim="", claimed_until=None)


@dataclass
class _Batch:
    """The rows of one claim while they are sent, and what became of them."""

    claim: str
    messages: list[Message]
    today: dt.date  # the day the messages are written for (days left)
    lease_ends: dt.datetime
    stop_at: dt.datetime  # half the lease: later rows are released for another pass
    outcome: Counter = field(default_factory=Counter)
    drafts: Drafts = field(default_factory=Drafts)


def send_batch(claim: str, as_of: dt.datetime | None = None) -> Counter:
    """Send the rows of one claim over one SMTP connection. Returns counts by outcome.

    `as_of` is the moment the messages are written for (days left); leases always run on the real clock.
    """
    batch = _take_claim(claim, as_of)
    if not batch.messages:
        return batch.outcome
    connection = _open_connection(batch)
    if connection is None:
        return batch.outcome
    try:
        _send_each(batch, connection)
    finally:
        connection.close()
    return batch.outcome


def _take_claim(claim: str, as_of: dt.datetime | None) -> _Batch:
    """1. Renew the lease (the task may have waited in the queue) and load the rows still ours: rows another pass
    claimed since carry its token."""
    started = timezone.now()
    lease = dt.timedelta(seconds=settings.SURVEY_CLAIM_SECONDS)
    Message.objects.filter(claim=claim, status=MessageStatus.PENDING).update(claimed_until=started + lease)
    messages = list(
        Message.objects.filter(claim=claim, status=MessageStatus.PENDING)
        .select_related("participant__workshop", "participant__response")
        .order_by("pk")
    )
    return _Batch(claim, messages, local_day(as_of or started), started + lease, started + lease / 2)


def _open_connection(batch: _Batch) -> BaseEmailBackend | None:
    """2. One SMTP connection for the batch; None when the server cannot be reached now (every row waits for a
    retry). An error that is not transient propagates."""
    connection = get_connection()
    try:
        connection.open()
    except Exception as error:
        if not is_transient(error):
            raise
        logger.warning("Cannot reach the mail server (%s); %d messages wait", describe(error), len(batch.messages))
        _retry_later(batch.messages, batch.claim, error)
        batch.outcome["retry"] += len(batch.messages)
        return None
    return connection


def _send_each(batch: _Batch, connection: BaseEmailBackend) -> None:
    """3. Each row in turn, until half the lease is gone (the rest is released) or the connection is lost for good
    (the rest waits for a retry)."""
    for index, message in enumerate(batch.messages):
        if timezone.now() >= batch.stop_at:
            _release(batch.messages[index:], batch.claim)
            batch.outcome["released"] += len(batch.messages) - index
            return
        error = _send_one(batch, message, connection)
        if error is not None and _breaks_connection(error):
            lost = _reopen(connection)
            if lost is not None:
                rest = batch.messages[index + 1 :]
                _retry_later(rest, batch.claim, lost)
                batch.outcome["retry"] += len(rest)
                return


def _send_one(batch: _Batch, message: Message, connection: BaseEmailBackend) -> Exception | None:
    """Skip, send or record the failure of one message; returns the error when sending raised one."""
    reason = skip_reason(message, batch.today)
    if reason:
        _finish(message, batch.claim, MessageStatus.SKIPPED, error=reason)
        batch.outcome["skipped"] += 1
        return None
    try:
        email = send_message(message, batch.today, connection, batch.drafts)
    except Exception as error:
        _record_failure(batch, message, error)
        return error
    _mark_sent(message, batch.claim, str(email.subject), str(email.body), batch.lease_ends)
    batch.outcome["sent"] += 1
    return None


def _record_failure(batch: _Batch, message: Message, error: Exception) -> None:
    """A 5xx verdict fails the message; a transient error, or one that is no SMTP verdict at all (e.g. a template
    error), keeps it for a retry, up to the cap. Called while the error is being handled (for the traceback)."""
    if is_transient(error) or not isinstance(error, smtplib.SMTPException):
        if not is_transient(error):
            logger.exception("Message %s could not be built or sent", message.pk)
        _retry_later([message], batch.claim, error)
        batch.outcome["retry"] += 1
    else:
        logger.warning("Message %s failed: %s", message.pk, describe(error))
        _finish(message, batch.claim, MessageStatus.FAILED, error=describe(error))
        batch.outcome["failed"] += 1


def _reopen(connection: BaseEmailBackend) -> Exception | None:
    """A new connection after the server dropped the old one; the error when that fails too."""
    connection.close()
    try:
        connection.open()
    except Exception as error:
        return error
    return None


# --- the pass ---------------------------------------------------------------------------------------------------


@dataclass
class PassResult:
    planned: int = 0
    batches: int = 0
    outcome: Counter = field(default_factory=Counter)

    def __str__(self) -> str:
        counts = ", ".join(f"{name} {count}" for name, count in sorted(self.outcome.items())) or "nothing sent"
        return f"{self.planned} messages planned, {self.batches} batches: {counts}"


def enqueue(claims: list[str]) -> None:
    """Hand claimed batches to Celery once the surrounding transaction commits (a worker must see the rows)."""
    for claim in claims:
        transaction.on_commit(partial(celery_app.signature(task_names.SEND_BATCH, args=(claim,)).delay))


def run_pass(now: dt.datetime, *, in_process: bool) -> PassResult:
    """Plan what is due at `now` and send it: here and now (command, tests), or through Celery workers (beat)."""
    result = PassResult(planned=plan(now))
    claims = claim_batches()
    result.batches = len(claims)
    if in_process:
        for claim in claims:
            result.outcome.update(send_batch(claim, as_of=now))
    else:
        enqueue(claims)
    return result
