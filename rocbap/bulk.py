"""Many rows of one table updated, each with its own values, in one statement per batch.

Django's bulk_update writes a CASE WHEN per row and field, and builds each in Python: for a few thousand rows that
building takes seconds, where the database needs milliseconds (measured on the bounce pass, bench/bounces.py). Here
the rows' values travel as a VALUES list joined to the table (UPDATE ... FROM, which PostgreSQL and SQLite 3.33+
both have; both name a VALUES list's columns column1, column2, ...). Values are prepared by the model's own fields,
so a date, a choice or a text is written as a save() would write it. Like QuerySet.update(), it sends no signal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, models

BATCH = 500  # rows per statement: few statements, each well under SQLite's limit of bound parameters


def update_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    same_for_all: Mapping[str, Any] | None = None,
) -> int:
    """Set `fields` of each row to its values: `rows` are (pk, value of fields[0], value of fields[1], ...);
    `same_for_all` adds fields written with one value for every row. Returns the number of rows updated."""
    if not rows:
        return 0
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    key, own = _field(model, "pk"), [_field(model, name) for name in fields]
    same = [(_field(model, name), value) for name, value in (same_for_all or {}).items()]
    assignments = [f"{quote(column)} = v.column{index}" for index, (_field_, column) in enumerate(own, start=2)]
    assignments += [f"{quote(column)} = %s" for (_field_, column), _value in same]
    same_params = [field.get_db_prep_save(value, connection) for (field, _column), value in same]
    prepare = [field.get_db_prep_save for field, _column in (key, *own)]
    updated = 0
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            placeholders = ", ".join(["(" + ", ".join(["%s"] * len(prepare)) + ")"] * len(batch))
            params = [*same_params]
            for row in batch:
                params += [each(value, connection) for each, value in zip(prepare, row, strict=True)]
            # Only quoted names of the model's own table and columns are written into the statement; every value
            # is a bound parameter.
            statement = (
                f"UPDATE {table} SET {', '.join(assignments)} FROM (VALUES {placeholders}) AS v "  # noqa: S608
                f"WHERE {table}.{quote(key[1])} = v.column1"
            )
            cursor.execute(statement, params)
            updated += cursor.rowcount
    return updated


def _field(model: type[models.Model], name: str) -> tuple[models.Field, str]:
    """A field of the model and its column's name."""
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise ValueError(f"{model.__name__}.{name} is no column of its table")
    return field, field.column
