"""The workbook import (docs/import-format.md): read every sheet, validate every row, then write all of it in one
transaction or nothing at all.

It lives in the surveys app because it writes replies as well as workshops and participants (an app imports only
the apps below it: docs/architecture.md).

The admin's upload page and `manage.py import_workbook` both call `import_workbook`.

Every message (errors, progress, the summary) is written in the active language when it is made: the admin's
background import runs in the language of the staff user who started it (surveys.imports.jobs), the command in its
--language (the office's default language unless told). Sheet names, column names and the workbook's own values
are the machine contract (docs/import-format.md) and are quoted as they are, in every language.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from django.utils.translation import gettext

from surveys.imports import extra_sheets
from surveys.imports.checks import Plan
from surveys.imports.outcome import ImportSummary, WorkbookInvalid
from surveys.imports.reading import Progress, Reader
from surveys.imports.writing import write


def import_workbook(source: str | Path | IO[bytes], progress: Progress | None = None, user=None) -> ImportSummary:
    """Import a workbook in the import format. Raises WorkbookInvalid, having written nothing, on any error.

    `progress`, if given, is called with a short sentence now and then (what is being read, checked, written).
    `user` is the staff user who imports it, for the sheets that record who did (success stories' confirmation)."""
    reader = Reader(progress, extra_sheets.sheets_read())
    sheets = reader.read(source)
    if not sheets:  # not a workbook at all: nothing to check against the database
        raise WorkbookInvalid(reader.errors, reader.unlisted)
    reader.progress(gettext("checking the rows against each other and the database"))
    plan = Plan(reader, user, extra_sheets.checks())
    plan.check(sheets)
    if reader.errors:
        order = {name: index for index, name in enumerate(extra_sheets.sheet_names())}
        errors = sorted(reader.errors, key=lambda e: (order.get(e.sheet, -1), e.row or 0))
        raise WorkbookInvalid(errors, reader.unlisted)
    reader.progress(gettext("writing, all in one transaction"))
    return write(plan)
