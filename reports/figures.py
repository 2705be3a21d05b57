"""The report's figures: what the Good Practice Report, its executive summary and the staff page of a fiscal year
read. Loads the frame (reports.frames), applies the counting rules (reports.tables) and looks up the earlier
rounds: a handful of queries, whatever the size of the round."""

from __future__ import annotations

from dataclasses import dataclass, field

from reports import frames, tables
from reports.counted import CountedRound, counted_round
from reports.models import EarlierRound
from reports.tables import CountShare, Table
from workshops.models import Workshop, fiscal_year_label, survey_year

# Survey rounds are numbered from the first, Survey 2015 on FY2014/15 (docs/domain.md).
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
    """The figures of the executive summary (docs/report.md), with the previous round's."""

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
    top_actions: list[tables.RankedAction]  # the three most common
    action_ranking: list[tables.RankedAction]
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


def report_data(fiscal_year: int, counted: CountedRound | None = None) -> ReportData:
    """The FY's tables and figures, from its counted round (reports.counted: kept until a counted row changes)."""
    from reports.stats import association_sentences  # scipy is imported on the first report, not at start-up

    counted = counted_round(fiscal_year) if counted is None else counted
    frame, built = counted.frame, counted.tables
    organized = Workshop.objects.of_fiscal_year(fiscal_year).count()
    figures = _figures(fiscal_year, built, organized, tables.colleagues_reached(frame), previous_round(fiscal_year))
    return ReportData(fiscal_year, built, figures, association_sentences(built["associations"]))


def previous_round(fiscal_year: int) -> RoundFigures | None:
    """The round before: from the database when it holds that round's replies, else staff's table of published
    headline figures, else None."""
    earlier = fiscal_year - 1
    counted = counted_round(earlier)
    if tables.replies(counted.frame).shape[0]:
        built = counted.tables
        total = built["table1"].totals.total
        return RoundFigures(
            earlier,
            round_number(earlier),
            total.reply_rate,
            "database",
            replies=total.replies,
            participants=total.participants,
            effects_attributed=built["table4"].totals.attributed,
            projects_attributed=built["table7"].totals.attributed,
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
    table1: Table[tables.Table1Summary] = built["table1"]
    table4: Table[tables.CrossSummary] = built["table4"]
    table7: Table[tables.CrossSummary] = built["table7"]
    total = table1.totals.total
    scope_rates = {tables.SUBTOTAL_NAMES[scope]: counts.reply_rate for scope, counts in table1.totals.by_scope.items()}
    ranking = tables.action_ranking(built["table2"])
    yes_shares = {question: built[key].totals.yes_percent for question, (key, _title) in tables.YES_NO_TITLES.items()}
    return Figures(
        fiscal_year=fiscal_year,
        fiscal_year_label=fiscal_year_label(fiscal_year),
        survey_year=survey_year(fiscal_year),
        round_number=round_number(fiscal_year),
        workshops_organized=organized,
        workshops_surveyed=len(table1.rows),
        participants=total.participants,
        replies=total.replies,
        reply_rate=total.reply_rate,
        scope_rates=scope_rates,
        subregional_rate=scope_rates.get(tables.SUBTOTAL_NAMES["sub-regional"]),
        regional_rate=scope_rates.get(tables.SUBTOTAL_NAMES["regional"]),
        top_actions=ranking[:3],
        action_ranking=ranking,
        effects_attributed=table4.totals.attributed,
        projects_attributed=table7.totals.attributed,
        yes_shares=yes_shares,
        colleagues=colleagues,
        previous=previous,
    )


# --- The reply rate of every round ---------------------------------------------------------------------------


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
