"""The counting rules of the Good Practice Report (docs/domain.md, docs/report.md) as pure functions:
a DataFrame of replies in (reports.frames builds it, one row per participant), Tables 1-7 and the association
table out. No Django here, so every rule can be tested on a frame written by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, NamedTuple, TypeVar

import numpy as np
import pandas as pd

from reports.cells import CodeCell, CodeEntry, CountShare, WorkshopLabel
from rocbap.percentages import percent, reply_rate

# The frame's answer columns carry the model's field names; questionnaire.py is plain Python, like this module.
from surveys.instrument import Q1_ACTIONS, YES_NO_QUESTIONS


# Table 2's column names for the Q1 actions, in the questionnaire's order.
def N_(text: str) -> str:
    """Marks a label for the catalogue (workshops/management/commands/makemessages.py extracts it); the label stays
    English here, where the code looks it up, and is translated where it is shown (reports.wording)."""
    return text


ACTION_COLUMNS = {
    "q1_shared_materials": N_("Share training materials"),
    "q1_submitted_report": N_("Submit reports"),
    "q1_made_recommendations": N_("Make recommendations"),
    "q1_inhouse_workshop": N_("Organize in-house workshop"),
    "q1_manuals": N_("Develop operational manuals"),
    "q1_others": N_("Others"),
}
OUTCOME_NAMES = {
    "q3_direct_effects": N_("Direct effects (Q3)"),
    "q4_contributed": N_("Efficiency (Q4)"),
    "q5_new_project": N_("Modernization project (Q5)"),
}
SCOPE_LABELS = {"sub-regional": N_("Sub-regional"), "regional": N_("Regional"), "national": N_("National")}
SUBTOTAL_NAMES = {
    "sub-regional": N_("Sub-total of Sub-regional Workshops"),
    "regional": N_("Sub-total of Regional Workshops"),
    "national": N_("Sub-total of National Workshops"),
}
WORKSHOP_COLUMNS = [N_("No."), N_("Workshop")]


Totals = TypeVar("Totals")


@dataclass
class Table(Generic[Totals]):
    """A table as printed (`rows` and the `summary` rows under them, for the renderers) and its bottom lines by
    name (`totals`: Table1Summary, Table2Summary, YesNoSummary or CrossSummary; None for the association table).
    Whoever needs a figure reads `totals`; only the renderers walk the rows."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    summary: list[list[Any]] = field(default_factory=list)
    totals: Totals = field(kw_only=True)

    def cell(self, row: list[Any], column: str) -> Any:
        return row[self.columns.index(column)]


# --- The tables' bottom lines, by name ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyCounts:
    """A summary line of Table 1: a group of workshops' administrations, participants and replies."""

    administrations: int
    participants: int
    replies: int

    @property
    def reply_rate(self) -> int | None:
        return reply_rate(self.replies, self.participants)

    def row(self, name: str) -> list[Any]:
        return ["", name, "", self.administrations, self.participants, self.replies, self.reply_rate]


@dataclass(frozen=True)
class Table1Summary:
    by_scope: dict[str, ReplyCounts]  # "sub-regional", "regional", and "national" when the round has one
    total: ReplyCounts

    def rows(self) -> list[list[Any]]:
        # A round of one scope has one sub-total, equal to the total line under it: printed once, as the total.
        shown = self.by_scope if len(self.by_scope) > 1 else {}
        subtotals = [counts.row(SUBTOTAL_NAMES[scope]) for scope, counts in shown.items()]
        return [*subtotals, self.total.row(N_("Total"))]


@dataclass(frozen=True)
class Table2Summary:
    replies: int
    actions: dict[str, CountShare]  # Q1 action (frame column) -> replies that took it (% of replies)

    def rows(self) -> list[list[Any]]:
        return [
            ["", N_("Total"), self.replies, *(share.count for share in self.actions.values())],
            # xgettext:no-python-format
            ["", N_("% of replies"), "", *(share.percent for share in self.actions.values())],
        ]


