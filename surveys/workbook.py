"""The workbook import (docs/import-format.md): read every sheet, validate every row, then write all of it in one
transaction or nothing at all.

It lives in the surveys app because it writes replies as well as workshops and participants (an app imports only
the apps below it: docs/architecture.md).

The admin's upload page and `manage.py import_workbook` both call `import_workbook`.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

from surveys.models import COUNTS, FREE_TEXTS, Q1_ACTIONS, TEXT_MAX_LENGTH, YES_NO_QUESTIONS, Response, Status
from surveys.schedule import schedule_for
from workshops.models import MemberAdministration, Mode, Participant, Scope, Workshop

# A workbook that inflates beyond this when unzipped is refused before openpyxl reads it (a zip bomb guard).
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ROWS_PER_SHEET = 100_000
TICKED = {"yes", "y", "x", "true", "1"}
NOT_TICKED = {"no", "n", "false", "0", ""}


class CellError(ValueError):
    """A value that does not fit its column; the message is shown to staff as it is."""


@dataclass(frozen=True)
class WorkbookError:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return f"{self.sheet}: {self.message}"
        return f"{self.sheet}!{self.row} {self.column}: {self.message}"


class WorkbookInvalid(Exception):
    """The workbook has errors; nothing was written."""

    def __init__(self, errors: list[WorkbookError]):
        self.errors = errors
        super().__init__(f"{len(errors)} error(s) in the workbook; nothing was imported")


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} new, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class ImportSummary:
    workshops: Counts = field(default_factory=Counts)
    participants: Counts = field(default_factory=Counts)
    responses: Counts = field(default_factory=Counts)

    def lines(self) -> list[str]:
        return [
            f"Workshops: {self.workshops}",
            f"Participants: {self.participants}",
            f"Replies: {self.responses}",
        ]


# --- Parsing single cells -------------------------------------------------------------------------------------


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
        raise CellError(f"at most {max_length:,} characters, got {len(text):,}")
    return text


def parse_required_text(value: Any, max_length: int) -> str:
    text = parse_text(value, max_length)
    if not text:
        raise CellError("required")
    return text


def parse_date(value: Any) -> dt.date:
    if _blank(value):
        raise CellError("required")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return from_excel(value).date()
        except (ValueError, OverflowError, TypeError):
            raise CellError(f"expected a date, got {_shown(value)}") from None
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise CellError(f"expected a date as YYYY-MM-DD, got {_shown(value)}") from None


def parse_datetime(value: Any) -> dt.datetime:
    """A submission time; a date alone or a time without zone is read in the office's time zone."""
    if _blank(value):
        raise CellError("required")
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            value = from_excel(value)
        except (ValueError, OverflowError, TypeError):
            raise CellError(f"expected a date or date-time, got {_shown(value)}") from None
    if isinstance(value, str):
        text = value.strip()
        try:
            value = dt.datetime.fromisoformat(text)
        except ValueError:
            raise CellError(f"expected a date (YYYY-MM-DD) or ISO date-time, got {_shown(value)}") from None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    if not isinstance(value, dt.datetime):
        raise CellError(f"expected a date or date-time, got {_shown(value)}")
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
    raise CellError(f"expected yes or no (x, 1, blank), got {_shown(value)}")


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
    raise CellError(f"expected yes/no, got {_shown(value)}")


def parse_count(value: Any) -> int | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(f"expected a whole number, got {_shown(value)}")
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"expected a whole number, got {_shown(value)}")
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"-?\d+", text):
            raise CellError(f"expected a whole number, got {_shown(value)}")
        value = int(text)
    if not isinstance(value, int):
        raise CellError(f"expected a whole number, got {_shown(value)}")
    if value < 0:
        raise CellError(f"must not be negative, got {value}")
    if value > 1_000_000:
        raise CellError(f"is implausibly large: {value}")
    return value


def parse_choice(choices: type[Scope] | type[Mode], default: str | None = None) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if _blank(value):
            if default is None:
                raise CellError("required")
            return default
        text = str(value).strip().lower().replace("_", "-")
        aliases = {"subregional": "sub-regional", "in person": "in-person", "online": "virtual"}
        text = aliases.get(text, text)
        if text not in choices.values:
            raise CellError(f"expected one of {', '.join(choices.values)}, got {_shown(value)}")
        return text

    return parse


