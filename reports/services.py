"""What views, commands, e-mails and the PDF ask of the reports: load the frame, apply the counting rules
(reports.tables), and look up the earlier rounds. A handful of queries, whatever the size of the round."""

from __future__ import annotations

from dataclasses import dataclass, field

from reports import frames, tables
from reports.models import EarlierRound
from reports.tables import CountShare, Table
from surveys.models import Response
from workshops.models import Workshop, fiscal_year_label

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


def report_data(fiscal_year: int) -> ReportData:
    from reports.stats import association_sentences

    frame = frames.replies_frame(fiscal_year)
    built = tables.build_tables(frame)
    organized = Workshop.objects.of_fiscal_year(fiscal_year).count()
    figures = _figures(fiscal_year, built, organized, tables.colleagues_reached(frame), previous_round(fiscal_year))
    return ReportData(fiscal_year, built, figures, association_sentences(built["associations"]))


def previous_round(fiscal_year: int) -> RoundFigures | None:
    """The round before: from the database when it holds that round's replies, else staff's table of published
    headline figures, else None."""
    earlier = fiscal_year - 1
    frame = frames.replies_frame(earlier)
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
        survey_year=fiscal_year + 1,
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


# --- One workshop, for the feedback mail ------------------------------------------------------------------


@dataclass(frozen=True)
class WorkshopResults:
    replies: int
    participants: int
    actions: list[tuple[str, int]]  # (Q1 action as the questionnaire's box reads, replies that ticked it)
    yes_no: list[tuple[str, int, int]]  # (Q3/Q4/Q5 label, yes, no)


def workshop_results(workshop: Workshop) -> WorkshopResults:
    counts = tables.workshop_counts(frames.workshop_frame(workshop.pk))
    label = {
        name: str(Response._meta.get_field(name).verbose_name)
        for name in (*tables.Q1_ACTIONS, *tables.YES_NO_QUESTIONS)
    }
    return WorkshopResults(
        replies=counts.replies,
        participants=counts.participants,
        actions=[(label[action], count) for action, count in counts.actions.items()],
        yes_no=[(label[question], yes, no) for question, (yes, no) in counts.yes_no.items()],
    )
