"""The workbook import (docs/import-format.md): read every sheet, validate every row, then write all of it in one
transaction or nothing at all.

It lives in the surveys app because it writes replies as well as workshops and participants (an app imports only
the apps below it: docs/architecture.md).

The admin's upload page and `manage.py import_workbook` both call `import_workbook`.

Every message (errors, progress, the summary) is written in the active language when it is made: the admin's
background import runs in the language of the staff user who started it (surveys.imports), the command in its
--language (the office's default language unless told). Sheet names, column names and the workbook's own values
are the machine contract (docs/import-format.md) and are quoted as they are, in every language.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from openpyxl.utils.datetime import from_excel

from surveys import rounds, xlsx
from surveys.models import COUNTS, FREE_TEXTS, Q1_ACTIONS, TEXT_MAX_LENGTH, YES_NO_QUESTIONS, Response, Status
from surveys.schedule import date_problems, schedule_for
from workshops.models import (
    MemberAdministration,
    Mode,
    Participant,
    Scope,
    Workshop,
    fiscal_year_label,
    fiscal_year_of,
)

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
TICKED = {"yes", "y", "x", "true", "1"}
NOT_TICKED = {"no", "n", "false", "0", ""}


class CellError(ValueError):
    """A value that does not fit its column; the message (translated where it is raised) is shown to staff as it
    is."""


@dataclass(frozen=True)
class WorkbookError:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        """`sheet!row column: message`, where the sheet, row and column are the workbook's own names; only the
        message (and the punctuation before it) follows the language."""
        values = {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}
        if self.row is None:
            return gettext("%(sheet)s: %(message)s") % values
        if self.column is None:  # the whole row (its round is closed)
            return gettext("%(sheet)s!%(row)s: %(message)s") % values
        return gettext("%(sheet)s!%(row)s %(column)s: %(message)s") % values


class WorkbookInvalid(Exception):
    """The workbook has errors; nothing was written. `errors` lists the first MAX_LISTED_ERRORS, `unlisted` counts
    the others."""

    def __init__(self, errors: list[WorkbookError], unlisted: int = 0):
        self.errors = errors
        self.unlisted = unlisted
        count = len(errors) + unlisted
        super().__init__(
            ngettext(
                "%(count)s error in the workbook; nothing was imported",
                "%(count)s errors in the workbook; nothing was imported",
                count,
            )
            % {"count": _number(count)}
        )

    def lines(self) -> list[str]:
        """Every listed error, then how many more there are."""
        more = (
            [
                ngettext(
                    "... and %(count)s more error, not listed",
                    "... and %(count)s more errors, not listed",
                    self.unlisted,
                )
                % {"count": _number(self.unlisted)}
            ]
            if self.unlisted
            else []
        )
        return [str(error) for error in self.errors] + more


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def values(self) -> dict[str, str]:
        return {
            "created": _number(self.created),
            "updated": _number(self.updated),
            "unchanged": _number(self.unchanged),
        }


@dataclass
class ImportSummary:
    workshops: Counts = field(default_factory=Counts)
    participants: Counts = field(default_factory=Counts)
    responses: Counts = field(default_factory=Counts)

    def lines(self) -> list[str]:
        """One line per sheet, in the active language (one sentence each: the words agree with what they count)."""
        return [
            gettext("Workshops: %(created)s new, %(updated)s updated, %(unchanged)s unchanged")
            % self.workshops.values(),
            gettext("Participants: %(created)s new, %(updated)s updated, %(unchanged)s unchanged")
            % self.participants.values(),
            gettext("Replies: %(created)s new, %(updated)s updated, %(unchanged)s unchanged") % self.responses.values(),
        ]


# --- Parsing single cells -------------------------------------------------------------------------------------


def _number(value: int) -> str:
    """A count or a limit as the active language groups it: 32,767 in English, 32 767 in French."""
    return number_format(value, force_grouping=True)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def parse_text(value: Any, max_length: int = TEXT_MAX_LENGTH) -> str:
    if _blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if len(text) > max_length:
        raise CellError(
            gettext("at most %(limit)s characters, got %(length)s")
            % {"limit": _number(max_length), "length": _number(len(text))}
        )
    return text


def parse_required_text(value: Any, max_length: int) -> str:
    text = parse_text(value, max_length)
    if not text:
        raise CellError(gettext("required"))
    return text


def parse_date(value: Any) -> dt.date:
    if _blank(value):
        raise CellError(gettext("required"))
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return from_excel(value).date()
        except (ValueError, OverflowError, TypeError):
            raise CellError(gettext("expected a date, got %(value)s") % {"value": _shown(value)}) from None
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise CellError(gettext("expected a date as YYYY-MM-DD, got %(value)s") % {"value": _shown(value)}) from None


def parse_datetime(value: Any) -> dt.datetime:
    """A submission time; a date alone or a time without zone is read in the office's time zone."""
    if _blank(value):
        raise CellError(gettext("required"))
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            value = from_excel(value)
        except (ValueError, OverflowError, TypeError):
            raise CellError(gettext("expected a date or date-time, got %(value)s") % {"value": _shown(value)}) from None
    if isinstance(value, str):
        text = value.strip()
        try:
            value = dt.datetime.fromisoformat(text)
        except ValueError:
            raise CellError(
                gettext("expected a date (YYYY-MM-DD) or ISO date-time, got %(value)s") % {"value": _shown(value)}
            ) from None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    if not isinstance(value, dt.datetime):
        raise CellError(gettext("expected a date or date-time, got %(value)s") % {"value": _shown(value)})
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def parse_tick(value: Any) -> bool:
    if value is None or value is True or value is False:
        return bool(value)
    text = str(int(value) if isinstance(value, float) and value.is_integer() else value).strip().lower()
    if text in TICKED:
        return True
    if text in NOT_TICKED:
        return False
    raise CellError(gettext("expected yes or no (x, 1, blank), got %(value)s") % {"value": _shown(value)})