def parse_surveyed(value: Any) -> bool:
    return True if _blank(value) else parse_tick(value)


def parse_email(value: Any) -> str:
    text = parse_required_text(value, 254)
    try:
        validate_email(text)
    except ValidationError:
        raise CellError(f"not a valid e-mail address: {_shown(text)}") from None
    return text


def parse_code(value: Any) -> str:
    text = parse_required_text(value, 40)
    if not re.fullmatch(r"[-A-Za-z0-9_]+", text):
        raise CellError(f"letters, digits, - and _ only, got {_shown(text)}")
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


class _Reader:
    """Reads the sheets into parsed rows, collecting every error instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[WorkbookError] = []

    def error(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        self.errors.append(WorkbookError(sheet, row, column, message))

    def read(self, source: str | Path | IO[bytes]) -> dict[str, list[Row]]:
        if not self._looks_like_xlsx(source):
            return {}
        try:
            book = load_workbook(source, read_only=True, data_only=False)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            self.error("workbook", None, None, f"cannot be read as an .xlsx workbook ({type(exc).__name__})")
            return {}
        try:
            return self._read_sheets(book)
        finally:
            book.close()

    def _looks_like_xlsx(self, source: str | Path | IO[bytes]) -> bool:
        try:
            if hasattr(source, "seek"):
                source.seek(0)
            if not zipfile.is_zipfile(source):
                self.error("workbook", None, None, "is not an .xlsx workbook (save it as Excel Workbook .xlsx)")
                return False
            if hasattr(source, "seek"):
                source.seek(0)
            with zipfile.ZipFile(source) as archive:
                unzipped = sum(info.file_size for info in archive.infolist())
            if unzipped > MAX_UNZIPPED_BYTES:
                self.error("workbook", None, None, f"unpacks to {unzipped // 2**20} MiB, more than we accept")
                return False
        except (OSError, zipfile.BadZipFile):
            self.error("workbook", None, None, "is not an .xlsx workbook (save it as Excel Workbook .xlsx)")
            return False
        finally:
            if hasattr(source, "seek"):
                source.seek(0)
        return True

    def _read_sheets(self, book) -> dict[str, list[Row]]:
        found: dict[str, list[Row]] = {}
        for worksheet in book.worksheets:
            name = worksheet.title.strip().lower()
            if name not in SHEETS:
                self.error(worksheet.title, None, None, f"unknown sheet; expected {', '.join(SHEETS)}")
                continue
            if name in found:
                self.error(worksheet.title, None, None, "a second sheet of that name")
                continue
            found[name] = self._read_sheet(name, worksheet.iter_rows())
        if not found and not self.errors:
            self.error("workbook", None, None, f"has none of the sheets {', '.join(SHEETS)}")
        return found

    def _read_sheet(self, sheet: str, cells: Iterable) -> list[Row]:
        columns = {column.name: column for column in SHEETS[sheet]}
        rows = iter(cells)
        header = next(rows, None)
        if header is None:
            self.error(sheet, None, None, "is empty; its first row must name the columns")
            return []
        positions: dict[int, Column] = {}
        for index, cell in enumerate(header):
            if _blank(cell.value):
                continue
            name = str(cell.value).strip().lower()
            if name not in columns:
                self.error(sheet, 1, str(cell.value).strip(), "unknown column")
            elif name in {c.name for c in positions.values()}:
                self.error(sheet, 1, name, "column appears twice")
            else:
                positions[index] = columns[name]
        for column in columns.values():
            if column.required and column not in positions.values():
                self.error(sheet, 1, column.name, "required column is missing")

        parsed: list[Row] = []
        for number, row in enumerate(rows, start=2):
            if number > MAX_ROWS_PER_SHEET + 1:
                self.error(sheet, number, "-", f"more than {MAX_ROWS_PER_SHEET:,} rows; split the workbook")
                break
            if all(_blank(cell.value) for cell in row):
                continue
            values: dict[str, Any] = {}
            for index, column in positions.items():
                cell = row[index] if index < len(row) else None
                if cell is not None and getattr(cell, "data_type", None) == "f":
                    self.error(sheet, number, column.name, "is a formula; paste values only")
                    continue
                try:
                    values[column.name] = column.parse(cell.value if cell is not None else None)
                except CellError as exc:
                    self.error(sheet, number, column.name, str(exc))
            parsed.append(Row(number, values))
        return parsed


# --- Cross-row checks and writing -------------------------------------------------------------------------------


def import_workbook(source: str | Path | IO[bytes]) -> ImportSummary:
    """Import a workbook in the import format. Raises WorkbookInvalid, having written nothing, on any error."""
    reader = _Reader()
    sheets = reader.read(source)
    if not sheets:  # not a workbook at all: nothing to check against the database
        raise WorkbookInvalid(reader.errors)
    plan = _Plan(reader)
    plan.check(sheets)
    if reader.errors:
        order = {name: index for index, name in enumerate(SHEETS)}
        raise WorkbookInvalid(sorted(reader.errors, key=lambda e: (order.get(e.sheet, -1), e.row or 0)))
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

    def check(self, sheets: dict[str, list[Row]]) -> None:
        """Every check across rows and against the database; errors go to the reader, nothing is written."""
        self._check_workshops(sheets.get("workshops", []))
        self._load_existing_workshops(sheets)
        self._check_participants(sheets.get("participants", []))
        self._check_responses(sheets.get("responses", []))

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
                    f"{code} appears twice (also row {self.workshops[_key(code)].number})",
                )
                continue
            self.workshops[_key(code)] = row
            start, end = values.get("start_date"), values.get("end_date")
            if start and end and end < start:
                error("workshops", row.number, "end_date", f"{end} is before the start date {start}")

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

    def _check_participants(self, rows: list[Row]) -> None:
        """3. Each participant of a known workshop and member administration, each address once per workshop."""
        error = self.reader.error
        for row in rows:
            values = row.values
            code, email = values.get("workshop"), values.get("email")
            if code and _key(code) not in self.known_codes:
                error("participants", row.number, "workshop", f"no workshop with code {code}")
                continue
            self._resolve_administration(row)
            if code and email:
                key = (_key(code), _key(email))
                if key in self.participants:
                    error(
                        "participants",
                        row.number,
                        "email",
                        f"{email} is listed twice for workshop {code} (also row {self.participants[key].number})",
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
                "participants", row.number, "administration", f"unknown member administration {administration!r}"
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
                    error("responses", row.number, "workshop", f"no workshop with code {code}")
                else:
                    error("responses", row.number, "email", f"{email} is not a participant of workshop {code}")
            elif key in self.responses:
                error(
                    "responses",
                    row.number,
                    "email",
                    f"a second reply of {email} to workshop {code} (also row {self.responses[key].number})",
                )
            else:
                self.responses[key] = row

    def _existing_participants(self, codes: set[str]) -> dict[tuple[str, str], Participant]:
        workshops = [w for c, w in self.existing_workshops.items() if c in codes]
        participants = Participant.objects.filter(workshop__in=workshops).select_related("workshop")
        return {(_key(p.workshop.code), _key(p.email)): p for p in participants}

    @transaction.atomic
    def write(self) -> ImportSummary:
        summary = ImportSummary()
        workshops = dict(self.existing_workshops)
        for code, row in self.workshops.items():
            workshop = workshops.get(code) or Workshop()
            workshops[code] = workshop
            _apply(workshop, row.values, summary.workshops)

        participants = dict(self.existing_participants)
        for (code, email), row in self.participants.items():
            participant = participants.get((code, email)) or Participant(workshop=workshops[code])
            participants[(code, email)] = participant
            values = {**row.values}
            values.pop("workshop")
            if participant.pk and _key(participant.email) == _key(values["email"]):
                values["email"] = participant.email  # same address, other case: leave it as first written
            _apply(participant, values, summary.participants)

        for key, row in self.responses.items():
            participant = participants[key]
            response = Response.objects.filter(participant=participant).first() or Response(participant=participant)
            values = {k: v for k, v in row.values.items() if k not in ("workshop", "email")}
            values["status"] = Status.SUBMITTED
            values["late"] = schedule_for(participant.workshop).is_late(values["submitted_at"])
            _apply(response, values, summary.responses)
        return summary


def _apply(instance, values: dict[str, Any], counts: Counts) -> None:
    """Set the values on a model instance; save it only when something changed, so a re-import is a no-op."""
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
        instance.save()
        counts.created += 1
    elif changed:
        instance.save()
        counts.updated += 1
    else:
        counts.unchanged += 1
