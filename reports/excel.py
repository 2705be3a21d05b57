"""The report's tables as an Excel workbook (docs/report.md, "The tables"): sheets `Table 1` ...
`Table 7`, `Associations`, and `Replies` with every reply of the FY in the import format's columns.

Rendering only: the figures come from reports.tables. Every text is written as an explicit string cell, so
that a reply beginning with =, +, - or @ is never taken for a formula by a spreadsheet.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import IO, Any

import pandas as pd
from django.conf import settings
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reports import frames, tables
from reports.display import TABLE_NOTES, Note
from reports.tables import CodeCell, Table
from surveys.imports.columns import SHEETS
from surveys.models import COUNTS, FREE_TEXTS, Q1_ACTIONS, YES_NO_QUESTIONS

SHEET_NAMES = {**{f"table{n}": f"Table {n}" for n in range(1, 8)}, "associations": "Associations"}
# The import format's `responses` columns, as the importer reads them (so that an export imports again), then
# what a reader of the export also wants.
IMPORT_COLUMNS = [column.name for column in SHEETS["responses"]]
REPLY_COLUMNS = [*IMPORT_COLUMNS, "administration_name", "late"]
# Left out of an export for a reader who may not see personal data (workshops.roles.may_see_personal_data).
PERSONAL_COLUMNS = ("email",)

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0B4F8A")
SUMMARY_FONT = Font(bold=True)
NOTE_FONT = Font(italic=True, size=9)
# The published marks of Tables 4 and 7 as inline fonts of rich text: underlined in an action column, bold in the
# outcome column (the last).
MARKS = {"u": InlineFont(u="single"), "b": InlineFont(b=True)}
# Panes frozen below the header and right of the column that names the row, which then stays in view.
FROZEN = {"Replies": "B2"}
TABLE_FROZEN = "C2"  # No. and Workshop (Action and Outcome in the association table)
PERCENT_FORMAT = "0%"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
MAX_WIDTH = {"Workshop": 60, "q2_utilization": 60}


def export(fiscal_year: int, target: str | Path | IO[bytes], *, include_personal_data: bool = True) -> None:
    """Write the fiscal year's workbook to a path (atomically: a reader never sees half a file) or a stream.
    Without personal data, the Replies sheet has no e-mail column (the tables never name anybody)."""
    frame = frames.replies_frame(fiscal_year)
    book = workbook(tables.build_tables(frame), frame, include_personal_data=include_personal_data)
    if not isinstance(target, str | Path):
        book.save(target)
        return
    target = Path(target)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".export-", suffix=".xlsx")
    os.close(handle)
    try:
        book.save(temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def workbook(built: dict[str, Table], frame: pd.DataFrame, *, include_personal_data: bool = True) -> Workbook:
    # The workbook is a contract with other tools: its sheets, columns and notes are the same words whatever the
    # language of the page it is downloaded from.
    with translation.override(settings.LANGUAGE_CODE):
        book = Workbook()
        book.remove(book.active)
        for key, name in SHEET_NAMES.items():
            write_table(book.create_sheet(name), built[key])
        write_replies(book.create_sheet("Replies"), frame, include_personal_data=include_personal_data)
    return book


def _set(sheet: Worksheet, row: int, column: int, value: Any):
    """One cell; text is always a string cell, never a formula."""
    cell = sheet.cell(row=row, column=column)
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return cell
    if isinstance(value, bool | int | float | dt.datetime | dt.date):
        cell.value = value
    else:
        cell.value = str(value)
        cell.data_type = "s"  # openpyxl would store "=..." as a formula
    return cell


def _header(sheet: Worksheet, columns: list[str], frozen: str) -> None:
    for index, name in enumerate(columns, start=1):
        cell = _set(sheet, 1, index, name)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = frozen


def code_text(value: CodeCell, tag: str) -> CellRichText | str:
    """A cell of Tables 4 or 7 as rich text, marked entries underlined (tag "u") or bold ("b")."""
    if not any(entry.marked for entry in value.entries):
        return str(value)
    parts: list[str | TextBlock] = []
    for number, entry in enumerate(value.entries):
        if number:
            parts.append(", ")
        parts.append(TextBlock(MARKS[tag], str(entry)) if entry.marked else str(entry))
    return CellRichText(parts)


def note_text(note: Note) -> CellRichText | str:
    # The notes' words are lazy translations: a cell takes text.
    if not note.marked:
        return str(note.before)
    return CellRichText([str(note.before), TextBlock(MARKS[note.tag], str(note.marked)), str(note.after)])


def _widths(sheet: Worksheet, columns: list[str], values: list[list[Any]]) -> None:
    for index, name in enumerate(columns):
        longest = max([len(str(row[index])) for row in values if row[index] is not None] + [len(name) // 2, 6])
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(longest + 2, MAX_WIDTH.get(name, 40))


def write_table(sheet: Worksheet, table: Table) -> None:
    _header(sheet, table.columns, TABLE_FROZEN)
    last = len(table.columns) - 1
    percent_columns = {i for i, name in enumerate(table.columns) if name.endswith("(%)")}
    for number, row in enumerate([*table.rows, *table.summary], start=2):
        is_summary = number - 2 >= len(table.rows)
        # Table 2's "% of replies" row holds percentages in the action columns.
        percent_row = is_summary and str(row[1]).startswith("%")
        for index, value in enumerate(row):
            if value == "":
                value = None
            as_percent = isinstance(value, int) and (index in percent_columns or (percent_row and index >= 2))
            if isinstance(value, CodeCell):
                cell = sheet.cell(row=number, column=index + 1)
                cell.value = code_text(value, "b" if index == last else "u")
                continue
            cell = _set(sheet, number, index + 1, value / 100 if as_percent else value)
            if as_percent:
                cell.number_format = PERCENT_FORMAT
            if is_summary:
                cell.font = SUMMARY_FONT
    _widths(sheet, table.columns, [[str(v) if v is not None else "" for v in r] for r in table.rows + table.summary])
    # The notes that explain the marks, under the table after an empty row.
    for number, note in enumerate(TABLE_NOTES.get(table.key, ()), start=len(table.rows) + len(table.summary) + 3):
        cell = sheet.cell(row=number, column=1)
        cell.value = note_text(note)
        cell.font = NOTE_FONT


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
            "administration_name": reply["administration_name"],
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
    for number, row in enumerate(rows, start=2):
        for index, value in enumerate(row, start=1):
            cell = _set(sheet, number, index, value)
            if isinstance(value, dt.datetime):
                cell.number_format = DATETIME_FORMAT
    for index, name in enumerate(columns, start=1):
        width = 20 if name == "submitted_at" else 30 if name in FREE_TEXTS or name.endswith("name") else 14
        sheet.column_dimensions[get_column_letter(index)].width = width