def parse_yes_no(value: Any) -> bool | None:
    """Q3-Q5: blank means not answered, which is not No."""
    if _blank(value):
        return None
    if value is True or value is False:
        return value
    text = str(value).strip().lower()
    if text in {"yes", "y", "true"}:
        return True
    if text in {"no", "n", "false"}:
        return False
    raise CellError(gettext("expected yes/no, got %(value)s") % {"value": _shown(value)})


def parse_count(value: Any) -> int | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(gettext("expected a whole number, got %(value)s") % {"value": _shown(value)})
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(gettext("expected a whole number, got %(value)s") % {"value": _shown(value)})
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"-?\d+", text):
            raise CellError(gettext("expected a whole number, got %(value)s") % {"value": _shown(value)})
        value = int(text)
    if not isinstance(value, int):
        raise CellError(gettext("expected a whole number, got %(value)s") % {"value": _shown(value)})
    if value < 0:
        raise CellError(gettext("must not be negative, got %(value)s") % {"value": value})
    if value > 1_000_000:
        raise CellError(gettext("is implausibly large: %(value)s") % {"value": value})
    return value


def parse_choice(choices: type[Scope] | type[Mode], default: str | None = None) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if _blank(value):
            if default is None:
                raise CellError(gettext("required"))
            return default
        text = str(value).strip().lower().replace("_", "-")
        aliases = {"subregional": "sub-regional", "in person": "in-person", "online": "virtual"}
        text = aliases.get(text, text)
        if text not in choices.values:
            raise CellError(
                gettext("expected one of %(choices)s, got %(value)s")
                % {"choices": ", ".join(choices.values), "value": _shown(value)}
            )
        return text

    return parse


def parse_surveyed(value: Any) -> bool:
    return True if _blank(value) else parse_tick(value)


def parse_email(value: Any) -> str:
    text = parse_required_text(value, 254)
    try:
        validate_email(text)
    except ValidationError:
        raise CellError(gettext("not a valid e-mail address: %(value)s") % {"value": _shown(text)}) from None
    return text


def parse_code(value: Any) -> str:
    text = parse_required_text(value, 40)
    if not re.fullmatch(r"[-A-Za-z0-9_]+", text):
        raise CellError(gettext("letters, digits, - and _ only, got %(value)s") % {"value": _shown(text)})
    return text


def parse_language(value: Any) -> str:
    """A language the product speaks (en, fr), any case; blank: "" (the office's default for a new participant,
    unchanged for one already in the database)."""
    if _blank(value):
        return ""
    text = str(value).strip().lower()
    if text not in dict(settings.LANGUAGES):
        raise CellError(
            gettext("expected one of %(choices)s or blank, got %(value)s")
            % {"choices": ", ".join(dict(settings.LANGUAGES)), "value": _shown(value)}
        )
    return text


