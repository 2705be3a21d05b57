"""The sheets and their columns: the machine contract of the import format (docs/import-format.md). The reader
checks workbooks against it; the template workbook staff download is made from it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from surveys.imports.cells import (
    parse_choice,
    parse_code,
    parse_count,
    parse_date,
    parse_datetime,
    parse_email,
    parse_language,
    parse_required_text,
    parse_surveyed,
    parse_text,
    parse_tick,
    parse_yes_no,
)
from surveys.models import COUNTS, FREE_TEXTS, Q1_ACTIONS, YES_NO_QUESTIONS
from workshops.models import (
    TITLE_LANGUAGES,
    Mode,
    Scope,
)

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
        # The title in other languages (optional, each on its own): participants, their e-mails and the report read
        # their language's, else `title`. A column left out changes nothing; a blank cell clears that title.
        *(Column(f"title_{language}", lambda v: parse_text(v, 300)) for language in TITLE_LANGUAGES),
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
