"""The tables' and charts' words in the active language.

reports.tables stays free of Django: it names its columns, totals and labels in English, marked with N_() for the
catalogue (workshops/management/commands/makemessages.py extracts them), and the code keeps looking them up by
those English names. Whoever shows a table (reports.display, reports.charts, the report's sentences) translates
at the last moment, here.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import translation
from django.utils.translation import gettext

from workshops.models import month_abbreviated

# 'WCO Regional Workshop on AEO (Dec. 2019)': reports.tables.workshop_label's month, in English.
_WORKSHOP_MONTH = re.compile(r"^(?P<title>.*) \((?P<month>[A-Z][a-z]{2})\.? (?P<year>\d{4})\)$", re.S)
_MONTHS = {dt.date(2000, number, 1).strftime("%b"): number for number in range(1, 13)}


def label(text: str) -> str:
    """A label of reports.tables (a column, a total, a scope, an action) in the active language."""
    return gettext(text) if text else text


def workshop_label(text: str) -> str:
    """A workshop's label with its month as the active language abbreviates it ('… (déc. 2019)' in French)."""
    language = (translation.get_language() or "en").split("-")[0]
    match = _WORKSHOP_MONTH.match(text)
    if language == "en" or match is None or match["month"] not in _MONTHS:
        return text
    start = dt.date(int(match["year"]), _MONTHS[match["month"]], 1)
    return f"{match['title']} ({month_abbreviated(start)})"


def cell_text(text: str) -> str:
    """A text cell of a table: a label of the product's, or a workshop's label."""
    translated = label(text)
    return translated if translated != text else workshop_label(text)
