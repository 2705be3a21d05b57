"""Parsing single cells: each column's parser turns a cell's value into the model's value or raises CellError with
a message for staff."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl.utils.datetime import from_excel

from surveys.imports.outcome import grouped
from surveys.models import TEXT_MAX_LENGTH
from workshops.models import (
    Mode,
    Scope,
)

TICKED = {"yes", "y", "x", "true", "1"}
NOT_TICKED = {"no", "n", "false", "0", ""}


class CellError(ValueError):
    """A value that does not fit its column; the message (translated where it is raised) is shown to staff as it
    is."""


# --- Parsing single cells -------------------------------------------------------------------------------------


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def shown(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def parse_text(value: Any, max_length: int = TEXT_MAX_LENGTH) -> str:
    if blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if len(text) > max_length:
        raise CellError(
            gettext("at most %(limit)s characters, got %(length)s")
            % {"limit": grouped(max_length), "length": grouped(len(text))}
        )
    return text


def parse_required_text(value: Any, max_length: int) -> str:
    text = parse_text(value, max_length)
    if not text:
        raise CellError(gettext("required"))
    return text


def parse_date(value: Any) -> dt.date:
    if blank(value):
        raise CellError(gettext("required"))
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return from_excel(value).date()
        except (ValueError, OverflowError, TypeError):
            raise CellError(gettext("expected a date, got %(value)s") % {"value": shown(value)}) from None
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise CellError(gettext("expected a date as YYYY-MM-DD, got %(value)s") % {"value": shown(value)}) from None


def parse_datetime(value: Any) -> dt.datetime:
    """A submission time; a date alone or a time without zone is read in the office's time zone."""
    if blank(value):
        raise CellError(gettext("required"))
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            value = from_excel(value)
        except (ValueError, OverflowError, TypeError):
            raise CellError(gettext("expected a date or date-time, got %(value)s") % {"value": shown(value)}) from None
    if isinstance(value, str):
        text = value.strip()
        try:
            value = dt.datetime.fromisoformat(text)
        except ValueError:
            raise CellError(
                gettext("expected a date (YYYY-MM-DD) or ISO date-time, got %(value)s") % {"value": shown(value)}
            ) from None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    if not isinstance(value, dt.datetime):
        raise CellError(gettext("expected a date or date-time, got %(value)s") % {"value": shown(value)})
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
    raise CellError(gettext("expected yes or no (x, 1, blank), got %(value)s") % {"value": shown(value)})


def parse_yes_no(value: Any) -> bool | None:
    """Q3-Q5: blank means not answered, which is not No."""
    if blank(value):
        return None
    if value is True or value is False:
        return value
    text = str(value).strip().lower()
    if text in {"yes", "y", "true"}:
        return True
    if text in {"no", "n", "false"}:
        return False
    raise CellError(gettext("expected yes/no, got %(value)s") % {"value": shown(value)})


def parse_count(value: Any) -> int | None:
    if blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(gettext("expected a whole number, got %(value)s") % {"value": shown(value)})
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(gettext("expected a whole number, got %(value)s") % {"value": shown(value)})
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"-?\d+", text):
            raise CellError(gettext("expected a whole number, got %(value)s") % {"value": shown(value)})
        value = int(text)
    if not isinstance(value, int):
        raise CellError(gettext("expected a whole number, got %(value)s") % {"value": shown(value)})
    if value < 0:
        raise CellError(gettext("must not be negative, got %(value)s") % {"value": value})
    if value > 1_000_000:
        raise CellError(gettext("is implausibly large: %(value)s") % {"value": value})
    return value


def parse_choice(choices: type[Scope] | type[Mode], default: str | None = None) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if blank(value):
            if default is None:
                raise CellError(gettext("required"))
            return default
        text = str(value).strip().lower().replace("_", "-")
        aliases = {"subregional": "sub-regional", "in person": "in-person", "online": "virtual"}
        text = aliases.get(text, text)
        if text not in choices.values:
            raise CellError(
                gettext("expected one of %(choices)s, got %(value)s")
                % {"choices": ", ".join(choices.values), "value": shown(value)}
            )
        return text

    return parse


def parse_surveyed(value: Any) -> bool:
    return True if blank(value) else parse_tick(value)


def parse_email(value: Any) -> str:
    text = parse_required_text(value, 254)
    try:
        validate_email(text)
    except ValidationError:
        raise CellError(gettext("not a valid e-mail address: %(value)s") % {"value": shown(text)}) from None
    return text


def parse_code(value: Any) -> str:
    text = parse_required_text(value, 40)
    if not re.fullmatch(r"[-A-Za-z0-9_]+", text):
        raise CellError(gettext("letters, digits, - and _ only, got %(value)s") % {"value": shown(text)})
    return text


def parse_language(value: Any) -> str:
    """A language the product speaks (en, fr), any case; blank: "" (the office's default for a new participant,
    unchanged for one already in the database)."""
    if blank(value):
        return ""
    text = str(value).strip().lower()
    if text not in dict(settings.LANGUAGES):
        raise CellError(
            gettext("expected one of %(choices)s or blank, got %(value)s")
            % {"choices": ", ".join(dict(settings.LANGUAGES)), "value": shown(value)}
        )
    return text


def fold(text: str) -> str:
    return text.strip().lower()