def _key(text: str) -> str:
    return text.strip().lower()


# --- Sheets and their columns -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    parse: Callable[[Any], Any]
    required: bool = False


SHEETS: dict[str, tuple[Column, ...]] = {
    "workshops": (
        Column("code", parse_code, required=True),
        Column("title", lambda v: parse_required_text(v, 300), required=True),
        Column("scope", parse_choice(Scope), required=True),
        Column("start_date", parse_date, required=True),
        Column("end_date", parse_date, required=True),
        Column("venue", lambda v: parse_text(v, 200)),
        Column("mode", parse_choice(Mode, default=Mode.IN_PERSON)),
        Column("surveyed", parse_surveyed),
        Column("accreditation", parse_tick),  # blank means no
    ),
    "participants": (
        Column("workshop", parse_code, required=True),
        Column("name", lambda v: parse_required_text(v, 200), required=True),
        Column("email", parse_email, required=True),
        Column("administration", lambda v: parse_required_text(v, 10).upper(), required=True),
        Column("language", parse_language),
    ),
    "responses": (
        Column("workshop", parse_code, required=True),
        Column("email", parse_email, required=True),
        Column("submitted_at", parse_datetime, required=True),
        *(Column(name, parse_tick) for name in Q1_ACTIONS),
        *(Column(name, parse_count) for name in COUNTS),
        *(Column(name, parse_text) for name in FREE_TEXTS),
        *(Column(name, parse_yes_no) for name in YES_NO_QUESTIONS),
    ),
}


@dataclass
class Row:
    number: int
    values: dict[str, Any]


Progress = Callable[[str], None]


