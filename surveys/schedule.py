"""The survey calendar: the one place where invitation, due, reminder and feedback dates are computed.

Dates are days in settings.TIME_ZONE (the office's). They are computed from the workshop row each time they
are needed, so a corrected end date or override reaches every later message.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

if TYPE_CHECKING:
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