@dataclass(frozen=True)
class YesNoSummary:
    """The Total line of Tables 3, 5 and 6: replies that answered the question, and how."""

    answered: int
    yes: int

    @property
    def no(self) -> int:
        return self.answered - self.yes

    @property
    def yes_percent(self) -> int | None:
        return percent(self.yes, self.answered)

    def rows(self) -> list[list[Any]]:
        return [["", N_("Total"), self.answered, self.yes, self.no, self.yes_percent]]


@dataclass(frozen=True)
class CrossSummary:
    """The bottom lines of Tables 4 and 7: how many took each action and realized the outcome, how many of them
    led to it, and the bottom line itself, the outcomes attributed to either action."""

    first_action: int
    second_action: int
    outcome: int
    first_led: CountShare  # of those who took the first action
    second_led: CountShare
    attributed: CountShare  # of those who realized the outcome: Table 4's and Table 7's bottom line

    def rows(self, shape: CrossShape) -> list[list[Any]]:
        return [
            ["", N_("Total"), self.first_action, self.second_action, self.outcome],
            ["", shape.led_name, self.first_led, self.second_led, ""],
            ["", shape.attributed_name, "", "", self.attributed],
        ]


# --- The frame ----------------------------------------------------------------------------------------------


def replies(frame: pd.DataFrame) -> pd.DataFrame:
    """The submitted responses: drafts never count (docs/domain.md)."""
    return frame[_replied(frame)]


def _replied(frame: pd.DataFrame) -> np.ndarray:
    return frame["replied"].to_numpy(dtype=bool, na_value=False)


