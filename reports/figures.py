"""The report's figures: what the Good Practice Report, its executive summary and the staff page of a fiscal year
read. Loads the frame (reports.frames), applies the counting rules (reports.tables) and looks up the earlier
rounds: a handful of queries, whatever the size of the round."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q

from reports import frames, tables
from reports.cells import CountShare
from reports.counted import CountedRound, counted_round
from reports.models import EarlierRound, EditionStatus, ReportEdition
from reports.tables import Table
from workshops.models import Scope, Workshop, fiscal_year_label, survey_year


@dataclass(frozen=True)
class RoundFigures:
    """The headline figures of one round; those a published earlier round lacks are None."""

    fiscal_year: int
    round_number: int
    reply_rate: int | None
    source: str  # "database" or "published"
    replies: int | None = None
    participants: int | None = None
    effects_attributed: int | None = None  # Table 4's bottom line, % (a published round gives the share only)
    projects_attributed: int | None = None  # Table 7's bottom line, %
    rates_by_scope: dict[str, int | None] = field(default_factory=dict)  # "sub-regional"... -> reply rate
    action_shares: dict[str, int | None] = field(default_factory=dict)  # Table 2's column -> % of replies
    yes_shares: dict[str, int | None] = field(default_factory=dict)  # "q3_direct_effects"... -> Yes (%)


@dataclass(frozen=True)
class Figures:
    """The figures of the executive summary (docs/report.md), with the previous round's."""

    fiscal_year: int
    fiscal_year_label: str
    survey_year: int
    round_number: int
    workshops_organized: int  # regional and sub-regional, accreditation workshops left out
    workshops_surveyed: int  # of those
    national_surveyed: int  # national workshops surveyed, stated on their own
    participants: int
    replies: int
    reply_rate: int | None
    scope_rates: dict[str, int | None]  # "Sub-total of Sub-regional Workshops" etc. -> rate
    rates_by_scope: dict[str, int | None]  # "sub-regional", "regional", "national" (those present) -> rate
    subregional_rate: int | None
    regional_rate: int | None
    top_actions: list[tables.RankedAction]  # the three most common
    action_ranking: list[tables.RankedAction]
    effects_attributed: CountShare
    projects_attributed: CountShare
    yes_shares: dict[str, int | None]  # "q3_direct_effects"... -> Yes (%)
    colleagues: tables.ColleaguesReached
    utilization_described: CountShare  # replies that answered Q2 (2.3)
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


def first_round_fiscal_year() -> int | None:
    """The fiscal year of the office's first round: the office file's `survey_since` (Survey 2015 on FY2014/15 for
    the Asia/Pacific office, docs/domain.md), else as the earlier-rounds record numbers its rounds, else the first
    fiscal year with surveyed workshops in the database (an office with no earlier round: its first is here)."""
    first = settings.OFFICE.first_round_fiscal_year
    if first is not None:
        return first
    numbered = EarlierRound.objects.order_by("fiscal_year").values_list("fiscal_year", "round_number").first()
    if numbered is not None:
        return numbered[0] - numbered[1] + 1
    return Workshop.objects.surveyed().order_by("fiscal_year").values_list("fiscal_year", flat=True).first()


def round_number(fiscal_year: int) -> int:
    """The round's number as staff keep it for earlier rounds, else counted from the office's first round."""
    earlier = EarlierRound.objects.filter(fiscal_year=fiscal_year).values_list("round_number", flat=True).first()
    if earlier is not None:
        return earlier
    first = first_round_fiscal_year()
    return 1 if first is None else max(1, fiscal_year - first + 1)


# The workshops the report counts as the FY's regional/sub-regional workshops (the published convention).
COUNTED_SCOPES = (Scope.REGIONAL, Scope.SUB_REGIONAL)


@dataclass(frozen=True)
class WorkshopCounts:
    organized: int  # regional/sub-regional, not accreditation
    surveyed: int  # of those
    national_surveyed: int


def workshop_counts(fiscal_year: int) -> WorkshopCounts:
    """The counts of the first sentence of 2.1: "organized a total of N regional/sub-regional workshops, excluding
    the accreditation workshops; M of which were subjected to the survey"; national workshops on their own."""
    counted = Q(scope__in=COUNTED_SCOPES, accreditation=False)
    counts = Workshop.objects.of_fiscal_year(fiscal_year).aggregate(
        organized_count=Count("pk", filter=counted),
        surveyed_count=Count("pk", filter=counted & Q(surveyed=True)),
        national_count=Count("pk", filter=Q(scope=Scope.NATIONAL, surveyed=True)),
    )
    return WorkshopCounts(counts["organized_count"], counts["surveyed_count"], counts["national_count"])


