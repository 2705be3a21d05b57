"""Dates as each language writes them (CLDR, through Babel), for the staff pages, the admin and the report's
tables: "6 Dec 2026" in English, "6 déc. 2026" in French. Django's own "M"/"N" formats abbreviate months by
cutting them ("Jui" for both juin and juillet); CLDR's abbreviations are each language's own.

Templates: `{% load formats %}` (registered in settings.TEMPLATES), then `{{ day|day_label }}`,
`{{ day|day_month_label }}`, `{{ moment|moment_label }}`, `{{ day|month_label }}`.
"""

from __future__ import annotations

import datetime as dt

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton
from django import template
from django.utils import timezone, translation

register = template.Library()

# English as the WCO's English writes dates: day, month, year ("6 Dec 2026").
_LOCALES = {"en": "en_GB"}


def _locale(language: str | None) -> str:
    code = (language or translation.get_language() or "en").split("-")[0].lower()
    return _LOCALES.get(code, code)


def _day(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    # An aware moment is shown in the office's time zone (settings.TIME_ZONE), as every schedule day is.
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def day_label(value: dt.date | dt.datetime | None, language: str | None = None) -> str:
    """'6 Dec 2026', '6 déc. 2026'."""
    return "" if value is None else format_skeleton("yMMMd", _day(value), locale=_locale(language))


@register.filter
def day_month_label(value: dt.date | dt.datetime | None, language: str | None = None) -> str:
    """'6 Dec', '6 déc.'."""
    return "" if value is None else format_skeleton("MMMd", _day(value), locale=_locale(language))


@register.filter
def month_label(value: dt.date | dt.datetime | None, language: str | None = None) -> str:
    """'Dec 2026', 'déc. 2026'."""
    return "" if value is None else format_skeleton("yMMM", _day(value), locale=_locale(language))


@register.filter
def moment_label(value: dt.datetime | None, language: str | None = None) -> str:
    """'6 Dec 2026, 14:05', '6 déc. 2026, 14:05' (24-hour clock, the office's time zone)."""
    if value is None:
        return ""
    moment = _day(value)
    return f"{day_label(moment, language)}, {moment:%H:%M}"


@register.filter
def language_label(code: str | None, language: str | None = None) -> str:
    """A language named in the reader's language (CLDR): 'en' is 'English' to an English reader, 'anglais' to a
    French one."""
    if not code:
        return ""
    try:
        return Locale.parse(code).get_display_name(_locale(language)) or code
    except (UnknownLocaleError, ValueError):
        return code
