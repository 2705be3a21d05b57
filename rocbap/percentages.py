"""Percentages as the Good Practice Report prints them: whole per cent, rounded half up (1 of 8 = 12.5% -> 13%).

Every percentage the product shows (the report's tables and sentences, the staff pages, the admin's reply rates)
goes through `percent`, so that a figure reads the same wherever staff meet it (docs/report.md). It lives in the
bottom layer because every app shows percentages.
"""

from __future__ import annotations

import functools


def percent(part: int, whole: int) -> int | None:
    """part / whole in whole per cent, rounded half up (12.5 -> 13). Integer arithmetic: Python's round() rounds
    half to even (12.5 -> 12) and floats cannot hold 12.5% of every whole exactly. None when there is nothing to
    divide by."""
    part, whole = int(part), int(whole)
    if whole <= 0:
        return None
    return (200 * part + whole) // (2 * whole)


def percent_label(part: int, whole: int, *, empty: str = "-", language: str | None = None) -> str:
    """part / whole as a percentage written as the language writes it ('13%', '13 %' in French; by default in the
    active language), or `empty` when there is nothing to divide by."""
    value = percent(part, whole)
    return empty if value is None else percent_sign(value, language)


def reply_rate(replies: int, participants: int) -> int | None:
    """The reply rate (docs/domain.md): the replies of a group's participants, of those participants, in whole per
    cent. The one computation behind every reply rate shown: the report's tables and charts, the staff pages, the
    admin's column (None when the group has no participant)."""
    return percent(replies, participants)


def reply_rate_label(replies: int, participants: int, *, empty: str = "-") -> str:
    """`reply_rate` written as the active language writes a percentage ('13%', '13 %'), or `empty`."""
    rate = reply_rate(replies, participants)
    return empty if rate is None else percent_sign(rate)


# The space French writes between a figure and its per cent sign: narrow and no-break, so "70 %" never breaks.
NARROW_NO_BREAK_SPACE = "\u202f"


def percent_sign(value: int | float | str, language: str | None = None) -> str:
    """A figure with its per cent sign as the language writes it: '70%' in English, '70 %' (narrow no-break space)
    in French, '70 %' (no-break space, as CLDR writes it) in Spanish. By default in the active language."""
    from django.utils import translation

    code = (language or translation.get_language() or "en").split("-")[0]
    if code == "fr":
        return f"{value}{NARROW_NO_BREAK_SPACE}%"
    prefix, suffix = _percent_affixes(code)
    return f"{prefix}{value}{suffix}"


@functools.lru_cache(maxsize=16)
def _percent_affixes(code: str) -> tuple[str, str]:
    """What CLDR (Babel) writes before and after a positive percentage in a language: ('', '\xa0%') in Spanish,
    ('', '%') in English and for a language CLDR lacks."""
    from babel import Locale, UnknownLocaleError
    from babel.numbers import parse_pattern

    try:
        pattern = parse_pattern(Locale.parse(code).percent_formats[None])
    except (UnknownLocaleError, ValueError, KeyError):
        return "", "%"
    return pattern.prefix[0], pattern.suffix[0]