def report_data(fiscal_year: int, counted: CountedRound | None = None) -> ReportData:
    """The FY's tables and figures, from its counted round (reports.counted: kept until a counted row changes)."""
    from reports.stats import association_sentences  # scipy is imported on the first report, not at start-up

    counted = counted_round(fiscal_year) if counted is None else counted
    frame, built = counted.frame, counted.tables
    counts = workshop_counts(fiscal_year)
    figures = _figures(
        fiscal_year,
        built,
        counts,
        tables.colleagues_reached(frame),
        tables.utilization_described(frame),
        previous_round(fiscal_year),
    )
    return ReportData(fiscal_year, built, figures, association_sentences(built["associations"]))


def round_is_complete(fiscal_year: int) -> bool:
    """A round's figures are final once its report edition is: until then the database may hold a few stray
    workshops of that year (or a round still collecting replies), which are no round to compare with."""
    return ReportEdition.objects.filter(fiscal_year=fiscal_year, status=EditionStatus.FINAL).exists()


def previous_round(fiscal_year: int) -> RoundFigures | None:
    """The round before is the previous FY's round: from the database when that round is complete (its edition
    is final), else from the earlier rounds' headline figures that staff keep (EarlierRound), else None."""
    earlier = fiscal_year - 1
    if round_is_complete(earlier):
        counted = counted_round(earlier)
        if tables.replies(counted.frame).shape[0]:
            return _database_round(earlier, counted.tables)
    published = EarlierRound.objects.filter(fiscal_year=earlier).first()
    return None if published is None else published_round(published)


# Where the earlier-rounds record keeps each compared figure.
PUBLISHED_SCOPE_RATES = {
    "sub-regional": "subregional_rate_percent",
    "regional": "regional_rate_percent",
    "national": "national_rate_percent",
}
PUBLISHED_ACTION_SHARES = {
    "q1_shared_materials": "shared_materials_percent",
    "q1_submitted_report": "submitted_report_percent",
    "q1_made_recommendations": "made_recommendations_percent",
    "q1_inhouse_workshop": "inhouse_workshop_percent",
    "q1_manuals": "manuals_percent",
    "q1_others": "others_percent",
}
PUBLISHED_YES_SHARES = {
    "q3_direct_effects": "q3_yes_percent",
    "q4_contributed": "q4_yes_percent",
    "q5_new_project": "q5_yes_percent",
}


def published_round(published: EarlierRound) -> RoundFigures:
    """An earlier round's figures as its report printed them (None where it gives none)."""
    return RoundFigures(
        published.fiscal_year,
        published.round_number,
        published.reply_rate_percent,
        "published",
        effects_attributed=published.effects_attributed_percent,
        projects_attributed=published.projects_attributed_percent,
        rates_by_scope={scope: getattr(published, name) for scope, name in PUBLISHED_SCOPE_RATES.items()},
        action_shares={
            tables.ACTION_COLUMNS[action]: getattr(published, name) for action, name in PUBLISHED_ACTION_SHARES.items()
        },
        yes_shares={question: getattr(published, name) for question, name in PUBLISHED_YES_SHARES.items()},
    )


def _database_round(fiscal_year: int, built: dict[str, Table]) -> RoundFigures:
    total = built["table1"].totals.total
    return RoundFigures(
        fiscal_year,
        round_number(fiscal_year),
        total.reply_rate,
        "database",
        replies=total.replies,
        participants=total.participants,
        effects_attributed=built["table4"].totals.attributed.percent,
        projects_attributed=built["table7"].totals.attributed.percent,
        rates_by_scope={scope: counts.reply_rate for scope, counts in built["table1"].totals.by_scope.items()},
        action_shares={action.name: action.percent for action in tables.action_ranking(built["table2"])},
        yes_shares={question: built[key].totals.yes_percent for question, (key, _t) in tables.YES_NO_TITLES.items()},
    )


def _figures(
    fiscal_year: int,
    built: dict[str, Table],
    counts: WorkshopCounts,
    colleagues: tables.ColleaguesReached,
    utilization: CountShare,
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
        workshops_organized=counts.organized,
        workshops_surveyed=counts.surveyed,
        national_surveyed=counts.national_surveyed,
        participants=total.participants,
        replies=total.replies,
        reply_rate=total.reply_rate,
        scope_rates=scope_rates,
        rates_by_scope={scope: counts.reply_rate for scope, counts in table1.totals.by_scope.items()},
        subregional_rate=scope_rates.get(tables.SUBTOTAL_NAMES["sub-regional"]),
        regional_rate=scope_rates.get(tables.SUBTOTAL_NAMES["regional"]),
        top_actions=ranking[:3],
        action_ranking=ranking,
        effects_attributed=table4.totals.attributed,
        projects_attributed=table7.totals.attributed,
        yes_shares=yes_shares,
        colleagues=colleagues,
        utilization_described=utilization,
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
    round is complete (its edition final) or is the report's own, else as published. A year of the database that
    is neither (a few stray workshops, a round not yet reported) and was never published is no round: left out."""
    from_database = tables.reply_rates_by_round(frames.workshop_counts_frame())
    complete = set(ReportEdition.objects.filter(status=EditionStatus.FINAL).values_list("fiscal_year", flat=True))
    from_database = {year: rate for year, rate in from_database.items() if year in complete or year == until}
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