def workshops(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per workshop in the report's order (start date, then title), with its number and label."""
    titles = [name for name in frame.columns if name.startswith(TITLE_PREFIX)]
    columns = ["workshop_id", "workshop_title", "scope", "start_date", *titles]
    first_rows = ~frame["workshop_id"].duplicated().to_numpy()
    listed = (
        frame.loc[first_rows, columns]
        .sort_values(["start_date", "workshop_title", "workshop_id"], kind="stable")
        .reset_index(drop=True)
    )
    listed["number"] = range(1, len(listed) + 1)
    in_languages: list[dict[str, str]] = [{} for _ in range(len(listed))]
    for name in titles:
        for given, title in zip(in_languages, listed[name], strict=True):
            if isinstance(title, str) and title:
                given[name.removeprefix(TITLE_PREFIX)] = title
    listed["label"] = pd.Series(
        [
            WorkshopLabel(title, start, given)
            for title, start, given in zip(listed.workshop_title, listed.start_date, in_languages, strict=True)
        ],
        index=listed.index,
        dtype=object,
    )
    return listed


# The frame's columns of a workshop's title in other languages: workshop_title_fr... (reports.frames).
TITLE_PREFIX = "workshop_title_"


@dataclass(frozen=True)
class _Codes:
    """The replies' workshops and administration codes as integers (codes in alphabetical order), numbered once per
    round: a large round has tens of thousands of replies but only a few thousand distinct cells."""

    workshop_index: np.ndarray
    workshops: list[Any]  # workshop id by index
    code_index: np.ndarray
    codes: list[str]  # administration code by index


@dataclass
class Round:
    """A frame prepared once for all the tables: the workshops in order, the replies, and one row of counts per
    workshop (aligned with `listed`). Every table reads these, so a report groups the replies only once."""

    listed: pd.DataFrame
    replied: pd.DataFrame
    counts: pd.DataFrame  # participants, administrations, replies, each Q1 action, answered_<q>, yes_<q>
    codes: _Codes  # the replies' workshops and administrations, for the cells of Tables 4 and 7


def prepare(frame: pd.DataFrame | Round) -> Round:
    if isinstance(frame, Round):
        return frame
    listed = workshops(frame)
    # Each row's workshop by its place in `listed`: every count below is then one bincount, in the report's order.
    place = pd.Index(listed["workshop_id"]).get_indexer(frame["workshop_id"])

    def per_workshop(rows: np.ndarray) -> np.ndarray:
        return np.bincount(place[rows], minlength=len(listed))

    attended = frame["participant_id"].notna().to_numpy()
    replied = _replied(frame)
    # Every participant has an administration; the row of a workshop without participants has none (-1).
    administration, codes = pd.factorize(frame["administration"], sort=True)
    workshop_administrations = pd.DataFrame(
        {"place": place[attended], "code": administration[attended]}
    ).drop_duplicates()
    counts = {
        "participants": per_workshop(attended),
        "administrations": np.bincount(workshop_administrations["place"], minlength=len(listed)),
        "replies": per_workshop(replied),
    }
    for action in Q1_ACTIONS:
        counts[action] = per_workshop(replied & frame[action].to_numpy(dtype=bool))
    for question in YES_NO_QUESTIONS:
        answers = frame[question]
        counts[f"answered_{question}"] = per_workshop(replied & answers.notna().to_numpy())
        # A blank answer is not Yes (and not No).
        counts[f"yes_{question}"] = per_workshop(replied & answers.fillna(False).to_numpy(dtype=bool))
    coded = _Codes(place[replied], listed["workshop_id"].tolist(), administration[replied], codes.tolist())
    return Round(listed, frame[replied], pd.DataFrame(counts), coded)


def _column(counts: pd.DataFrame, name: str) -> list[int]:
    return [int(value) for value in counts[name].tolist()] if name in counts else [0] * len(counts)


def _total(counts: pd.DataFrame, name: str, mask: Any = None) -> int:
    if name not in counts:
        return 0
    values = counts[name] if mask is None else counts.loc[mask, name]
    return int(values.sum())


# --- Table 1 ------------------------------------------------------------------------------------------------


def table1(frame: pd.DataFrame | Round) -> Table[Table1Summary]:
    prepared = prepare(frame)
    listed, counts = prepared.listed, prepared.counts
    administrations, participants, replied = (
        _column(counts, c) for c in ("administrations", "participants", "replies")
    )
    rows = [
        [w.number, w.label, SCOPE_LABELS.get(w.scope, w.scope), adm, par, rep, reply_rate(rep, par)]
        for w, adm, par, rep in zip(listed.itertuples(), administrations, participants, replied, strict=True)
    ]

    def total(mask: Any) -> ReplyCounts:
        return ReplyCounts(*(_total(counts, c, mask) for c in ("administrations", "participants", "replies")))

    scopes = listed["scope"].to_numpy()
    # A sub-total only for a scope the round has: no "Sub-total … 0 0 0" row.
    shown = [scope for scope in ("sub-regional", "regional", "national") if (scopes == scope).any()]
    totals = Table1Summary(by_scope={scope: total(scopes == scope) for scope in shown}, total=total(None))
    return Table(
        "table1",
        N_("Table 1 – Numbers of replies"),
        [
            *WORKSHOP_COLUMNS,
            N_("Scope"),
            N_("Participating administrations"),
            N_("Participants"),
            N_("Replies"),
            N_("Reply rate (%)"),
        ],
        rows,
        totals.rows(),
        totals=totals,
    )


# --- Table 2 ------------------------------------------------------------------------------------------------


def table2(frame: pd.DataFrame | Round) -> Table[Table2Summary]:
    prepared = prepare(frame)
    listed, counts = prepared.listed, prepared.counts
    columns = ["replies", *Q1_ACTIONS]
    values = [_column(counts, c) for c in columns]
    rows = [[w.number, w.label, *numbers] for w, *numbers in zip(listed.itertuples(), *values, strict=True)]
    replies_total = _total(counts, "replies")
    totals = Table2Summary(
        replies=replies_total,
        actions={
            action: CountShare(count, percent(count, replies_total))
            for action, count in ((action, _total(counts, action)) for action in Q1_ACTIONS)
        },
    )
    return Table(
        "table2",
        N_("Table 2 – Follow-up actions taken (Q1)"),
        [*WORKSHOP_COLUMNS, N_("Replies"), *ACTION_COLUMNS.values()],
        rows,
        totals.rows(),
        totals=totals,
    )


class RankedAction(NamedTuple):
    name: str  # Table 2's column
    replies: int
    percent: int | None  # of replies


def action_ranking(table: Table[Table2Summary]) -> list[RankedAction]:
    """The Q1 actions from most to least common. Ties keep the questionnaire's order."""
    actions = [RankedAction(ACTION_COLUMNS[a], share.count, share.percent) for a, share in table.totals.actions.items()]
    return sorted(actions, key=lambda action: -action.replies)


# --- Tables 3, 5, 6 -----------------------------------------------------------------------------------------

YES_NO_TITLES = {
    "q3_direct_effects": ("table3", N_("Table 3 – Realization of direct effects (Q3)")),
    "q4_contributed": ("table5", N_("Table 5 – Improvement in work efficiency and effectiveness (Q4)")),
    "q5_new_project": ("table6", N_("Table 6 – Initiation of modernization projects (Q5)")),
}


def yes_no_table(frame: pd.DataFrame | Round, question: str) -> Table[YesNoSummary]:
    """Replies to the question (blank is not No), Yes, No, Yes (%) per workshop."""
    key, title = YES_NO_TITLES[question]
    prepared = prepare(frame)
    answered, yes = _column(prepared.counts, f"answered_{question}"), _column(prepared.counts, f"yes_{question}")
    rows = [
        [w.number, w.label, n, y, n - y, percent(y, n)]
        for w, n, y in zip(prepared.listed.itertuples(), answered, yes, strict=True)
    ]
    totals = YesNoSummary(answered=sum(answered), yes=sum(yes))
    return Table(
        key,
        title,
        [*WORKSHOP_COLUMNS, N_("Replies to this question"), N_("Yes"), N_("No"), N_("Yes (%)")],
        rows,
        totals.rows(),
        totals=totals,
    )


def table3(frame: pd.DataFrame | Round) -> Table[YesNoSummary]:
    return yes_no_table(frame, "q3_direct_effects")


def table5(frame: pd.DataFrame | Round) -> Table[YesNoSummary]:
    return yes_no_table(frame, "q4_contributed")


def table6(frame: pd.DataFrame | Round) -> Table[YesNoSummary]:
    return yes_no_table(frame, "q5_new_project")


# --- Tables 4 and 7 -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CrossShape:
    key: str
    title: str
    actions: tuple[tuple[str, str], tuple[str, str]]  # (frame column, table column)
    outcome: tuple[str, str]
    led_name: str
    attributed_name: str


TABLE4 = CrossShape(
    "table4",
    N_("Table 4 – Direct effects and the actions that spread the knowledge"),
    (
        ("q1_shared_materials", N_("Shared workshop materials")),
        ("q1_inhouse_workshop", N_("Organized in-house workshop")),
    ),
    ("q3_direct_effects", N_("Realized direct effects")),
    N_("Led to direct effects"),
    N_("Effects attributed to sharing and/or in-house workshop"),
)
TABLE7 = CrossShape(
    "table7",
    N_("Table 7 – Modernization projects and the actions that reach management"),
    (
        ("q1_submitted_report", N_("Submitted reports")),
        ("q1_made_recommendations", N_("Made specific recommendations")),
    ),
    ("q5_new_project", N_("Initiated new projects")),
    N_("Led to new projects"),
    N_("Projects attributed to reports and/or recommendations"),
)


def _code_cells(codes: _Codes, chosen: np.ndarray, marked: np.ndarray) -> dict[Any, CodeCell]:
    """Per workshop: one entry per administration of the chosen replies, in alphabetical order, with how many of
    them there are (`FJ×2`) and how many of them are marked."""
    if not chosen.any():
        return {}
    per_workshop = len(codes.codes)
    keys = codes.workshop_index[chosen] * per_workshop + codes.code_index[chosen]
    counts = np.bincount(keys)
    marked_counts = np.bincount(keys, weights=marked[chosen]).astype(int)
    present = np.flatnonzero(counts)  # in order: by workshop, then code
    workshops, code_indexes = np.divmod(present, per_workshop)
    # A large round has thousands of entries per column but few distinct ones (code, count, marked): each distinct
    # entry is made once and shared, then the entries are cut into one run per workshop.
    distinct, which = np.unique(
        np.stack([counts[present], marked_counts[present], code_indexes], axis=1), axis=0, return_inverse=True
    )
    made = np.empty(len(distinct), dtype=object)
    made[:] = [CodeEntry(codes.codes[code], count, marked_count) for count, marked_count, code in distinct.tolist()]
    entries = made[which.reshape(-1)].tolist()
    starts = np.flatnonzero(np.diff(workshops, prepend=-1))
    ends = [*starts[1:].tolist(), len(entries)]
    return {
        codes.workshops[workshop]: CodeCell(entries[start:end])
        for workshop, start, end in zip(workshops[starts].tolist(), starts.tolist(), ends, strict=True)
    }


def cross_table(frame: pd.DataFrame | Round, shape: CrossShape) -> Table[CrossSummary]:
    prepared = prepare(frame)
    listed, replied = prepared.listed, prepared.replied
    (first, first_name), (second, second_name) = shape.actions
    outcome, outcome_name = shape.outcome
    # A blank outcome is not Yes: only a Yes realizes it.
    realized = replied[outcome].fillna(False).to_numpy(dtype=bool)
    took_first, took_second = replied[first].to_numpy(dtype=bool), replied[second].to_numpy(dtype=bool)
    acted = took_first | took_second

    def cells(chosen: np.ndarray, marked: np.ndarray) -> dict[Any, CodeCell]:
        return _code_cells(prepared.codes, chosen, marked)

    columns = [cells(took_first, realized), cells(took_second, realized), cells(realized, acted)]
    rows = [
        [w.number, w.label, *(column.get(w.workshop_id, CodeCell([])) for column in columns)]
        for w in listed.itertuples()
    ]

    first_total, second_total, outcome_total = int(took_first.sum()), int(took_second.sum()), int(realized.sum())
    first_led, second_led = int((took_first & realized).sum()), int((took_second & realized).sum())
    attributed = int((acted & realized).sum())
    totals = CrossSummary(
        first_action=first_total,
        second_action=second_total,
        outcome=outcome_total,
        first_led=CountShare(first_led, percent(first_led, first_total)),
        second_led=CountShare(second_led, percent(second_led, second_total)),
        attributed=CountShare(attributed, percent(attributed, outcome_total)),
    )
    return Table(
        shape.key,
        shape.title,
        [*WORKSHOP_COLUMNS, first_name, second_name, outcome_name],
        rows,
        totals.rows(shape),
        totals=totals,
    )


def table4(frame: pd.DataFrame | Round) -> Table[CrossSummary]:
    return cross_table(frame, TABLE4)


def table7(frame: pd.DataFrame | Round) -> Table[CrossSummary]:
    return cross_table(frame, TABLE7)


# --- Association table --------------------------------------------------------------------------------------

ASSOCIATION_COLUMNS = [
    N_("Follow-up action"),
    N_("Outcome"),
    N_("Replies to the outcome question"),
    N_("Replies with the action"),
    N_("Outcome with the action (%)"),
    N_("Outcome without the action (%)"),
    N_("Odds ratio"),
    N_("Phi"),
    N_("Fisher p"),
    N_("Holm-adjusted p"),
]
# Measures that may not be computable (an odds ratio where the outcome never varies...): printed "–".
MEASURE_COLUMNS = (N_("Odds ratio"), N_("Phi"), N_("Fisher p"), N_("Holm-adjusted p"))


def associations(frame: pd.DataFrame | Round) -> Table[None]:
    """Each Q1 action against each outcome (Q3-Q5 Yes), over the replies that answered the outcome question."""
    from reports import stats  # scipy is imported only when the association table is wanted

    replied = prepare(frame).replied
    took = replied[list(ACTION_COLUMNS)].to_numpy(dtype=np.int64)  # a column per action: 1 where the reply took it
    rows = []
    raw_p = []
    for outcome, outcome_name in OUTCOME_NAMES.items():
        answered = replied[outcome].notna().to_numpy()
        yes = replied[outcome].fillna(False).to_numpy(dtype=bool) & answered
        no = answered & ~yes
        # For every action at once: the replies with the action that answered Yes, and No.
        with_yes, with_no = took.T @ yes, took.T @ no
        for action_name, a, b in zip(ACTION_COLUMNS.values(), with_yes.tolist(), with_no.tolist(), strict=True):
            cells = stats.TwoByTwo(a, b, int(yes.sum()) - a, int(no.sum()) - b)
            p = stats.fisher_p(cells)
            raw_p.append(p)
            measures = stats.measures(cells, p)
            rows.append(
                [
                    action_name,
                    outcome_name,
                    int(answered.sum()),
                    cells.with_action,
                    percent(cells.a, cells.with_action),
                    percent(cells.c, cells.without_action),
                    measures.odds_ratio,
                    measures.phi,
                    measures.fisher_p,
                ]
            )
    # Adjusted for the number of pairings tested, from the unrounded p-values.
    for row, adjusted in zip(rows, stats.holm_adjusted(raw_p), strict=True):
        row.append(None if adjusted is None else round(adjusted, 3))
    return Table(
        "associations", N_("Follow-up actions and outcomes: association"), ASSOCIATION_COLUMNS, rows, totals=None
    )


# --- All of them --------------------------------------------------------------------------------------------

TABLE_FUNCTIONS: dict[str, Callable[[pd.DataFrame | Round], Table[Any]]] = {
    "table1": table1,
    "table2": table2,
    "table3": table3,
    "table4": table4,
    "table5": table5,
    "table6": table6,
    "table7": table7,
    "associations": associations,
}


def build_tables(frame: pd.DataFrame) -> dict[str, Table[Any]]:
    prepared = prepare(frame)
    return {key: function(prepared) for key, function in TABLE_FUNCTIONS.items()}


# --- Figures beyond the tables ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColleaguesReached:
    """Q1 (shared with) and Q1bis (learned from them): beyond the published tables (docs/report.md)."""

    shared_with_total: int
    shared_with_median: float | None
    learned_total: int
    learned_median: float | None


def colleagues_reached(frame: pd.DataFrame) -> ColleaguesReached:
    replied = replies(frame)

    def median(column: str) -> float | None:
        values = replied[column].dropna()
        return None if values.empty else float(values.astype(float).median())

    return ColleaguesReached(
        int(replied["q1_shared_with"].fillna(0).sum()),
        median("q1_shared_with"),
        int(replied["q1bis_colleagues_learned"].fillna(0).sum()),
        median("q1bis_colleagues_learned"),
    )


def reply_rates_by_round(counts: pd.DataFrame) -> dict[int, int | None]:
    """Reply rate of each fiscal year's surveyed workshops, from a frame of (fiscal_year, participants, replies)
    per workshop."""
    totals = counts.groupby("fiscal_year")[["participants", "replies"]].sum()
    return {int(year): reply_rate(row.replies, row.participants) for year, row in totals.iterrows()}


def reply_progress(frame: pd.DataFrame) -> pd.DataFrame:
    """Per workshop in the report's order: participants, replies, late replies, drafts and the reply rate, for
    watching a running round."""
    prepared = prepare(frame)
    drafts = frame[(frame["response_id"].notna() & ~frame["replied"].astype(bool)).to_numpy()]
    extra = pd.concat(
        [
            prepared.replied.groupby("workshop_id")["late"].sum().rename("late"),
            drafts.groupby("workshop_id").size().rename("drafts"),
        ],
        axis=1,
    )
    extra = extra.reindex(prepared.listed["workshop_id"]).fillna(0).astype(int).reset_index(drop=True)
    progress = pd.concat(
        [prepared.listed[["workshop_id", "number", "label"]], prepared.counts[["participants", "replies"]], extra],
        axis=1,
    )
    progress["reply_rate"] = [reply_rate(r, p) for r, p in zip(progress.replies, progress.participants, strict=True)]
    return progress


def utilization_described(frame: pd.DataFrame) -> CountShare:
    """Replies that described how the lessons are utilized at home (Q2 answered), of all replies: the finding
    that opens 2.3. Read from the flag every frame carries (reports.frames says what answers Q2)."""
    replied = replies(frame)
    count = int(replied["q2_answered"].to_numpy(dtype=bool).sum())
    return CountShare(count, percent(count, len(replied)))
