"""What the staff pages ask (under /staff/): a fiscal year's overview with each workshop's progress while the
round runs, a workshop's replies to read, the fiscal years to choose from. Charts are drawn by the view
(reports.charts), not here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext

from reports import frames, tables, wording
from reports.counted import counted_round
from reports.figures import ReportData, RoundRate, reply_rate_trend, report_data
from rocbap.formats import day_label
from surveys import instrument
from surveys.mail.results import WorkshopResults, workshop_results
from surveys.models import Response
from surveys.questionnaire import rounds
from surveys.questionnaire.schedule import Schedule, schedule_for
from workshops.models import MemberAdministration, Participant, Workshop, administration_name, fiscal_year_label


@dataclass(frozen=True)
class WorkshopProgress:
    workshop: Workshop
    number: int
    label: str
    participants: int
    replies: int
    late: int
    drafts: int
    reply_rate: int | None
    schedule: Schedule
    status: str  # where the workshop stands in the survey calendar today
    undeliverable: int = 0  # participants whose address bounced for good


@dataclass
class StaffOverview:
    data: ReportData
    round_open: bool
    progress: list[WorkshopProgress]
    trend: list[RoundRate]
    workshops: list[tuple[int, str]]  # (workshop id, label) in the tables' order
    # (administration, count) of participants whose address bounced for good: staff ask them for the right one.
    undeliverable_by_administration: list[tuple[MemberAdministration, int]] = field(default_factory=list)


def _calendar_status(schedule: Schedule, today: dt.date) -> str:
    """Where the workshop stands, in the staff user's language."""
    if today < schedule.invitation:
        return gettext("invitations on %(day)s") % {"day": day_label(schedule.invitation)}
    if today <= schedule.due:
        return gettext("collecting replies until %(day)s") % {"day": day_label(schedule.due)}
    if today < schedule.feedback:
        return gettext("due date passed, feedback on %(day)s") % {"day": day_label(schedule.feedback)}
    return gettext("feedback sent or due; late replies still accepted")


def staff_overview(fiscal_year: int) -> StaffOverview:
    """Everything the staff page of a fiscal year shows, in a few queries."""
    counted = counted_round(fiscal_year)
    data, frame = report_data(fiscal_year, counted), counted.frame
    round_open = not rounds.is_closed(fiscal_year)
    progress: list[WorkshopProgress] = []
    by_workshop, by_administration = _undeliverable(fiscal_year)
    by_id = Workshop.objects.in_bulk([int(pk) for pk in frame["workshop_id"].unique()])
    if round_open:
        today = timezone.localdate()
        for row in tables.reply_progress(frame).itertuples():
            workshop = by_id[row.workshop_id]
            schedule = schedule_for(workshop)
            progress.append(
                WorkshopProgress(
                    workshop,
                    row.number,
                    str(workshop),  # its title in the staff user's language, and its month
                    row.participants,
                    row.replies,
                    row.late,
                    row.drafts,
                    row.reply_rate,
                    schedule,
                    _calendar_status(schedule, today),
                    by_workshop.get(row.workshop_id, 0),
                )
            )
    trend = reply_rate_trend(until=fiscal_year)
    return StaffOverview(
        data,
        round_open,
        progress,
        trend,
        [(int(w.workshop_id), str(by_id[int(w.workshop_id)])) for w in tables.workshops(frame).itertuples()],
        by_administration,
    )


def _undeliverable(fiscal_year: int) -> tuple[dict[int, int], list[tuple[MemberAdministration, int]]]:
    """Participants of the FY's surveyed workshops whose address bounced for good: by workshop id, and by
    administration (in code order)."""
    undeliverable = Participant.objects.undeliverable().filter(
        workshop__fiscal_year=fiscal_year, workshop__surveyed=True
    )
    by_workshop = dict(
        undeliverable.order_by().values("workshop_id").annotate(n=Count("pk")).values_list("workshop_id", "n")
    )
    administrations = MemberAdministration.objects.in_bulk()
    by_administration = [
        (administrations[pk], count)
        for pk, count in undeliverable.order_by("administration__code")
        .values("administration_id", "administration__code")
        .annotate(n=Count("pk"))
        .values_list("administration_id", "n")
    ]
    return by_workshop, by_administration


@dataclass(frozen=True)
class WorkshopReplies:
    workshop: Workshop
    counts: WorkshopResults
    replies: list[dict[str, Any]]


def workshop_replies(workshop: Workshop) -> WorkshopReplies:
    """A workshop's replies with their texts, for staff to read."""
    frame = frames.workshop_frame(workshop.pk)
    replied = tables.replies(frame).sort_values(["administration", "participant_name"])
    records = []
    for reply in replied.to_dict("records"):
        reply["actions"] = [wording.label(tables.ACTION_COLUMNS[a]) for a in instrument.Q1_ACTIONS if reply[a]]
        reply["yes_no"] = [
            (Response.answer_label(q), None if pd.isna(reply[q]) else bool(reply[q]))
            for q in instrument.YES_NO_QUESTIONS
        ]
        reply["texts"] = [(Response.answer_label(t), reply[t]) for t in instrument.FREE_TEXTS if reply[t]]
        for name in instrument.COUNTS:
            reply[name] = None if pd.isna(reply[name]) else int(reply[name])
        reply["submitted_at"] = reply["submitted_at"].to_pydatetime()
        reply["administration_name"] = administration_name(reply["administration"], reply["administration_name"])
        records.append(reply)
    return WorkshopReplies(workshop, workshop_results(workshop), records)


def fiscal_years() -> list[tuple[int, str, int]]:
    """Fiscal years with surveyed workshops, newest first: (year, label, workshops)."""
    rows = (
        Workshop.objects.surveyed()
        .values("fiscal_year")
        .annotate(workshops=Count("pk"))
        .order_by("-fiscal_year")
        .values_list("fiscal_year", "workshops")
    )
    return [(year, fiscal_year_label(year), count) for year, count in rows]