class _Reader:
    """Reads the sheets into parsed rows, collecting every error instead of stopping at the first (up to
    MAX_LISTED_ERRORS listed, the rest counted)."""

    def __init__(self, progress: Progress | None = None) -> None:
        self.errors: list[WorkbookError] = []
        self.unlisted = 0
        self.progress = progress or (lambda message: None)

    def error(self, sheet: str, row: int | None, column: str | None, message: str, always: bool = False) -> None:
        """Record an error; beyond MAX_LISTED_ERRORS only count it, unless it must always be read (a limit)."""
        if always or len(self.errors) < MAX_LISTED_ERRORS:
            self.errors.append(WorkbookError(sheet, row, column, message))
        else:
            self.unlisted += 1

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
        # surveys.xlsx says what it found wrong, in the active language; for the others their name will do.
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
            % {"limit": _number(MAX_CELL_CHARACTERS)},
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
                % {"size": _number(round(unzipped / 2**20)), "limit": _number(MAX_UNZIPPED_BYTES // 2**20)},
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
                        "size": _number(round(info.file_size / 2**20)),
                        "limit": _number(MAX_SHARED_STRINGS_BYTES // 2**20),
                    },
                )
                return False
        return True

    def _read_sheets(self, book: xlsx.Workbook) -> dict[str, list[Row]]:
        found: dict[str, list[Row]] = {}
        for title, part in book.sheets:
            name = title.strip().lower()
            if name not in SHEETS:
                self.error(
                    title, None, None, gettext("unknown sheet; expected %(sheets)s") % {"sheets": ", ".join(SHEETS)}
                )
                continue
            if name in found:
                self.error(title, None, None, gettext("a second sheet of that name"))
                continue
            found[name] = self._read_sheet(name, book.rows(part))
        if not found and not self.errors:
            self.error(
                "workbook", None, None, gettext("has none of the sheets %(sheets)s") % {"sheets": ", ".join(SHEETS)}
            )
        return found

    def _read_sheet(self, sheet: str, rows: Iterator[tuple[int, dict[int, xlsx.Cell]]]) -> list[Row]:
        """The sheet's rows as the sheet lists them (the declared dimension plays no part): the header in row 1,
        at most MAX_COLUMNS columns, reading stopped at the first row with values past MAX_ROWS_PER_SHEET + 1."""
        columns = {column.name: column for column in SHEETS[sheet]}
        first = next(rows, None)
        if first is None:
            self.error(sheet, None, None, gettext("is empty; its first row must name the columns"))
            return []
        header = first[1] if first[0] == 1 else {}
        positions: dict[int, Column] = {}
        for index, cell in sorted(header.items()):
            if _blank(cell.value):
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
                    gettext("reading sheet %(sheet)s: row %(row)s") % {"sheet": sheet, "row": _number(number)}
                )
            if all(_blank(cell.value) and not cell.formula for cell in cells.values()):
                continue
            if number > MAX_ROWS_PER_SHEET + 1:
                message = gettext("more than %(limit)s rows; split the workbook (nothing after this was read)") % {
                    "limit": _number(MAX_ROWS_PER_SHEET)
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


# --- Cross-row checks and writing -------------------------------------------------------------------------------


def import_workbook(source: str | Path | IO[bytes], progress: Progress | None = None) -> ImportSummary:
    """Import a workbook in the import format. Raises WorkbookInvalid, having written nothing, on any error.

    `progress`, if given, is called with a short sentence now and then (what is being read, checked, written)."""
    reader = _Reader(progress)
    sheets = reader.read(source)
    if not sheets:  # not a workbook at all: nothing to check against the database
        raise WorkbookInvalid(reader.errors, reader.unlisted)
    reader.progress(gettext("checking the rows against each other and the database"))
    plan = _Plan(reader)
    plan.check(sheets)
    if reader.errors:
        order = {name: index for index, name in enumerate(SHEETS)}
        errors = sorted(reader.errors, key=lambda e: (order.get(e.sheet, -1), e.row or 0))
        raise WorkbookInvalid(errors, reader.unlisted)
    reader.progress(gettext("writing, all in one transaction"))
    return plan.write()


class _Plan:
    """What the workbook will write, checked across rows and against the database before anything is written."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.workshops: dict[str, Row] = {}  # code (lower) -> row
        self.participants: dict[tuple[str, str], Row] = {}  # (code, e-mail), lower
        self.responses: dict[tuple[str, str], Row] = {}
        self.administrations = MemberAdministration.lookup_table()
        self.existing_workshops: dict[str, Workshop] = {}  # code (lower) -> stored workshop
        self.known_codes: set[str] = set()  # in the workbook or stored
        self.existing_participants: dict[tuple[str, str], Participant] = {}
        self.touched_fiscal_years: set[int] = set()  # rounds whose replies or participants the import writes
        self.frozen_replies: set[tuple[str, str]] = set()  # unchanged replies of closed rounds: left as they are

    def check(self, sheets: dict[str, list[Row]]) -> None:
        """Every check across rows and against the database; errors go to the reader, nothing is written."""
        self._check_workshops(sheets.get("workshops", []))
        self._load_existing_workshops(sheets)
        self._check_workshop_dates()
        self._check_participants(sheets.get("participants", []))
        self._check_responses(sheets.get("responses", []))
        self._check_closed_rounds()

    def _check_workshops(self, rows: list[Row]) -> None:
        """1. Each code once in the sheet; a workshop ends on or after its start."""
        error = self.reader.error
        for row in rows:
            values = row.values
            code = values.get("code")
            if code is None:
                continue
            if _key(code) in self.workshops:
                error(
                    "workshops",
                    row.number,
                    "code",
                    gettext("%(code)s appears twice (also row %(row)s)")
                    % {"code": code, "row": self.workshops[_key(code)].number},
                )
                continue
            self.workshops[_key(code)] = row
            start, end = values.get("start_date"), values.get("end_date")
            if start and end and end < start:
                error(
                    "workshops",
                    row.number,
                    "end_date",
                    gettext("%(end)s is before the start date %(start)s") % {"end": end, "start": start},
                )

    def _load_existing_workshops(self, sheets: dict[str, list[Row]]) -> None:
        """2. The stored workshops the workbook names (one query); codes match without regard to case, like
        e-mail addresses."""
        referenced = {
            _key(r.values["workshop"])
            for s in ("participants", "responses")
            for r in sheets.get(s, [])
            if r.values.get("workshop")
        }
        self.existing_workshops = {
            _key(w.code): w
            for w in Workshop.objects.annotate(code_key=Lower("code")).filter(
                code_key__in=referenced | set(self.workshops)
            )
        }
        self.known_codes = set(self.workshops) | set(self.existing_workshops)

    def _check_workshop_dates(self) -> None:
        """2b. New dates of a stored workshop must still make sense with its survey dates (surveys.schedule's rules,
        which Workshop.clean applies in the admin): an end date moved past its invitation is refused."""
        for code, row in self.workshops.items():
            stored = self.existing_workshops.get(code)
            if stored is None:
                continue  # a new workshop has no date override: its computed dates follow the rules
            changed = copy.copy(stored)
            for name in ("start_date", "end_date"):
                if row.values.get(name):
                    setattr(changed, name, row.values[name])
            for problem in date_problems(changed).values():
                self.reader.error("workshops", row.number, "end_date", problem)

    def _check_participants(self, rows: list[Row]) -> None:
        """3. Each participant of a known workshop and member administration, each address once per workshop."""
        error = self.reader.error
        for row in rows:
            values = row.values
            code, email = values.get("workshop"), values.get("email")
            if code and _key(code) not in self.known_codes:
                error(
                    "participants", row.number, "workshop", gettext("no workshop with code %(code)s") % {"code": code}
                )
                continue
            self._resolve_administration(row)
            if code and email:
                key = (_key(code), _key(email))
                if key in self.participants:
                    error(
                        "participants",
                        row.number,
                        "email",
                        gettext("%(email)s is listed twice for workshop %(code)s (also row %(row)s)")
                        % {"email": email, "code": code, "row": self.participants[key].number},
                    )
                else:
                    self.participants[key] = row

    def _resolve_administration(self, row: Row) -> None:
        """The administration's code or alias becomes the administration itself."""
        administration = row.values.get("administration")
        if not administration:
            return
        if administration not in self.administrations:
            self.reader.error(
                "participants",
                row.number,
                "administration",
                gettext("unknown member administration %(code)s (valid codes: %(codes)s)")
                % {
                    "code": repr(administration),
                    "codes": ", ".join(sorted({a.code for a in self.administrations.values()})),
                },
            )
        else:
            row.values["administration"] = self.administrations[administration]

    def _check_responses(self, rows: list[Row]) -> None:
        """4. Each reply from a participant in the workbook or the database, one reply per participant."""
        error = self.reader.error
        wanted = {
            (_key(r.values["workshop"]), _key(r.values["email"]))
            for r in rows
            if r.values.get("workshop") and r.values.get("email")
        }
        unknown = wanted - set(self.participants)
        self.existing_participants = self._existing_participants({code for code, _ in [*self.participants, *unknown]})
        for row in rows:
            values = row.values
            code, email = values.get("workshop"), values.get("email")
            if not (code and email):
                continue
            key = (_key(code), _key(email))
            if key not in self.participants and key not in self.existing_participants:
                if _key(code) not in self.known_codes:
                    error(
                        "responses", row.number, "workshop", gettext("no workshop with code %(code)s") % {"code": code}
                    )
                else:
                    error(
                        "responses",
                        row.number,
                        "email",
                        gettext("%(email)s is not a participant of workshop %(code)s") % {"email": email, "code": code},
                    )
            elif key in self.responses:
                error(
                    "responses",
                    row.number,
                    "email",
                    gettext("a second reply of %(email)s to workshop %(code)s (also row %(row)s)")
                    % {"email": email, "code": code, "row": self.responses[key].number},
                )
            else:
                self.responses[key] = row

    def _fiscal_year(self, code: str) -> int | None:
        """The fiscal year the workshop will be in: the workbook's start date when it has the workshop, else the
        stored one's."""
        row = self.workshops.get(code)
        if row is not None and row.values.get("start_date"):
            return fiscal_year_of(row.values["start_date"])
        stored = self.existing_workshops.get(code)
        return stored.fiscal_year if stored is not None else None

    def _check_closed_rounds(self) -> None:
        """5. Closed means closed (surveys.rounds): no reply of a closed round is added or changed, and no participant
        is added to it (the published reply rate counts them). The same workbook imported again, unchanged, passes."""
        error = self.reader.error
        fiscal_years = {code: self._fiscal_year(code) for code in self.known_codes}
        closed = rounds.closed_fiscal_years() & {year for year in fiscal_years.values() if year is not None}
        stored_replies = {
            response.participant_id: response
            for response in Response.objects.filter(participant__in=list(self.existing_participants.values()))
        }
        for key, row in self.participants.items():
            year = fiscal_years.get(key[0])
            if year is not None and key not in self.existing_participants:
                self.touched_fiscal_years.add(year)
                if year in closed:
                    error("participants", row.number, None, _round_closed(year))
        for key, row in self.responses.items():
            year = fiscal_years.get(key[0])
            if year is None:
                continue
            participant = self.existing_participants.get(key)
            stored = stored_replies.get(participant.pk) if participant is not None else None
            if stored is not None and not _reply_differs(stored, row.values):
                if year in closed:
                    self.frozen_replies.add(key)  # not even its late mark is recomputed
                continue
            self.touched_fiscal_years.add(year)
            if year in closed:
                error("responses", row.number, None, _round_closed(year))

    def _existing_participants(self, codes: set[str]) -> dict[tuple[str, str], Participant]:
        workshops = [w for c, w in self.existing_workshops.items() if c in codes]
        participants = Participant.objects.filter(workshop__in=workshops).select_related("workshop")
        return {(_key(p.workshop.code), _key(p.email)): p for p in participants}

    @transaction.atomic
    def write(self) -> ImportSummary:
        # A round closed since the check: the lock makes a closing wait for this transaction, or this one see it.
        for year in sorted(self.touched_fiscal_years):
            if rounds.is_closed(year, lock=True):
                message = gettext("the FY%(label)s round was closed while the workbook was checked") % {
                    "label": fiscal_year_label(year)
                }
                raise WorkbookInvalid([WorkbookError("workbook", None, None, message)])
        summary = ImportSummary()
        workshops = dict(self.existing_workshops)
        for code, row in self.workshops.items():
            workshop = workshops.get(code) or Workshop()
            workshops[code] = workshop
            _apply(workshop, row.values, summary.workshops)

        participants = dict(self.existing_participants)
        new_participants: list[Participant] = []
        for (code, email), row in self.participants.items():
            participant = participants.get((code, email)) or Participant(workshop=workshops[code])
            participants[(code, email)] = participant
            values = {**row.values}
            values.pop("workshop")
            if participant.pk and _key(participant.email) == _key(values["email"]):
                values["email"] = participant.email  # same address, other case: leave it as first written
            if not values.get("language"):
                # Blank: a new participant gets the field's default (the office's language); one already in the
                # database keeps theirs, which they may have chosen on the questionnaire page.
                values.pop("language", None)
            _apply(participant, values, summary.participants, new=new_participants)
        # New participants in batches: a 100,000-row sheet is a few hundred INSERTs, not 100,000 (the database gives
        # their ids back, which the replies below need).
        Participant.objects.bulk_create(new_participants, batch_size=2_000)

        for key, row in self.responses.items():
            if key in self.frozen_replies:
                summary.responses.unchanged += 1
                continue
            participant = participants[key]
            response = Response.objects.filter(participant=participant).first() or Response(participant=participant)
            values = {k: v for k, v in row.values.items() if k not in ("workshop", "email")}
            values["status"] = Status.SUBMITTED
            values["late"] = schedule_for(participant.workshop).is_late(values["submitted_at"])
            _apply(response, values, summary.responses)
        return summary


def _round_closed(year: int) -> str:
    return gettext("the FY%(label)s round is closed") % {"label": fiscal_year_label(year)}


def _reply_differs(response: Response, values: dict[str, Any]) -> bool:
    """Whether importing the row would change the stored reply (what write sets through _apply)."""
    answers = {k: v for k, v in values.items() if k not in ("workshop", "email")}
    return response.status != Status.SUBMITTED or any(getattr(response, k) != v for k, v in answers.items())


def _apply(instance, values: dict[str, Any], counts: Counts, new: list | None = None) -> None:
    """Set the values on a model instance; save it only when something changed, so a re-import is a no-op.
    A new instance is added to `new`, when given, for the caller to create with the others at once."""
    changed = instance.pk is None
    for name, value in values.items():
        if name == "administration":
            if instance.pk is None or instance.administration_id != value.pk:
                instance.administration = value
                changed = True
            continue
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    if instance.pk is None:
        if new is None:
            instance.save()
        else:
            new.append(instance)
        counts.created += 1
    elif changed:
        instance.save()
        counts.updated += 1
    else:
        counts.unchanged += 1
