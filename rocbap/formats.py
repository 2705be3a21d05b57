"""Dates as each language writes them (CLDR, through Babel), for the staff pages, the admin and the report's
tables: "6 Dec 2026" in English, "6 déc. 2026" in French. Django's own "M"/"N" formats abbreviate months by
cutting them ("Jui" for both juin and juillet); CLDR's abbreviations are each language's own.

Participants read dates written out in their language (English, French, Spanish, Arabic): `day_long` ("6 December
2026", "6 décembre 2026", "6 de diciembre de 2026", "6 ديسمبر 2026") is the one way every participant page and e-mail
writes a day; `days_long` writes a workshop's dates with it, `moment_long` a day and a time.

Templates: `{% load formats %}` (registered in settings.TEMPLATES), then `{{ day|day_label }}`,
`{{ day|day_month_label }}`, `{{ moment|moment_label }}`, `{{ day|month_label }}`; for participants
`{{ day|day_long }}` and `{{ moment|moment_long }}`.
"""

from __future__ import annotations

import datetime as dt

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton
from django import template
from django.utils import timezone, translation
from django.utils.html import format_html

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
def month_long(value: dt.date | dt.datetime | None, language: str | None = None) -> str:
    """A month written out, as the report's cover dates it: 'May 2020', 'mai 2020', 'mayo de 2020' (CLDR; Django's
    "F Y" would write 'mayo 2020')."""
    return "" if value is None else format_skeleton("yMMMM", _day(value), locale=_locale(language))


@register.filter
def moment_label(value: dt.datetime | None, language: str | None = None) -> str:
    """'6 Dec 2026, 14:05', '6 déc. 2026, 14:05' (24-hour clock, the office's time zone)."""
    if value is None:
        return ""
    moment = _day(value)
    return f"{day_label(moment, language)}, {moment:%H:%M}"


@register.filter
def day_long(value: dt.date | dt.datetime | None, language: str | None = None) -> str:
    """A day as a participant reads it, the month written out: '6 December 2026', '6 décembre 2026',
    '6 de diciembre de 2026', '6 ديسمبر 2026'."""
    return "" if value is None else format_skeleton("yMMMMd", _day(value), locale=_locale(language))


@register.filter
def moment_long(value: dt.datetime | None, language: str | None = None) -> str:
    """'6 December 2026, 14:05' (24-hour clock, the office's time zone)."""
    if value is None:
        return ""
    moment = _day(value)
    return f"{day_long(moment, language)}, {moment:%H:%M}"


def days_long(start: dt.date, end: dt.date, language: str | None = None) -> str:
    """A workshop's dates as a participant reads them: '2-5 December 2019', '28 November - 2 December 2019',
    '30 December 2019 - 2 January 2020', '2-5 de diciembre de 2019'. Each day is written by CLDR (day_long, or
    day and month); the range is joined with a hyphen as the questionnaire has always written it (CLDR's own
    intervals use an en dash and, in British English, abbreviate the months). Every participant language writes the
    day before the month, so '2-' before the end day reads right in all of them."""
    locale = _locale(language)
    if start == end:
        return day_long(start, language)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}-{day_long(end, language)}"
    if start.year == end.year:
        return f"{format_skeleton('MMMMd', start, locale=locale)} - {day_long(end, language)}"
    return f"{day_long(start, language)} - {day_long(end, language)}"


@register.filter
def isolated(value: str) -> str:
    """A venue or a date set apart from the sentence around it (<bdi>) on a right-to-left page: inside an Arabic
    sentence, "Bangkok, Thailand" or "2-5 ديسمبر 2019" (Latin letters, digits, hyphens and commas) would otherwise be
    reordered with its neighbours by the bidirectional algorithm. Left-to-right pages get the text as it is. For HTML
    only: plain-text e-mails and subjects have no markup (isolated_text)."""
    if not value or not translation.get_language_bidi():
        return value
    return format_html("<bdi>{}</bdi>", value)


# Unicode's isolates: FIRST STRONG ISOLATE opens, POP DIRECTIONAL ISOLATE closes; invisible, like <bdi>.
FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


@register.filter
def isolated_text(value: str) -> str:
    """`isolated` for plain text (the e-mails' text part and subjects, which have no markup): on a right-to-left
    reader's text, the value between Unicode's directional isolates, so that "Manila" or "6-9 أبريل 2020" keeps
    its order inside an Arabic sentence. Left-to-right texts get the value as it is."""
    if not value or not translation.get_language_bidi():
        return value
    return f"{FIRST_STRONG_ISOLATE}{value}{POP_DIRECTIONAL_ISOLATE}"


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
