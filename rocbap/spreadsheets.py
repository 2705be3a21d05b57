"""Writing workbooks that are safe to open: every text a text cell, so that a name or an answer beginning with =, +,
- or @ is never taken for a formula by a spreadsheet; and a file written whole or not at all. The one home of both
rules for every export (the report's tables, the impact ledger, the participants' list)."""

from __future__ import annotations

import datetime as dt
import math
import os
import tempfile
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet


def is_blank(value: Any) -> bool:
    """Nothing to write: None, a float NaN, or pandas' NA (recognised by its type's name, so that this module needs
    no pandas)."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or type(value).__name__ == "NAType"


def set_cell(sheet: Worksheet, row: int, column: int, value: Any):
    """One cell; numbers, booleans and dates as themselves, anything else a string cell, never a formula."""
    cell = sheet.cell(row=row, column=column)
    if is_blank(value):
        return cell
    if isinstance(value, bool | int | float | dt.datetime | dt.date):
        cell.value = value
    else:
        cell.value = str(value)
        cell.data_type = "s"  # openpyxl would store "=..." as a formula
    return cell


def write_only_cell(sheet: Any, value: Any) -> WriteOnlyCell:
    """The same rule for a write-only sheet's cell."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would store "=..." as a formula
    return cell


def save(book: Workbook, target: str | Path | IO[bytes]) -> None:
    """Save to a stream, or to a path atomically: a reader never sees half a file, a failure leaves none."""
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
