"""Reading a workbook's sheets into parsed rows, bounded in cost (issue 16), collecting every error rather than
stopping at the first."""

from __future__ import annotations

import itertools
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from django.utils.translation import gettext

from surveys.imports import xlsx
from surveys.imports.cells import CellError, blank
from surveys.imports.columns import SHEETS, Column
from surveys.imports.outcome import WorkbookError, grouped

# The import's cost is bounded before and while it reads (issue 16): what a workbook declares (its dimension, its
# sizes) is not trusted; what it holds is counted as it is read, and reading stops at these limits.
# A workbook that inflates beyond this when unzipped is refused before openpyxl reads it (a zip bomb guard).
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
# openpyxl loads the shared strings (the text of every cell) into memory at once: their part is refused beyond this,
# read from the zip's directory before anything is unpacked.
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024
# Excel's own limit for one cell; no column of the import takes more than TEXT_MAX_LENGTH.
MAX_CELL_CHARACTERS = 32_767
MAX_ROWS_PER_SHEET = 100_000  # docs/import-format.md
# The widest sheet (responses) has fewer; cells further right are not read.
MAX_COLUMNS = 64
# Errors listed in full; beyond these only their number is given (a broken 100,000-row sheet is not a 16 MiB page).
MAX_LISTED_ERRORS = 200
# Rows between two reports of progress (background imports show them to staff).
PROGRESS_EVERY_ROWS = 5_000


@dataclass
class Row:
    number: int
    values: dict[str, Any]


Progress = Callable[[str], None]


