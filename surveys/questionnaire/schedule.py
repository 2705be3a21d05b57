"""The survey calendar: the one place where invitation, due, reminder and feedback dates are computed.

Dates are days in settings.TIME_ZONE (the office's). They are computed from the workshop row each time they
are needed, so a corrected end date or override reaches every later message.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from rocbap.formats import day_long
from surveys.models import MessageKind, reminder_number
from workshops.models import Workshop


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months later; a day past the target month's end becomes its last day (31 Aug + 6 -> 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Schedule:
    invitation: dt.date
    due: dt.date
    reminders: tuple[dt.date, ...]  # in the order they are sent
    feedback: dt.date

    def is_late(self, submitted_at: dt.datetime) -> bool:
        """A reply is late when it was submitted on a day (local time) after the due date."""
        return timezone.localdate(submitted_at) > self.due


def schedule_for(workshop: Workshop) -> Schedule:
    invitation = workshop.invitation_date_override or add_months(workshop.end_date, settings.SURVEY_DELAY_MONTHS)
    due = workshop.due_date_override or invitation + dt.timedelta(days=settings.SURVEY_REPLY_DAYS)
    reminders = tuple(
        due - dt.timedelta(days=days)
        for days in sorted(settings.SURVEY_REMINDER_DAYS, reverse=True)
        if due - dt.timedelta(days=days) > invitation
    )
    feedback = workshop.feedback_date_override or due + dt.timedelta(days=1)
    return Schedule(invitation=invitation, due=due, reminders=reminders, feedback=feedback)


# An invitation that leaves fewer days than this to reply is flagged in the plan staff confirm (it is allowed: a
# late release may need it, but staff should see it).
SHORT_NOTICE_DAYS = 7


def short_notice(invitation_day: dt.date, due: dt.date) -> bool:
    """Fewer than SHORT_NOTICE_DAYS from the invitation's day to the due date."""
    return (due - invitation_day).days < SHORT_NOTICE_DAYS


def date_problems(workshop: Workshop) -> dict[str, str]:
    """What is wrong with a workshop's survey dates, by the field to correct; empty when they make sense.

    Dates that make sense: the invitation on or after the workshop's end, the due date after the invitation, the
    results after the due date. The reminders need no check: schedule_for places them before the due date and keeps
    only those after the invitation. Only an override can break a rule (the computed dates follow them), so each
    problem is the override's field. Checked by Workshop.clean (registered in SurveysConfig.ready), so the admin,
    the import and every command refuse the same dates.
    """
    if workshop.end_date is None or (workshop.start_date and workshop.end_date < workshop.start_date):
        return {}  # the end date's own error comes first
    schedule = schedule_for(workshop)
    problems = {}
    if schedule.invitation < workshop.end_date:
        problems["invitation_date_override"] = gettext(
            "The invitation (%(invitation)s) must be on or after the workshop's end (%(end)s)."
        ) % {"invitation": day_long(schedule.invitation), "end": day_long(workshop.end_date)}
    if schedule.due <= schedule.invitation:
        problems["due_date_override"] = gettext(
            "The due date (%(due)s) must be after the invitation (%(invitation)s)."
        ) % {"due": day_long(schedule.due), "invitation": day_long(schedule.invitation)}
    elif schedule.feedback <= schedule.due:
        problems["feedback_date_override"] = gettext(
            "The results (%(feedback)s) must be after the due date (%(due)s)."
        ) % {"feedback": day_long(schedule.feedback), "due": day_long(schedule.due)}
    return problems


def check_dates(workshop: Workshop) -> None:
    """Workshop.clean's survey-date check: raises a ValidationError naming each field to correct."""
    problems = date_problems(workshop)
    if problems:
        raise ValidationError(problems)


def local_day(moment: dt.datetime) -> dt.date:
    """The office's calendar day at a moment: every schedule date is a day in settings.TIME_ZONE."""
    return timezone.localdate(moment)


@dataclass(frozen=True)
class DueToday:
    """Which of a workshop's messages are due on a day. Who receives them is the dispatch's business."""

    invitation: bool
    reminder: int | None  # the number (1-based) of the latest reminder whose day has come, until the due date
    feedback: bool


def due_on(workshop: Workshop, today: dt.date) -> DueToday:
    """The catch-up rules: a message that fell due while the scheduler was down still goes out, within limits.

    * The invitation goes out from its day on, for SURVEY_CATCH_UP_DAYS; an older one only once staff released
      the workshop's invitations (a historical workshop entered late must not surprise its participants).
    * A reminder goes out from its day until the due date; when several fell due, only the latest one.
    * The feedback goes out from its day on, for SURVEY_CATCH_UP_DAYS.
    """
    schedule = schedule_for(workshop)
    invitation = schedule.invitation <= today and (
        not past_catch_up(workshop, today) or workshop.invitations_released_at is not None
    )
    reminder = None
    if today <= schedule.due:
        for number, day in enumerate(schedule.reminders, start=1):
            if day <= today:
                reminder = number
    feedback = schedule.feedback <= today <= schedule.feedback + dt.timedelta(days=settings.SURVEY_CATCH_UP_DAYS)
    return DueToday(invitation=invitation, reminder=reminder, feedback=feedback)


def days_left(workshop: Workshop, today: dt.date) -> int:
    """Days from `today` to the due date (0 on the due date, negative after it)."""
    return (schedule_for(workshop).due - today).days


def past_catch_up(workshop: Workshop, today: dt.date) -> bool:
    """The invitation's catch-up window has closed: only staff can release these invitations now."""
    return today - schedule_for(workshop).invitation > dt.timedelta(days=settings.SURVEY_CATCH_UP_DAYS)


def moment_passed(workshop: Workshop, kind: str, today: dt.date) -> str:
    """Why a message of this kind, planned earlier, would no longer be true if sent on `today` ('' when it still
    is): an invitation or reminder after the due date would ask for a reply by a day gone by; a feedback after its
    catch-up window comes out of the blue. The link sent again on request is true any day (its text says so)."""
    schedule = schedule_for(workshop)
    if (kind in (MessageKind.INVITATION, MessageKind.CORRECTION) or reminder_number(kind)) and today > schedule.due:
        return f"The due date ({schedule.due:%d %b %Y}) passed before it went out."
    if kind == MessageKind.FEEDBACK and today > schedule.feedback + dt.timedelta(days=settings.SURVEY_CATCH_UP_DAYS):
        return f"Its moment ({schedule.feedback:%d %b %Y}) passed before it went out."
    return ""
