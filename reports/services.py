"""What views, commands, e-mails and the PDF ask of the reports: load the frame, apply the counting rules
(reports.tables), and look up the earlier rounds. A handful of queries, whatever the size of the round."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.db.models import Count
from django.utils import timezone
from django.utils.safestring import SafeString

from reports import charts, frames, tables
from reports.models import EarlierRound
from reports.tables import CountShare, Table
from surveys import questionnaire, rounds
from surveys.feedback import WorkshopResults, workshop_results
from surveys.models import Response
from surveys.schedule import Schedule, schedule_for
from workshops.models import Workshop, fiscal_year_label, survey_year

# Survey rounds are numbered from the first, Survey 2015 on FY2014/15 (domain.md).
FIRST_ROUND_FISCAL_YEAR = 2014


@dataclass(frozen=True)
class RoundFigures:
    """The headline figures of one round; those a published earlier round lacks are None."""

    fiscal_year: int
    round_number: int
    reply_rate: int | None
    source: str  # "database" or "published"
    replies: int | None = None
    participants: int | None = None
    effects_attributed: CountShare | None = None  # Table 4's bottom line
    projects_attributed: CountShare | None = None  # Table 7's bottom line


@dataclass(frozen=True)
class Figures:
    """The figures of the executive summary (good-practice-report.md), with the previous round's."""

    fiscal_year: int
    fiscal_year_label: str
    survey_year: int
    round_number: int
    workshops_organized: int
    workshops_surveyed: int
    participants: int
    replies: int
    reply_rate: int | None
    scope_rates: dict[str, int | None]  # "Sub-total of Sub-Regional Workshops" etc. -> rate
    subregional_rate: int | None
    regional_rate: int | None
    top_actions: list[tuple[str, int, int | None]]  # (Table 2 column, replies, % of replies), three most common
    action_ranking: list[tuple[str, int, int | None]]
    effects_attributed: CountShare
    projects_attributed: CountShare
    yes_shares: dict[str, int | None]  # "q3_direct_effects"... -> Yes (%)
    colleagues: tables.ColleaguesReached
    previous: RoundFigures | None


@dataclass
class ReportData:
    fiscal_year: int
    tables: dict[str, Table]
    figures: Figures
    association_sentences: list[str] = field(default_factory=list)

    @property
    def round_number(self) -> int:
        return self.figures.round_number

    @property
    def workshops_organized(self) -> int:
        return self.figures.workshops_organized

    @property
    def workshops_surveyed(self) -> int:
        return self.figures.workshops_surveyed


def round_number(fiscal_year: int) -> int:
    """The round's number as staff keep it for earlier rounds, else counted from the first round."""
    earlier = EarlierRound.objects.filter(fiscal_year=fiscal_year).values_list("round_number", flat=True).first()
    return earlier if earlier is not None else fiscal_year - FIRST_ROUND_FISCAL_YEAR + 1


def report_data(fiscal_year: int, frame: pd.DataFrame | None = None) -> ReportData:
    from reports.stats import association_sentences  # scipy is imported on the first report, not at start-up

    frame = frames.replies_frame(fiscal_year, texts=False) if frame is None else frame
    built = tables.build_tables(frame)
    organized = Workshop.objects.of_fiscal_year(fiscal_year).count()
    figures = _figures(fiscal_year, built, organized, tables.colleagues_reached(frame), previous_round(fiscal_year))
    return ReportData(fiscal_year, built, figures, association_sentences(built["associations"]))


def previous_round(fiscal_year: int) -> RoundFigures | None:
    """The round before: from the database when it holds that round's replies, else staff's table of published
    headline figures, else None."""
    earlier = fiscal_year - 1
    frame = frames.replies_frame(earlier, texts=False)
    if tables.replies(frame).shape[0]:
        built = {key: tables.TABLE_FUNCTIONS[key](frame) for key in ("table1", "table4", "table7")}
        total = built["table1"].summary_row("Total")
        return RoundFigures(
            earlier,
            round_number(earlier),
            total[-1],
            "database",
            replies=total[5],
            participants=total[4],
            effects_attributed=built["table4"].summary[-1][-1],
            projects_attributed=built["table7"].summary[-1][-1],
        )
    published = EarlierRound.objects.filter(fiscal_year=earlier).first()
    if published is None:
        return None
    return RoundFigures(earlier, published.round_number, published.reply_rate_percent, "published")


