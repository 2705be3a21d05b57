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
from django.utils.translation import gettext, pgettext_lazy

from reports.cells import WorkshopLabel
from workshops.models import month_abbreviated

# 'WCO Regional Workshop on AEO (Dec. 2019)': reports.cells.workshop_label's month, in English.
_WORKSHOP_MONTH = re.compile(r"^(?P<title>.*) \((?P<month>[A-Z][a-z]{2})\.? (?P<year>\d{4})\)$", re.S)
_MONTHS = {dt.date(2000, number, 1).strftime("%b"): number for number in range(1, 13)}


# Django's own month abbreviations (the date format "N"), listed here so that our catalogue carries them: French
# writes them as CLDR does ("janv.", "févr."), where Django's catalogue has "jan.", "fév.".
MONTH_ABBREVIATIONS = (
    pgettext_lazy("abbrev. month", "Jan."),
    pgettext_lazy("abbrev. month", "Feb."),
    pgettext_lazy("abbrev. month", "March"),
    pgettext_lazy("abbrev. month", "April"),
    pgettext_lazy("abbrev. month", "May"),
    pgettext_lazy("abbrev. month", "June"),
    pgettext_lazy("abbrev. month", "July"),
    pgettext_lazy("abbrev. month", "Aug."),
    pgettext_lazy("abbrev. month", "Sept."),
    pgettext_lazy("abbrev. month", "Oct."),
    pgettext_lazy("abbrev. month", "Nov."),
    pgettext_lazy("abbrev. month", "Dec."),
)


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


def workshop_name(workshop: WorkshopLabel) -> str:
    """A workshop of the tables in the active language: its title given in that language (else as given), and its
    month as that language abbreviates it ('Atelier régional de l'OMD sur l'OEA (déc. 2019)')."""
    language = (translation.get_language() or "en").split("-")[0]
    return f"{workshop.titles.get(language) or workshop.given_title} ({month_abbreviated(workshop.start, language)})"


def cell_text(text: str) -> str:
    """A text cell of a table: a label of the product's, or a workshop's label."""
    if isinstance(text, WorkshopLabel):
        return workshop_name(text)
    translated = label(text)
    return translated if translated != text else workshop_label(text)


def administration_name(administration) -> str:
    """An administration's name in the active language (the report's, while it renders): the one place the report
    takes it from (workshops.models.MemberAdministration.name_in: the member list's own spelling, else CLDR's)."""
    return administration.name_in(translation.get_language())


def quote_attribution(quote) -> str:
    """`(Administration – Workshop title)` under a quote, the administration named in the active language."""
    participant = quote.response.participant
    return f"({administration_name(participant.administration)} – {participant.workshop.title_in()})"
