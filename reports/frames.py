"""Loading replies from the database into DataFrames for the counting rules (reports.tables).

Two queries per frame, whatever the number of workshops: the workshops, one row each; then one row per participant
from a LEFT JOIN of those workshops, their participants and the participants' responses, so a workshop without
participants still has its row. Each row carries its workshop's columns, taken from the first query: sent once per
workshop rather than once per participant, a workshop's title, scope and dates cost nothing per row.

The database hands the answers over compactly: every flag (a reply, late, each Q1 action, Q2 answered) and every
Yes/No answer (answered, Yes) is one bit of a single integer per row, computed in SQL. The frame is then built
column by column at its final types, with no pass over it afterwards. A large round has tens of thousands of rows,
and each value fetched one by one, or each pass over a column, costs milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import Case, Count, Expression, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Coalesce, Length, Trim
from django.db.models.lookups import GreaterThan

from surveys.models import COUNTS, FREE_TEXTS, Q1_ACTIONS, YES_NO_QUESTIONS, replied
from workshops.models import TITLE_LANGUAGES, Workshop, WorkshopQuerySet

# --- How a column's values become a frame column -----------------------------------------------------------

Values = Sequence[Any]


def _integers(values: Values) -> Any:
    return np.array(values, dtype=np.int64)


def _optional_integers(values: Values) -> Any:
    # Through floats (None becomes NaN, then blank): twice as fast as from the Python objects. Exact below 2**53.
    return pd.array(np.array(values, dtype=float), dtype="Int64")


def _booleans(values: Values) -> Any:
    return np.array(values, dtype=bool)  # SQLite hands booleans back as 0 and 1


def _dates(values: Values) -> Any:
    return pd.to_datetime(pd.Series(values, dtype=object))  # SQLite hands dates back as text


def _moments(values: Values) -> Any:
    return pd.to_datetime(pd.Series(values, dtype=object), utc=True)


def _texts(values: Values) -> Any:
    return pd.array(values, dtype="str")


@dataclass(frozen=True)
class Column:
    source: str | Expression  # a path from Workshop, or what the database computes
    convert: Callable[[Values], Any]
    counted: bool = False  # in the counting frame (texts=False): what the tables, figures and progress read


# --- The columns ---------------------------------------------------------------------------------------------

# Read once per workshop, repeated on each of its rows.
WORKSHOP_COLUMNS: dict[str, Column] = {
    "workshop_id": Column("pk", _integers, counted=True),
    "workshop_code": Column("code", _texts),
    "workshop_title": Column("title", _texts, counted=True),
    # The title in each language the office may give one in (empty where none is given): a report in French
    # names its workshops by their French titles (reports.WorkshopLabel).
    **{f"workshop_title_{code}": Column(f"title_{code}", _texts, counted=True) for code in TITLE_LANGUAGES},
    "scope": Column("scope", _texts, counted=True),
    "start_date": Column("start_date", _dates, counted=True),
    "end_date": Column("end_date", _dates),
    "fiscal_year": Column("fiscal_year", _integers),
    "surveyed": Column("surveyed", _booleans),
}

RESPONSE = "participants__response__"
# Read once per participant (blank on the row of a workshop without participants, and where there is no response).
PARTICIPANT_COLUMNS: dict[str, Column] = {
    "participant_id": Column("participants__pk", _optional_integers, counted=True),
    "participant_name": Column("participants__name", _texts),
    "email": Column("participants__email", _texts),
    "administration": Column("participants__administration__code", _texts, counted=True),
    "administration_name": Column("participants__administration__name", _texts),
    "response_id": Column(f"{RESPONSE}pk", _optional_integers, counted=True),  # with replied False: a draft
    "status": Column(f"{RESPONSE}status", _texts),
    "submitted_at": Column(f"{RESPONSE}submitted_at", _moments),
    **{name: Column(f"{RESPONSE}{name}", _optional_integers, counted=True) for name in COUNTS},
    **{name: Column(Coalesce(f"{RESPONSE}{name}", Value(""), output_field=TextField()), _texts) for name in FREE_TEXTS},
}

# The flags, never blank: False also for a participant without a response. One bit each (FLAG_BITS).
FLAGS: dict[str, Q | Expression] = {
    "replied": replied(RESPONSE),
    "late": replied(RESPONSE) & Q(**{f"{RESPONSE}late": True}),
    **{name: Q(**{f"{RESPONSE}{name}": True}) for name in Q1_ACTIONS},
    # Whether a reply described the lessons' use (2.3), the one rule for it: a text that is not blank. The form and
    # the workbook import store texts stripped of surrounding whitespace, so the text is either empty or an answer.
    "q2_answered": GreaterThan(Length(Trim(f"{RESPONSE}q2_utilization")), 0),
}
# A Yes/No answer may be blank (not answered), which is not No: two bits each, answered and Yes.
ANSWERED_FLAGS = {name: Q(**{f"{RESPONSE}{name}__isnull": False}) for name in YES_NO_QUESTIONS}
YES_FLAGS = {name: Q(**{f"{RESPONSE}{name}": True}) for name in YES_NO_QUESTIONS}
FLAG_BITS: list[Q | Expression] = [*FLAGS.values(), *ANSWERED_FLAGS.values(), *YES_FLAGS.values()]

# What the counting rules need; texts, names and addresses are for reading replies and for the export.
COUNTING_COLUMNS = [
    *(name for name, column in {**WORKSHOP_COLUMNS, **PARTICIPANT_COLUMNS}.items() if column.counted),
    *FLAGS,
    *YES_NO_QUESTIONS,
]


def replies_frame(fiscal_year: int, *, texts: bool = True) -> pd.DataFrame:
    """One row per participant of the fiscal year's surveyed workshops (and one empty row per such workshop
    without participants), in two queries. texts=False leaves out the columns the tables do not count (free
    texts, names, e-mail addresses...), which makes a large round load several times faster."""
    return _frame(Workshop.objects.surveyed().of_fiscal_year(fiscal_year), texts)


def workshop_frame(workshop_id: int) -> pd.DataFrame:
    """The same columns for one workshop, surveyed or not."""
    return _frame(Workshop.objects.filter(pk=workshop_id), texts=True)


def _frame(workshops: WorkshopQuerySet, texts: bool) -> pd.DataFrame:
    def chosen(columns: dict[str, Column]) -> dict[str, Column]:
        return {name: column for name, column in columns.items() if texts or column.counted}

    listed = _read(workshops.order_by(), chosen(WORKSHOP_COLUMNS))
    flags = sum(
        (Case(When(condition, then=Value(1 << bit)), default=Value(0)) for bit, condition in enumerate(FLAG_BITS)),
        start=Value(0),
    )
    per_participant = {
        **chosen(PARTICIPANT_COLUMNS),
        "workshop_id": WORKSHOP_COLUMNS["workshop_id"],
        "flags": Column(flags, _integers),
    }
    # The rows of the listed workshops by their ids, so that each row finds its workshop's columns (a workshop
    # added in between is in neither query).
    rows = Workshop.objects.filter(pk__in=listed["workshop_id"].tolist())
    # Ordered for people reading the full frame; the tables order workshops themselves.
    rows = rows.order_by("start_date", "title", "pk", "participants__pk") if texts else rows.order_by()
    read = _read(rows, per_participant) if len(listed) else _empty(per_participant)
    at = pd.Index(listed["workshop_id"]).get_indexer(read.pop("workshop_id"))
    flagged = _unpacked(read.pop("flags").to_numpy())
    return pd.concat([listed.take(at).reset_index(drop=True), read, pd.DataFrame(flagged)], axis=1)


def _unpacked(flags: np.ndarray) -> dict[str, Any]:
    """The flag columns and the Yes/No answers from the integers of FLAG_BITS."""

    def bit(number: int) -> np.ndarray:
        return (flags >> number) & 1 == 1

    columns: dict[str, Any] = {name: bit(number) for number, name in enumerate(FLAGS)}
    for number, name in enumerate(YES_NO_QUESTIONS):
        answered, yes = bit(len(FLAGS) + number), bit(len(FLAGS) + len(YES_NO_QUESTIONS) + number)
        columns[name] = pd.arrays.BooleanArray(yes, ~answered)
    return columns


def _read(query: QuerySet[Any], columns: dict[str, Column]) -> pd.DataFrame:
    """The query's rows as a frame of the columns, each converted once, whole."""
    # The cursor directly: Django's per-row model machinery costs more than the query for large rounds.
    sql, params = query.values_list(*(column.source for column in columns.values())).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        records = cursor.fetchall()
    by_column = zip(*records, strict=True) if records else ((),) * len(columns)
    return pd.DataFrame(
        {name: column.convert(values) for (name, column), values in zip(columns.items(), by_column, strict=True)}
    )


def _empty(columns: dict[str, Column]) -> pd.DataFrame:
    return pd.DataFrame({name: column.convert(()) for name, column in columns.items()})


def workshop_counts_frame() -> pd.DataFrame:
    """Participants and replies per surveyed workshop of every fiscal year, counted in the database (one
    query): the all-rounds trend needs no more."""
    rows = (
        Workshop.objects.surveyed()
        .values("pk", "fiscal_year", "scope")
        .annotate(
            # Named apart from the relation "participants", which the second count still has to follow.
            participant_count=Count("participants", distinct=True),
            reply_count=Count("participants__response", filter=replied("participants__response__")),
        )
        .order_by()
        .values_list("pk", "fiscal_year", "scope", "participant_count", "reply_count")
    )
    return pd.DataFrame.from_records(
        list(rows), columns=["workshop_id", "fiscal_year", "scope", "participants", "replies"]
    )