def _figures(
    fiscal_year: int,
    built: dict[str, Table],
    organized: int,
    colleagues: tables.ColleaguesReached,
    previous: RoundFigures | None,
) -> Figures:
    table1 = built["table1"]
    total = table1.summary_row("Total")
    scope_rates = {row[1]: row[-1] for row in table1.summary if row[1] != "Total"}
    ranking = tables.action_ranking(built["table2"])
    yes_shares = {
        question: built[key].summary_row("Total")[-1] for question, (key, _title) in tables.YES_NO_TITLES.items()
    }
    return Figures(
        fiscal_year=fiscal_year,
        fiscal_year_label=fiscal_year_label(fiscal_year),
        survey_year=survey_year(fiscal_year),
        round_number=round_number(fiscal_year),
        workshops_organized=organized,
        workshops_surveyed=len(table1.rows),
        participants=total[4],
        replies=total[5],
        reply_rate=total[6],
        scope_rates=scope_rates,
        subregional_rate=scope_rates.get(tables.SUBTOTAL_NAMES["sub-regional"]),
        regional_rate=scope_rates.get(tables.SUBTOTAL_NAMES["regional"]),
        top_actions=ranking[:3],
        action_ranking=ranking,
        effects_attributed=built["table4"].summary[-1][-1],
        projects_attributed=built["table7"].summary[-1][-1],
        yes_shares=yes_shares,
        colleagues=colleagues,
        previous=previous,
    )


# --- The staff pages ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundRate:
    fiscal_year: int
    label: str  # "Survey 2020"
    reply_rate: int | None
    source: str  # "database" or "published"


def reply_rate_trend(until: int | None = None) -> list[RoundRate]:
    """Reply rate of every round (up to the fiscal year `until`, for its report): from the replies where the
    database holds them, else as published."""
    from_database = tables.reply_rates_by_round(frames.workshop_counts_frame())
    published = dict(EarlierRound.objects.values_list("fiscal_year", "reply_rate_percent"))
    years = sorted(year for year in set(from_database) | set(published) if until is None or year <= until)
    return [
        RoundRate(
            year,
            f"Survey {survey_year(year)}",
            from_database[year] if year in from_database else published[year],
            "database" if year in from_database else "published",
        )
        for year in years
    ]


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


@dataclass
class StaffOverview:
    data: ReportData
    round_open: bool
    progress: list[WorkshopProgress]
    trend: list[RoundRate]
    charts: dict[str, SafeString]
    workshops: list[tuple[int, str]]  # (workshop id, label) in the tables' order


def _calendar_status(schedule, today: dt.date) -> str:
    if today < schedule.invitation:
        return f"invitations on {schedule.invitation:%d %b %Y}"
    if today <= schedule.due:
        return f"collecting replies until {schedule.due:%d %b %Y}"
    if today < schedule.feedback:
        return f"due date passed, feedback on {schedule.feedback:%d %b %Y}"
    return "feedback sent or due; late replies still accepted"


def staff_overview(fiscal_year: int) -> StaffOverview:
    """Everything the staff page of a fiscal year shows, in a few queries."""
    frame = frames.replies_frame(fiscal_year, texts=False)
    data = report_data(fiscal_year, frame)
    round_open = not rounds.is_closed(fiscal_year)
    progress: list[WorkshopProgress] = []
    if round_open:
        by_id = Workshop.objects.in_bulk(list(frame["workshop_id"].unique()))
        today = timezone.localdate()
        for row in tables.reply_progress(frame).itertuples():
            workshop = by_id[row.workshop_id]
            schedule = schedule_for(workshop)
            progress.append(
                WorkshopProgress(
                    workshop,
                    row.number,
                    row.label,
                    row.participants,
                    row.replies,
                    row.late,
                    row.drafts,
                    row.reply_rate,
                    schedule,
                    _calendar_status(schedule, today),
                )
            )
    trend = reply_rate_trend(until=fiscal_year)
    return StaffOverview(
        data,
        round_open,
        progress,
        trend,
        charts.report_charts(data, trend),
        [(int(w.workshop_id), w.label) for w in tables.workshops(frame).itertuples()],
    )


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
        reply["actions"] = [tables.ACTION_COLUMNS[a] for a in questionnaire.Q1_ACTIONS if reply[a]]
        reply["yes_no"] = [
            (Response.answer_label(q), None if pd.isna(reply[q]) else bool(reply[q]))
            for q in questionnaire.YES_NO_QUESTIONS
        ]
        reply["texts"] = [(Response.answer_label(t), reply[t]) for t in questionnaire.FREE_TEXTS if reply[t]]
        for name in questionnaire.COUNTS:
            reply[name] = None if pd.isna(reply[name]) else int(reply[name])
        reply["submitted_at"] = reply["submitted_at"].to_pydatetime()
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
