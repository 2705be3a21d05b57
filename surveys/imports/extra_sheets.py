"""Sheets another app adds to the workbook import: the extension point that lets an app to the right of surveys
(impact's `success_stories`, docs/impact.md) have its sheet read, checked and written with the others, since surveys
may not import it (docs/architecture.md).

The app registers its sheet in its AppConfig.ready. The import then treats it as one of its own: the reader knows
its columns (the same limits, cell parsers and `sheet!row column: message` errors), the plan calls its `check` after
its own checks, `write` calls its `write` inside the one transaction after workshops, participants and replies are
written, the summary gains its line, and the template workbook its sheet, notes and sample row. A workbook without
the sheet is imported as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from surveys.imports.columns import SHEETS, Column

if TYPE_CHECKING:
    from surveys.imports.checks import Plan
    from surveys.imports.outcome import Counts
    from surveys.imports.reading import Row


@dataclass(frozen=True)
class ExtraSheet:
    """A sheet of another app: its name and columns (the machine contract, like SHEETS), what checks its rows and
    what writes them.

    `check(rows, plan)` runs after the survey's own checks: it reports each problem with `plan.reader.error` (sheet,
    row, column) and returns what to write; it writes nothing. `plan.replies_after_import` tells it which replies
    the participants will have once the workbook is written. `write(planned, user)` runs inside the import's
    transaction, after the survey's sheets were written, and returns its counts; `summary(counts)` words them in the
    active language. `notes()` gives each column's note for the template workbook (in the active language) and
    `sample` its sample row, which must import along with the survey sheets' sample rows."""

    name: str
    columns: tuple[Column, ...]
    check: Callable[[list[Row], Plan], Any]
    write: Callable[[Any, Any], Counts]
    summary: Callable[[Counts], str]
    notes: Callable[[], dict[str, str]]
    sample: dict[str, Any] = field(default_factory=dict)


REGISTERED: dict[str, ExtraSheet] = {}


def register(sheet: ExtraSheet) -> None:
    """Add a sheet to the import (called from an AppConfig.ready; registering it again replaces it)."""
    if sheet.name in SHEETS:
        raise ValueError(f"{sheet.name!r} is one of the survey import's own sheets")
    REGISTERED[sheet.name] = sheet


def sheet_names() -> list[str]:
    """Every sheet the import reads, the survey's first, in the order errors and the template list them."""
    return [*SHEETS, *REGISTERED]


def columns_of(sheet: str) -> tuple[Column, ...]:
    """A sheet's columns, the survey's own or a registered one's."""
    return SHEETS[sheet] if sheet in SHEETS else REGISTERED[sheet].columns


def sheets_read() -> dict[str, tuple[Column, ...]]:
    """Every sheet the import reads and its columns, the survey's first (for surveys.imports.reading.Reader)."""
    return {name: columns_of(name) for name in sheet_names()}


def checks() -> dict[str, Callable[[list[Row], Plan], Any]]:
    """The registered sheets' checks, by sheet (for surveys.imports.checks.Plan)."""
    return {name: sheet.check for name, sheet in REGISTERED.items()}
