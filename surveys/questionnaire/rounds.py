"""Round closing: the one place that says whether a fiscal year's survey round still takes replies.

A round is open until staff close it, which they do by making the fiscal year's Good Practice Report final
(reports.models.ReportEdition.make_final calls `close`). While a round is closed its replies are frozen: the
questionnaire shows a reply read-only and saves nothing (surveys.questionnaire.replies raises RoundClosed).

The API, for every app and command that must respect the rule:

* ``is_closed(fiscal_year)`` - True once the round is closed; a fiscal year never closed is open.
* ``close(fiscal_year, by=user)`` - close the round (again: a no-op that keeps the first closing's time and user).
* ``reopen(fiscal_year)`` - open it again, e.g. to correct a reply before a corrected edition is published.
* ``closed_fiscal_years()`` - the set of closed fiscal years, for pages that list many rounds in one query.
* ``closed_expression(fiscal_year)`` - the same question inside another query (an annotation).

Check and write in the same transaction where it matters: ``is_closed(fiscal_year, lock=True)`` inside
``transaction.atomic()`` locks the round's row (when it has one), so that a `close` or `reopen` running at the
same moment waits until the writer commits, and a writer waits for a closing in progress.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import connections, router, transaction
from django.db.models import Exists
from django.utils import timezone

from surveys.models import RoundState, SurveyRound

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def is_closed(fiscal_year: int, *, lock: bool = False) -> bool:
    """Whether the fiscal year's round is closed. lock=True (inside a transaction) locks the round's row."""
    if lock:
        return _is_closed_under_lock(fiscal_year)
    # The query as the ORM writes it, compiled once per database: a submit asks it inside its write transaction,
    # where compiling it anew held SQLite's write lock (and the other workers waiting for it) twice as long.
    using = router.db_for_read(SurveyRound)
    if using not in _closed_queries:
        query = SurveyRound.objects.filter(fiscal_year=_ANY_YEAR, state=RoundState.CLOSED).values_list("pk")[:1]
        sql, compiled = query.query.sql_with_params()
        _closed_queries[using] = (sql, list(compiled), list(compiled).index(_ANY_YEAR))
    sql, params, year_at = _closed_queries[using]
    values = [*params]
    values[year_at] = fiscal_year
    with connections[using].cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchone() is not None


def _is_closed_under_lock(fiscal_year: int) -> bool:
    """The round's state, read so that no `close` or `reopen` can slip in before the caller's transaction ends.

    On PostgreSQL the round's row is read FOR SHARE: the replies of one round are saved side by side (each holds a
    shared lock), a closing (FOR UPDATE) waits for them, and a writer that comes during a closing waits for it and
    then reads the closed state. A round without a row gets one first (open, as before), else a closing could insert
    its row and commit between this read and the caller's write. SQLite takes the whole database for every write
    transaction (IMMEDIATE, rocbap.settings), so there a plain read is already under the lock."""
    using = router.db_for_write(SurveyRound)
    connection = connections[using]
    if connection.vendor != "postgresql":
        return is_closed(fiscal_year)
    table = connection.ops.quote_name(SurveyRound._meta.db_table)
    sql = f"SELECT state FROM {table} WHERE fiscal_year = %s FOR SHARE"  # noqa: S608 (the table's own name)
    with connection.cursor() as cursor:
        cursor.execute(sql, [fiscal_year])
        row = cursor.fetchone()
        if row is None:
            SurveyRound.objects.using(using).bulk_create([SurveyRound(fiscal_year=fiscal_year)], ignore_conflicts=True)
            cursor.execute(sql, [fiscal_year])
            row = cursor.fetchone()
    return row is not None and row[0] == RoundState.CLOSED


_ANY_YEAR = 0  # stands for the fiscal year in the compiled query (no real one is 0)
_closed_queries: dict[str, tuple[str, list, int]] = {}


def closed_expression(fiscal_year: Any) -> Exists:
    """True when the round of `fiscal_year` (an expression, e.g. OuterRef("workshop__fiscal_year")) is closed: lets a
    query read the round's state with its own rows (the questionnaire's token lookup) instead of a query of its own."""
    return Exists(SurveyRound.objects.filter(fiscal_year=fiscal_year, state=RoundState.CLOSED))


def closed_fiscal_years() -> set[int]:
    return set(SurveyRound.objects.filter(state=RoundState.CLOSED).values_list("fiscal_year", flat=True))


@transaction.atomic
def close(fiscal_year: int, *, by: User | None = None) -> SurveyRound:
    """Close the round: from now on no reply of this fiscal year changes. Closing a closed round changes nothing."""
    survey_round, _ = SurveyRound.objects.select_for_update().get_or_create(fiscal_year=fiscal_year)
    if not survey_round.is_closed:
        survey_round.state = RoundState.CLOSED
        survey_round.closed_at = timezone.now()
        survey_round.closed_by = by
        survey_round.save(update_fields=["state", "closed_at", "closed_by"])
    return survey_round


@transaction.atomic
def reopen(fiscal_year: int) -> SurveyRound:
    """Open the round again: replies of this fiscal year may change until it is closed anew."""
    survey_round, _ = SurveyRound.objects.select_for_update().get_or_create(fiscal_year=fiscal_year)
    if survey_round.is_closed:
        survey_round.state = RoundState.OPEN
        survey_round.closed_at = None
        survey_round.closed_by = None
        survey_round.save(update_fields=["state", "closed_at", "closed_by"])
    return survey_round
