"""Loading replies from the database into DataFrames for the counting rules (reports.tables).

One query per frame, whatever the number of workshops: the rows come from a LEFT JOIN of workshops, their
participants, and the participants' responses, so a workshop without participants still has its row.
"""

from __future__ import annotations

import pandas as pd
from django.db import connection
from django.db.models import Count, Q
from django.db.models.functions import Length, Trim

from surveys.models import ANSWER_FIELDS, COUNTS, FREE_TEXTS, Q1_ACTIONS, YES_NO_QUESTIONS, Status
from workshops.models import Workshop

# Frame column -> path from Workshop. Answers keep the model's field names.
COLUMNS: dict[str, str] = {
    "workshop_id": "pk",
    "workshop_code": "code",
    "workshop_title": "title",
    "scope": "scope",
    "start_date": "start_date",
    "end_date": "end_date",
    "fiscal_year": "fiscal_year",
    "surveyed": "surveyed",
    "participant_id": "participants__pk",
    "participant_name": "participants__name",
    "email": "participants__email",
    "administration": "participants__administration__code",
    "administration_name": "participants__administration__name",
    "response_id": "participants__response__pk",
    "status": "participants__response__status",
    "submitted_at": "participants__response__submitted_at",
    "late": "participants__response__late",
    **{name: f"participants__response__{name}" for name in ANSWER_FIELDS},
}


# What the counting rules need; texts, names and addresses are for reading replies and for the export.
COUNTING_COLUMNS = [
    "workshop_id",
    "workshop_title",
    "scope",
    "start_date",
    "participant_id",
    "administration",
    "response_id",
    "status",
    "late",
    *(name for name in ANSWER_FIELDS if name not in FREE_TEXTS),
    "q2_length",  # the length of the Q2 answer: whether a reply described the lessons' use (2.3), without the text
]


def replies_frame(fiscal_year: int, *, texts: bool = True) -> pd.DataFrame:
    """One row per participant of the fiscal year's surveyed workshops (and one empty row per such workshop
    without participants), in one query. texts=False leaves out the columns the tables do not count (free
    texts, names, e-mail addresses...), which makes a large round load several times faster."""
    return _frame(Workshop.objects.surveyed().of_fiscal_year(fiscal_year), texts)


def workshop_frame(workshop_id: int) -> pd.DataFrame:
    """The same columns for one workshop, surveyed or not."""
    return _frame(Workshop.objects.filter(pk=workshop_id), texts=True)


def _frame(workshops, texts: bool) -> pd.DataFrame:
    names = list(COLUMNS) if texts else COUNTING_COLUMNS
    if not texts:
        workshops = workshops.annotate(q2_length=Length(Trim(COLUMNS["q2_utilization"])))
    query = workshops.values_list(*(COLUMNS.get(name, name) for name in names))
    # Ordered for people reading the full frame; the tables order workshops themselves.
    query = query.order_by("start_date", "title", "pk", "participants__pk") if texts else query.order_by()
    # The cursor directly: Django's per-row model machinery costs more than the query for large rounds.
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        records = cursor.fetchall()
    return _typed(pd.DataFrame.from_records(records, columns=names))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame["replied"] = frame["status"].eq(Status.SUBMITTED)
    frame["late"] = frame["late"].fillna(False).astype(bool) & frame["replied"]
    for name in Q1_ACTIONS:
        frame[name] = frame[name].fillna(False).astype(bool)
    for name in YES_NO_QUESTIONS:
        frame[name] = frame[name].astype("boolean")  # blank (not answered) stays blank: it is not No
    for name in (*COUNTS, "participant_id", "response_id"):
        frame[name] = frame[name].astype("Int64")
    frame["start_date"] = pd.to_datetime(frame["start_date"])  # SQLite may hand dates back as text
    if "submitted_at" in frame:
        frame["surveyed"] = frame["surveyed"].astype(bool)
        for name in FREE_TEXTS:
            frame[name] = frame[name].fillna("")
        frame["end_date"] = pd.to_datetime(frame["end_date"])
        frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True)
    return frame


def workshop_counts_frame() -> pd.DataFrame:
    """Participants and replies per surveyed workshop of every fiscal year, counted in the database (one
    query): the all-rounds trend needs no more."""
    rows = (
        Workshop.objects.surveyed()
        .values("pk", "fiscal_year", "scope")
        .annotate(
            # Named apart from the relation "participants", which the second count still has to follow.
            participant_count=Count("participants", distinct=True),
            reply_count=Count("participants__response", filter=Q(participants__response__status=Status.SUBMITTED)),
        )
        .order_by()
        .values_list("pk", "fiscal_year", "scope", "participant_count", "reply_count")
    )
    return pd.DataFrame.from_records(
        list(rows), columns=["workshop_id", "fiscal_year", "scope", "participants", "replies"]
    )
