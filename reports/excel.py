"""The report's tables as an Excel workbook (docs/report.md, "The tables"): sheets `Table 1` ...
`Table 7`, `Associations`, and `Replies` with every reply of the FY in the import format's columns.

Rendering only: the figures come from reports.tables. Every text is written as an explicit string cell, so
that a reply beginning with =, +, - or @ is never taken for a formula by a spreadsheet.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pandas as pd
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reports import frames, tables, wording
from reports.cells import CODE_SEPARATOR, CodeCell, CountShare
from reports.display import CODES_NOTE, PARTLY_MARKED_NOTE, TABLE_NOTES, Note
from reports.tables import Table
from rocbap.spreadsheets import save, set_cell
from surveys.imports.columns import SHEETS
from surveys.models import COUNTS, FREE_TEXTS, Q1_ACTIONS, YES_NO_QUESTIONS
from workshops.models import administration_name

SHEET_NAMES = {**{f"table{n}": f"Table {n}" for n in range(1, 8)}, "associations": "Associations"}
# The same sheets named for a reader in another language (Words); the Replies sheet keeps its name and columns,
# which the import reads back.
SHEET_WORDS = {
    **{f"table{n}": (pgettext_lazy("sheet", "Table %(number)s"), n) for n in range(1, 8)},
    "associations": (pgettext_lazy("sheet", "Associations"), None),
}
# The import format's `responses` columns, as the importer reads them (so that an export imports again), then
# what a reader of the export also wants.
IMPORT_COLUMNS = [column.name for column in SHEETS["responses"]]
REPLY_COLUMNS = [*IMPORT_COLUMNS, "administration_name", "late"]
# Left out of an export for a reader who may not see personal data (workshops.roles.may_see_personal_data).
PERSONAL_COLUMNS = ("email",)

# One typeface, named on every styled cell: a cell whose font has no name is shown in the reader's default (a serif
# in some spreadsheets). Calibri is the workbook's own default (openpyxl's stylesheet), so plain cells match.
FONT_NAME = "Calibri"
FONT_SIZE = 11
BODY_FONT = Font(name=FONT_NAME, size=FONT_SIZE)
HEADER_FONT = Font(name=FONT_NAME, size=FONT_SIZE, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0B4F8A")
SUMMARY_FONT = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
NOTE_FONT = Font(name=FONT_NAME, size=9, italic=True)
# A line of wrapped 11-point text takes about 15 points; a column's width is counted in characters of the font.
LINE_HEIGHT = 15
# The published marks of Tables 4 and 7 as inline fonts of rich text: underlined in an action column, bold in the
# outcome column (the last).
# A run of rich text takes nothing from its cell's font: each names its typeface and size itself.
MARKS = {
    "u": InlineFont(rFont=FONT_NAME, sz=FONT_SIZE, u="single"),
    "b": InlineFont(rFont=FONT_NAME, sz=FONT_SIZE, b=True),
}
NOTE_MARKS = {
    "u": InlineFont(rFont=FONT_NAME, sz=NOTE_FONT.sz, i=True, u="single"),
    "b": InlineFont(rFont=FONT_NAME, sz=NOTE_FONT.sz, i=True, b=True),
}
# Panes frozen below the header and right of the column that names the row, which then stays in view.
FROZEN = {"Replies": "B2"}
TABLE_FROZEN = "C2"  # No. and Workshop (Action and Outcome in the association table)
PERCENT_FORMAT = "0%"
COUNT_FORMAT = "0"
P_VALUE_FORMAT = "0.000"  # p-values to three decimals, as the report prints them
MEASURE_FORMAT = "0.00"  # odds ratio and phi
P_VALUE_COLUMNS = ("Fisher p", "Holm-adjusted p")
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
MAX_WIDTH = {"Workshop": 60, "q2_utilization": 60}
FREE_TEXT_WIDTH = 30  # the Replies sheet's columns of answers in words (and of names)
CODES_ONLY_NOTE = Note(_("Administrations are written by their codes."))
CODES_AND_REPEATS_NOTE = Note(
    _("Administrations are written by their codes; “×2” stands for two replies from the same administration.")
)


def export(
    fiscal_year: int,
    target: str | Path | IO[bytes],
    *,
    include_personal_data: bool = True,
    language: str | None = None,
) -> None:
    """Write the fiscal year's workbook to a path (atomically: a reader never sees half a file) or a stream.
    Without personal data, the Replies sheet has no e-mail column (the tables never name anybody). With a
    language, the tables are worded for a reader in it (Words)."""
    frame = frames.replies_frame(fiscal_year)
    book = workbook(tables.build_tables(frame), frame, include_personal_data=include_personal_data, language=language)
    save(book, target)


@dataclass(frozen=True)
class Words:
    """How the workbook words its tables. By default it is a contract with other tools (docs/report.md): sheets,
    columns, row names and workshops in the product's own words, whatever the language of the page it is
    downloaded from. For a reader (`translated`), the tables' sheet names, titles, columns, row names and
    workshops are in the active language, as the report prints them; the figures and the Replies sheet (the
    import format) are the same."""

    translated: bool = False

    def text(self, value: str) -> str:
        return wording.cell_text(value) if self.translated else str(value)

    def column(self, name: str) -> str:
        return wording.label(name) if self.translated else name

    def sheet(self, key: str) -> str:
        if not self.translated:
            return SHEET_NAMES[key]
        name, number = SHEET_WORDS[key]
        # A sheet's name: at most 31 characters, none of []:*?/\ (Excel's rule).
        return re.sub(r"[\[\]:*?/\\]", " ", str(name) % {"number": number} if number else str(name))[:31]


def workbook(
    built: dict[str, Table],
    frame: pd.DataFrame,
    *,
    include_personal_data: bool = True,
    language: str | None = None,
) -> Workbook:
    words = Words(translated=language is not None)
    with translation.override(language or settings.LANGUAGE_CODE):
        book = Workbook()
        book.remove(book.active)
        for key in SHEET_NAMES:
            sheet = book.create_sheet(words.sheet(key))
            write_table(sheet, built[key], words)
            # An Arabic reader's tables read from the right, as the report prints them (column A on the right).
            sheet.sheet_view.rightToLeft = words.translated and translation.get_language_bidi()
        write_replies(book.create_sheet("Replies"), frame, include_personal_data=include_personal_data)
    return book


def _header(sheet: Worksheet, columns: list[str], frozen: str) -> None:
    for index, name in enumerate(columns, start=1):
        cell = set_cell(sheet, 1, index, name)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = frozen


def wrapped_lines(text: str, width: float) -> int:
    """The lines a text takes wrapped in a column `width` characters wide (a word longer than the column takes its
    own lines): what the spreadsheet will show, so that a row can be made tall enough for it."""
    room = max(int(width) - 1, 1)
    return sum(len(textwrap.wrap(line, room, break_long_words=True)) or 1 for line in text.splitlines() or [""])


def _header_height(sheet: Worksheet, columns: list[str]) -> None:
    """The header row as tall as its longest wrapped name (a spreadsheet does not grow a row it was not told to)."""
    lines = max(
        wrapped_lines(name, sheet.column_dimensions[get_column_letter(index)].width or 8.43)
        for index, name in enumerate(columns, start=1)
    )
    sheet.row_dimensions[1].height = lines * LINE_HEIGHT + 3


def _print_setup(sheet: Worksheet, title: str) -> None:
    """Printed as a table is read: landscape, each sheet one page wide (as many pages down as it needs), the
    header row on every page, and the sheet's title at the top of each page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_options.horizontalCentered = True
    sheet.oddHeader.center.text = title.replace("&", "&&")  # & starts a field code in a page header
    sheet.oddFooter.center.text = "&P / &N"


