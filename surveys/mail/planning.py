"""Planning: which message of a workshop is due on a day, and for whom; the pending rows of a pass; what a change
would send, shown for staff to confirm.

Each planned message is a row of the message log in status pending; the unique constraint on (participant, kind)
makes planning idempotent, so a second pass, or a second beat, inserts nothing. surveys.mail.sending claims and
sends the rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Lower

from surveys.models import Bounce, Message, MessageKind, MessageStatus, reminder_kind, replied
from surveys.questionnaire.schedule import due_on, local_day, schedule_for
from workshops.models import Participant, Workshop, may_be_mailed

# --- the rows of a pass
# ---------------------------------------------------------------------------------------------------


def _plan(participants: QuerySet[Participant], kind: str) -> int:
    ids = list(participants.exclude(messages__kind=kind).values_list("pk", flat=True))
    # ignore_conflicts: a concurrent pass may have inserted some of these rows since the query above.
    Message.objects.bulk_create(
        [Message(participant_id=pk, kind=kind) for pk in ids], ignore_conflicts=True, batch_size=1000
    )
    return len(ids)


def plan_corrected() -> int:
    """The latest hard-bounced message of each participant whose address was corrected since goes out again, to
    the new address (the row is the message: it keeps its kind, and its bounce becomes history)."""
    rows = (
        Message.objects.filter(may_be_mailed("participant__"), bounce=Bounce.HARD, status=MessageStatus.SENT)
        .annotate(sent_to=Lower("to_email"), address=Lower("participant__email"))
        .exclude(sent_to=F("address"))
        .order_by("participant_id", "-pk")
        .values_list("participant_id", "pk", "to_email", "bounce_detail")
    )
    latest: dict[int, tuple[int, str, str]] = {}
    for participant_id, pk, to_email, detail in rows:
        latest.setdefault(participant_id, (pk, to_email, detail))
    for pk, to_email, detail in latest.values():
        Message.objects.filter(pk=pk, bounce=Bounce.HARD, status=MessageStatus.SENT).update(
            status=MessageStatus.PENDING,
            bounce="",
            bounced_at=None,
            bounce_detail=f"Bounced from {to_email} ({detail}); sent again to the corrected address."[:2000],
            attempts=0,
            next_attempt_at=None,
        )
    return len(latest)


def due_messages(workshop: Workshop, today: dt.date) -> list[tuple[str, QuerySet[Participant]]]:
    """Which message of this workshop is due on `today`, and who should get it (the log may say some got it
    already). The one rule for planning and for the previews staff confirm."""
    due = due_on(workshop, today)
    if not (due.invitation or due.reminder or due.feedback):
        return []
    participants = workshop.participants.may_receive_mail()
    # Whoever replied already (in the form, or imported) is asked nothing more.
    not_replied = participants.exclude(replied("response__"))
    wanted: list[tuple[str, QuerySet[Participant]]] = []
    if due.invitation:
        wanted.append((MessageKind.INVITATION, not_replied))
    # Reminders follow an invitation that went out (one filter(): the same message row).
    invited = Q(messages__kind=MessageKind.INVITATION, messages__status=MessageStatus.SENT)
    if due.reminder:  # at most SURVEY_MAX_REMINDERS, the reminder kinds of the message log (rocbap.settings)
        wanted.append((reminder_kind(due.reminder), not_replied.filter(invited)))
    if due.feedback:
        # The results go to everybody the survey reached: invited, or replied (an imported reply too).
        reached = participants.filter(pk__in=workshop.participants.filter(invited | replied("response__")).values("pk"))
        wanted.append((MessageKind.FEEDBACK, reached))
    return wanted


def plan(now: dt.datetime) -> int:
    """Create the pending rows of every message due at `now`. Returns how many rows were asked for."""
    today = local_day(now)
    planned = plan_corrected()
    for workshop in Workshop.objects.surveyed():
        for kind, participants in due_messages(workshop, today):
            planned += _plan(participants, kind)
    return planned


@dataclass(frozen=True)
class Announced:
    """One line of a confirmation page: how many people get which message of a workshop, on which day."""

    workshop: Workshop
    kind: str
    count: int
    day: dt.date
    due: dt.date

    @property
    def kind_label(self) -> str:
        return str(MessageKind(self.kind).label)


def preview(workshops: Iterable[Workshop], now: dt.datetime) -> list[Announced]:
    """The messages the next pass would send for these workshops (as they stand, saved or not)."""
    today = local_day(now)
    lines = []
    for workshop in workshops:
        if not workshop.surveyed:
            continue
        for kind, participants in due_messages(workshop, today):
            count = participants.exclude(messages__kind=kind).count()
            if count:
                lines.append(Announced(workshop, kind, count, today, schedule_for(workshop).due))
    return lines


def still_to_send(workshop: Workshop, today: dt.date) -> list[Announced]:
    """The messages of a workshop's survey that have not gone out by `today`, earliest first: the message log's
    pending rows, what is due today and not yet planned, and what the schedule still has to send on a day to come
    (counted as the workshop stands today: a reminder's recipients are those invited by then). Empty once the survey
    has sent everything it will send. The one answer to "is this workshop's mail done?" (a report edition is made
    final only when it is, reports.models.ReportEdition.missing_for_final)."""
    if not workshop.surveyed:
        return []
    schedule = schedule_for(workshop)
    lines: dict[str, Announced] = {}
    pending = (
        Message.objects.filter(participant__workshop=workshop, status=MessageStatus.PENDING)
        .values_list("kind")
        .annotate(count=Count("pk"))
    )
    for kind, count in pending:
        lines[kind] = Announced(workshop, kind, count, today, schedule.due)
    days = sorted(
        {today, *(day for day in (schedule.invitation, *schedule.reminders, schedule.feedback) if day > today)}
    )
    for day in days:
        for kind, participants in due_messages(workshop, day):
            if kind in lines:
                continue
            count = participants.exclude(messages__kind=kind).count()
            if count:
                lines[kind] = Announced(workshop, kind, count, day, schedule.due)
    return sorted(lines.values(), key=lambda line: (line.day, line.kind))


def announced_by(change, workshops: QuerySet[Workshop], now: dt.datetime) -> list[Announced]:
    """What a change (a function writing to the database) would make due that was not due before: the change is
    made in a transaction that is rolled back, so staff see its consequences before anything is kept."""
    with transaction.atomic():
        change()  # first: a change that fails on its own input (not a workbook) fails before any query
        after = preview(workshops.all(), now)  # all(): read the changed rows
        transaction.set_rollback(True)
    before = {(line.workshop.pk, line.kind): line.count for line in preview(workshops.all(), now)}
    return [line for line in after if line.count > before.get((line.workshop.pk, line.kind), 0)]


def change_as_confirmed(
    change, workshops: QuerySet[Workshop], now: dt.datetime, confirmed: Callable[[list[Announced]], bool]
) -> tuple[bool, list[Announced]]:
    """Make the change and keep it only if what it makes due (announced_by's answer) is what staff confirmed;
    else roll it back. Returns whether it was kept, and what it makes due. One pass where announced_by and then
    the change would be two: a big workbook that sends nothing is read once."""
    before = {(line.workshop.pk, line.kind): line.count for line in preview(workshops.all(), now)}
    with transaction.atomic():
        change()
        after = preview(workshops.all(), now)
        lines = [line for line in after if line.count > before.get((line.workshop.pk, line.kind), 0)]
        kept = confirmed(lines)
        if not kept:
            transaction.set_rollback(True)
    return kept, lines