class Reader:
    """Reads the sheets into parsed rows, collecting every error instead of stopping at the first (up to
    MAX_LISTED_ERRORS listed, the rest counted)."""

    def __init__(
        self, progress: Progress | None = None, sheets: Mapping[str, tuple[Column, ...]] | None = None
    ) -> None:
        # The sheets it reads and their columns: the survey's own, and those other apps registered when the import
        # passes them (surveys.imports.extra_sheets.sheets_read), so that this room needs not know the registry.
        self.sheets = dict(sheets or SHEETS)
        self.errors: list[WorkbookError] = []
        self.unlisted = 0
        self.progress = progress or (lambda message: None)

    def error(self, sheet: str, row: int | None, column: str | None, message: str, always: bool = False) -> None:
        """Record an error; beyond MAX_LISTED_ERRORS only count it, unless it must always be read (a limit)."""
        if always or len(self.errors) < MAX_LISTED_ERRORS:
            self.errors.append(WorkbookError(sheet, row, column, message))
        else:
            self.unlisted += 1

    def columns_of(self, sheet: str) -> tuple[Column, ...]:
        """A sheet's columns: the survey's own, or those of a sheet another app registered (extra_sheets)."""
        return self.sheets[sheet]

    def read(self, source: str | Path | IO[bytes]) -> dict[str, list[Row]]:
        if not self._looks_like_xlsx(source):
            return {}
        self.progress(gettext("opening the workbook"))
        try:
            book = xlsx.Workbook(str(source) if isinstance(source, Path) else source, max_text=MAX_CELL_CHARACTERS)
        except xlsx.TextTooLong:
            self._too_long()
            return {}
        except (xlsx.Unreadable, expat.ExpatError, zipfile.BadZipFile, OSError, EOFError) as exc:
            self._unreadable(exc)
            return {}
        try:
            return self._read_sheets(book)
        except xlsx.TextTooLong:
            self._too_long()
            return {}
        except (xlsx.Unreadable, expat.ExpatError, zipfile.BadZipFile, OSError, EOFError) as exc:
            self._unreadable(exc)
            return {}
        finally:
            book.close()

    def _unreadable(self, exc: Exception) -> None:
        # surveys.imports.xlsx says what it found wrong, in the active language; for the others their name will do.
        reason = str(exc) if isinstance(exc, xlsx.Unreadable) else type(exc).__name__
        self.error(
            "workbook", None, None, gettext("cannot be read as an .xlsx workbook (%(reason)s)") % {"reason": reason}
        )

    def _too_long(self) -> None:
        self.error(
            "workbook",
            None,
            None,
            gettext("a cell holds more than %(limit)s characters (Excel's own limit); no column takes that much")
            % {"limit": grouped(MAX_CELL_CHARACTERS)},
        )

    def _looks_like_xlsx(self, source: str | Path | IO[bytes]) -> bool:
        try:
            if hasattr(source, "seek"):
                source.seek(0)
            if not zipfile.is_zipfile(source):
                self.error(
                    "workbook", None, None, gettext("is not an .xlsx workbook (save it as Excel Workbook .xlsx)")
                )
                return False
            if hasattr(source, "seek"):
                source.seek(0)
            with zipfile.ZipFile(source) as archive:
                return self._sizes_within_limits(archive)
        except (OSError, zipfile.BadZipFile):
            self.error("workbook", None, None, gettext("is not an .xlsx workbook (save it as Excel Workbook .xlsx)"))
            return False
        finally:
            if hasattr(source, "seek"):
                source.seek(0)

    def _sizes_within_limits(self, archive: zipfile.ZipFile) -> bool:
        """The sizes the zip's directory gives: checked before anything is unpacked. (The length of every text is
        checked as it is read, surveys.xlsx.)"""
        parts = archive.infolist()
        unzipped = sum(info.file_size for info in parts)
        if unzipped > MAX_UNZIPPED_BYTES:
            self.error(
                "workbook",
                None,
                None,
                gettext("unpacks to %(size)s MiB, more than we accept (at most %(limit)s MiB)")
                % {"size": grouped(round(unzipped / 2**20)), "limit": grouped(MAX_UNZIPPED_BYTES // 2**20)},
            )
            return False
        for info in parts:
            if info.filename.lower().endswith("sharedstrings.xml") and info.file_size > MAX_SHARED_STRINGS_BYTES:
                self.error(
                    "workbook",
                    None,
                    None,
                    gettext("its text unpacks to %(size)s MiB, more than we accept (at most %(limit)s MiB)")
                    % {
                        "size": grouped(round(info.file_size / 2**20)),
                        "limit": grouped(MAX_SHARED_STRINGS_BYTES // 2**20),
                    },
                )
                return False
        return True

    def _read_sheets(self, book: xlsx.Workbook) -> dict[str, list[Row]]:
        found: dict[str, list[Row]] = {}
        names = list(self.sheets)
        for title, part in book.sheets:
            name = title.strip().lower()
            if name not in names:
                self.error(
                    title, None, None, gettext("unknown sheet; expected %(sheets)s") % {"sheets": ", ".join(names)}
                )
                continue
            if name in found:
                self.error(title, None, None, gettext("a second sheet of that name"))
                continue
            found[name] = self._read_sheet(name, book.rows(part))
        if not found and not self.errors:
            self.error(
                "workbook", None, None, gettext("has none of the sheets %(sheets)s") % {"sheets": ", ".join(names)}
            )
        return found

    def _read_sheet(self, sheet: str, rows: Iterator[tuple[int, dict[int, xlsx.Cell]]]) -> list[Row]:
        """The sheet's rows as the sheet lists them (the declared dimension plays no part): the header in row 1,
        at most MAX_COLUMNS columns, reading stopped at the first row with values past MAX_ROWS_PER_SHEET + 1."""
        columns = {column.name: column for column in self.columns_of(sheet)}
        first = next(rows, None)
        if first is None:
            self.error(sheet, None, None, gettext("is empty; its first row must name the columns"))
            return []
        header = first[1] if first[0] == 1 else {}
        positions: dict[int, Column] = {}
        for index, cell in sorted(header.items()):
            if blank(cell.value):
                continue
            if index >= MAX_COLUMNS:
                message = gettext("more than %(limit)s columns; the import reads the first %(limit)s") % {
                    "limit": MAX_COLUMNS
                }
                self.error(sheet, 1, "-", message, always=True)
                break
            name = str(cell.value).strip().lower()
            if name not in columns:
                self.error(sheet, 1, str(cell.value).strip(), gettext("unknown column"))
            elif name in {c.name for c in positions.values()}:
                self.error(sheet, 1, name, gettext("column appears twice"))
            else:
                positions[index] = columns[name]
        for column in columns.values():
            if column.required and column not in positions.values():
                self.error(sheet, 1, column.name, gettext("required column is missing"))

        parsed: list[Row] = []
        data_rows = rows if first[0] == 1 else itertools.chain([first], rows)
        for count, (number, cells) in enumerate(data_rows, start=1):
            if count % PROGRESS_EVERY_ROWS == 0:
                self.progress(
                    gettext("reading sheet %(sheet)s: row %(row)s") % {"sheet": sheet, "row": grouped(number)}
                )
            if all(blank(cell.value) and not cell.formula for cell in cells.values()):
                continue
            if number > MAX_ROWS_PER_SHEET + 1:
                message = gettext("more than %(limit)s rows; split the workbook (nothing after this was read)") % {
                    "limit": grouped(MAX_ROWS_PER_SHEET)
                }
                self.error(sheet, number, "-", message, always=True)
                break
            values: dict[str, Any] = {}
            for index, column in positions.items():
                found = cells.get(index)
                if found is not None and found.formula:
                    self.error(sheet, number, column.name, gettext("is a formula; paste values only"))
                    continue
                try:
                    values[column.name] = column.parse(found.value if found is not None else None)
                except CellError as exc:
                    self.error(sheet, number, column.name, str(exc))
            parsed.append(Row(number, values))
        return parsed