def code_text(value: CodeCell, tag: str) -> CellRichText | str:
    """A cell of Tables 4 or 7 as rich text, the marked part of each entry underlined (tag "u") or bold ("b")."""
    if not any(entry.marked for entry in value.entries):
        return str(value)
    parts: list[str | TextBlock] = []
    for number, entry in enumerate(value.entries):
        before, marked, after = entry.parts()
        parts.append(CODE_SEPARATOR + before if number else before)
        if marked:
            parts.append(TextBlock(MARKS[tag], marked))
        parts.append(after)
    return CellRichText([part for part in parts if part])


def note_text(note: Note) -> CellRichText | str:
    # The notes' words are lazy translations: a cell takes text.
    if not note.marked:
        return str(note.before)
    return CellRichText([str(note.before), TextBlock(NOTE_MARKS[note.tag], str(note.marked)), str(note.after)])


def _widths(sheet: Worksheet, columns: list[str], values: list[list[Any]], headers: list[str] | None = None) -> None:
    """Each column as wide as its longest value (a header wraps, so half of it counts), up to a limit by the
    column's name (`columns`, the product's words; `headers` as printed, when they differ)."""
    for index, name in enumerate(columns):
        header = (headers or columns)[index]
        longest = max([len(str(row[index])) for row in values if row[index] is not None] + [len(header) // 2, 6])
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(longest + 2, MAX_WIDTH.get(name, 40))


# Marks, in column No., the row of shares spread() adds: its numbers are written as percentages.
SHARE_ROW = object()


def spread(row: list[Any]) -> list[list[Any]]:
    """A summary row as rows of single values: a "count (share)" cell of Tables 4 and 7 becomes the count on the
    row and its share on a row of its own below, "… (%)", so that each is a number a spreadsheet can add up."""
    if not any(isinstance(value, CountShare) for value in row):
        return [row]
    counts = [value.count if isinstance(value, CountShare) else value for value in row]
    shares: list[Any] = [value.percent if isinstance(value, CountShare) else "" for value in row]
    shares[0], shares[1] = SHARE_ROW, row[1]  # named "… (%)" where it is written
    return [counts, shares]


def _number_format(name: str, value: Any, percent: bool) -> str | None:
    if percent:
        return PERCENT_FORMAT
    if name in P_VALUE_COLUMNS:
        return P_VALUE_FORMAT
    if name in tables.MEASURE_COLUMNS:
        return MEASURE_FORMAT
    return COUNT_FORMAT if isinstance(value, int) and not isinstance(value, bool) else None


def write_table(sheet: Worksheet, table: Table, words: Words = Words()) -> None:
    headers = [words.column(name) for name in table.columns]
    _header(sheet, headers, TABLE_FROZEN)
    last = len(table.columns) - 1
    percent_columns = {i for i, name in enumerate(table.columns) if name.endswith("(%)")}
    summary = [spread_row for row in table.summary for spread_row in spread(row)]
    shown: list[list[str]] = []  # each cell's text as written, for the columns' widths
    for number, row in enumerate([*table.rows, *summary], start=2):
        is_summary = number - 2 >= len(table.rows)
        # Table 2's "% of replies" row, and the share rows of Tables 4 and 7, hold percentages (read in the
        # product's words, before they are worded for a reader).
        percent_row = is_summary and (str(row[1]).startswith("%") or row[0] is SHARE_ROW)
        worded: list[Any] = [words.text(value) if isinstance(value, str) else value for value in row]
        if row[0] is SHARE_ROW:
            worded = ["", f"{worded[1]} (%)", *worded[2:]]
        shown.append([str(value) if value is not None else "" for value in worded])
        for index, value in enumerate(worded):
            if value == "":
                value = None
            as_percent = isinstance(value, int) and (index in percent_columns or (percent_row and index >= 2))
            if isinstance(value, CodeCell):
                cell = sheet.cell(row=number, column=index + 1)
                cell.value = code_text(value, "b" if index == last else "u")
                cell.font = BODY_FONT
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                continue
            cell = set_cell(sheet, number, index + 1, value / 100 if as_percent else value)
            number_format = _number_format(table.columns[index], value, as_percent)
            if number_format and value is not None:
                cell.number_format = number_format
            cell.font = SUMMARY_FONT if is_summary else BODY_FONT
            if index == 1:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    _widths(sheet, table.columns, shown, headers)
    _header_height(sheet, headers)
    # The notes that explain the marks, under the table after an empty row.
    for number, note in enumerate(workbook_notes(table), start=len(table.rows) + len(summary) + 3):
        cell = sheet.cell(row=number, column=1)
        cell.value = note_text(note)
        cell.font = NOTE_FONT
    _print_setup(sheet, words.column(table.title))


def workbook_notes(table: Table) -> list[Note]:
    """The notes of a table as the workbook words them: about what the workbook holds. The PDF's note on the codes
    points to its appendix of administrations, which the workbook has not; the "×2" and the "×3 (1)" are explained
    where one appears."""
    notes = list(TABLE_NOTES.get(table.key, ()))
    entries = [entry for row in table.rows for value in row if isinstance(value, CodeCell) for entry in value.entries]
    if CODES_NOTE in notes:
        repeated = any(entry.count > 1 for entry in entries)
        notes[notes.index(CODES_NOTE)] = CODES_AND_REPEATS_NOTE if repeated else CODES_ONLY_NOTE
    if PARTLY_MARKED_NOTE in notes and not any(entry.partly_marked for entry in entries):
        notes.remove(PARTLY_MARKED_NOTE)
    return notes


def _yes_no(value: Any) -> str | None:
    if value is None or value is pd.NA:
        return None
    return "yes" if bool(value) else "no"


def reply_rows(frame: pd.DataFrame) -> list[list[Any]]:
    """Every reply of the frame in REPLY_COLUMNS, as the import format writes values."""
    rows = []
    ordered = tables.replies(frame).sort_values(["start_date", "workshop_title", "workshop_id", "administration"])
    for reply in ordered.to_dict("records"):
        submitted = reply["submitted_at"]
        submitted = (
            None
            if pd.isna(submitted)
            # Excel keeps no time zone: the office's local time, as the import reads it back.
            else timezone.make_naive(submitted.to_pydatetime(), timezone.get_current_timezone()).replace(microsecond=0)
        )
        values: dict[str, Any] = {
            "workshop": reply["workshop_code"],
            "email": reply["email"],
            "submitted_at": submitted,
            # In the language of whoever exports (the staff user's, or the office's for manage.py export_tables).
            "administration_name": administration_name(reply["administration"], reply["administration_name"]),
            "late": "yes" if reply["late"] else "no",
        }
        for name in Q1_ACTIONS:
            values[name] = "yes" if reply[name] else "no"
        for name in YES_NO_QUESTIONS:
            values[name] = _yes_no(reply[name])
        for name in COUNTS:
            values[name] = None if pd.isna(reply[name]) else int(reply[name])
        for name in FREE_TEXTS:
            values[name] = reply[name] or None
        rows.append([values[column] for column in REPLY_COLUMNS])
    return rows


def write_replies(sheet: Worksheet, frame: pd.DataFrame, *, include_personal_data: bool = True) -> None:
    columns = REPLY_COLUMNS if include_personal_data else [c for c in REPLY_COLUMNS if c not in PERSONAL_COLUMNS]
    kept = [REPLY_COLUMNS.index(column) for column in columns]
    _header(sheet, columns, FROZEN["Replies"])
    rows = [[row[index] for index in kept] for row in reply_rows(frame)]
    wrapped = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for number, row in enumerate(rows, start=2):
        for index, value in enumerate(row, start=1):
            cell = set_cell(sheet, number, index, value)
            cell.font = BODY_FONT
            # A long answer wraps within its column, so that the printed page shows all of it.
            cell.alignment = wrapped if columns[index - 1] in FREE_TEXTS else top
            if isinstance(value, dt.datetime):
                cell.number_format = DATETIME_FORMAT
    for index, name in enumerate(columns, start=1):
        width = 20 if name == "submitted_at" else FREE_TEXT_WIDTH if name in FREE_TEXTS or name.endswith("name") else 14
        sheet.column_dimensions[get_column_letter(index)].width = width
    _header_height(sheet, columns)
    # Each reply's row as tall as its longest wrapped answer: a printed page shows every answer whole.
    texts = [index for index, name in enumerate(columns) if name in FREE_TEXTS]
    for number, row in enumerate(rows, start=2):
        lines = max([wrapped_lines(str(row[index]), FREE_TEXT_WIDTH) for index in texts if row[index]] + [1])
        if lines > 1:
            sheet.row_dimensions[number].height = lines * LINE_HEIGHT
    _print_setup(sheet, "Replies")
