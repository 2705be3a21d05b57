"""The template workbook staff download from the import page: made from the column definitions the reader checks
(surveys.imports.columns.SHEETS, and the sheets other apps registered: surveys.imports.extra_sheets), so it cannot
drift from them: each sheet, its headers in their order, a sample row that imports as it is, and a note on each
header (in the staff user's language) saying what the column takes.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font

from surveys.imports import extra_sheets
from surveys.imports.cells import parse_count, parse_text, parse_tick, parse_yes_no
from surveys.imports.columns import Column

# A sample row per sheet, by column: one workshop, one participant of it, and that participant's reply.
SAMPLE: dict[str, dict[str, Any]] = {
    "workshops": {
        "code": "FY24-AEO",
        "title": "WCO Regional Workshop on AEO",
        "scope": "regional",
        "start_date": dt.date(2024, 12, 2),
        "end_date": dt.date(2024, 12, 5),
        "venue": "Bangkok, Thailand",
        "mode": "in-person",
        "surveyed": "yes",
        "accreditation": "no",
    },
    "participants": {
        "workshop": "FY24-AEO",
        "name": "Jane Doe",
        "email": "jane.doe@customs.example.org",
        "administration": "FJ",
        "language": "en",
    },
    "responses": {
        "workshop": "FY24-AEO",
        "email": "jane.doe@customs.example.org",
        "submitted_at": dt.date(2025, 6, 20),
        "q1_shared_materials": "x",
        "q1_submitted_report": "x",
        "q1_shared_with": 12,
        "q1bis_colleagues_learned": 8,
        "q2_utilization": "Used the AEO self-assessment in our own programme.",
        "q3_direct_effects": "yes",
        "q4_contributed": "yes",
        "q5_new_project": "no",
    },
}


def _notes() -> dict[str, str]:
    """What each named column takes (docs/import-format.md says the same at more length)."""
    return {
        "code": gettext("The workshop's stable key, unique, e.g. FY19-AEO."),
        "title": gettext("As published."),
        "scope": gettext("regional, sub-regional or national."),
        "start_date": gettext("YYYY-MM-DD or an Excel date."),
        "end_date": gettext("YYYY-MM-DD or an Excel date; on or after the start date."),
        "venue": gettext("City and country, online, or blank."),
        "mode": gettext("in-person (blank means this), virtual or hybrid."),
        "surveyed": gettext("yes or no; blank means yes."),
        "accreditation": gettext("yes or no; blank means no (an accreditation workshop)."),
        "workshop": gettext("A code from the workshops sheet or one already in the database."),
        "name": gettext("The participant's name."),
        "email": gettext("A valid address; once per workshop."),
        "administration": gettext("A member administration's code or alias, e.g. FJ (Admin › Member administrations)."),
        "language": gettext("en or fr; blank means the office's default for a new participant."),
        "submitted_at": gettext("YYYY-MM-DD, an ISO date-time or an Excel date."),
    }


def note_for(sheet: str, column: Column) -> str:
    """The header's note: what the column takes, and whether it must be filled."""
    registered = extra_sheets.REGISTERED.get(sheet)
    # A registered sheet's own notes first; a column it does not describe (workshop) reads as in the survey's sheets.
    named = (registered.notes() if registered is not None else {}).get(column.name) or _notes().get(column.name)
    if named is None and column.name.startswith("title_"):
        named = gettext("The title in this language (%(code)s), up to 300 characters; blank: the title as given.") % {
            "code": column.name.removeprefix("title_")
        }
    if named is None:
        by_kind = {
            parse_tick: gettext("Ticked: yes, y, x, true or 1; not ticked: no, n, false, 0 or blank."),
            parse_count: gettext("A whole number of 0 or more, or blank."),
            parse_text: gettext("Text, up to 5,000 characters."),
            parse_yes_no: gettext("yes or no; blank means not answered (it is not No)."),
        }
        named = by_kind[column.parse]  # a new kind of column needs its note here (a test reads every column)
    required = gettext("Required.") if column.required else gettext("Optional.")
    return f"{required} {named}"


def template_workbook() -> bytes:
    book = Workbook()
    book.remove(book.active)
    for sheet_name in extra_sheets.sheet_names():
        sheet = book.create_sheet(sheet_name)
        registered = extra_sheets.REGISTERED.get(sheet_name)
        sample = registered.sample if registered is not None else SAMPLE[sheet_name]
        for index, column in enumerate(extra_sheets.columns_of(sheet_name), start=1):
            header = sheet.cell(row=1, column=index, value=column.name)
            header.font = Font(bold=column.required)
            header.comment = Comment(note_for(sheet_name, column), "rocbap", width=300, height=80)
            value = sample.get(column.name)
            cell = sheet.cell(row=2, column=index, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            sheet.column_dimensions[header.column_letter].width = max(12, len(column.name) + 2)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
