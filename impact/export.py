"""`manage.py export_impact`: the success stories and the administrations' ledger of a range of fiscal years as a
workbook, sheets `Success stories` (one row per confirmed story) and `Administrations` (one row per administration
and fiscal year). The sheets keep these names (other tools find them by name); headers and values are in the
active language. Every text is written as a string cell: a reply beginning with =, +, - or @ stays text."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from impact.ledger import ledger
from impact.models import SuccessStory
from rocbap.spreadsheets import save, set_cell
from workshops.models import fiscal_year_label

STORIES_SHEET = "Success stories"
ADMINISTRATIONS_SHEET = "Administrations"
HEADER_FONT = Font(bold=True)
WIDE = 60


def story_columns() -> list[str]:
    return [
        gettext("Fiscal year"),
        gettext("Administration"),
        gettext("Administration name"),
        gettext("Workshop"),
        gettext("Description"),
        gettext("Kind"),
        gettext("Excerpt"),
        gettext("Reply as written"),
        gettext("May be published"),
        gettext("Confirmed by"),
        gettext("Confirmed at"),
    ]


def administration_columns() -> list[str]:
    return [
        gettext("Administration"),
        gettext("Administration name"),
        gettext("Fiscal year"),
        gettext("Workshops attended"),
        gettext("Participants"),
        gettext("Replies"),
        gettext("Reply rate (%)"),
        gettext("Follow-up actions taken"),
        gettext("Success stories"),
    ]


def workbook(first_year: int, last_year: int) -> Workbook:
    """The two sheets, in the active language."""
    book = Workbook()
    book.remove(book.active)
    stories = book.create_sheet(STORIES_SHEET)
    _header(stories, story_columns())
    chosen = (
        SuccessStory.objects.counted()
        .filter(
            response__participant__workshop__fiscal_year__gte=first_year,
            response__participant__workshop__fiscal_year__lte=last_year,
        )
        .select_related("response__participant__workshop", "response__participant__administration", "confirmed_by")
    )
    for number, story in enumerate(chosen, start=2):
        confirmed_at = timezone.localtime(story.confirmed_at).replace(tzinfo=None)
        values = [
            fiscal_year_label(story.fiscal_year),
            story.administration.code,
            story.administration.name,
            str(story.workshop),
            story.get_answer_display(),
            story.get_kind_display(),
            story.excerpt,
            story.description,
            gettext("yes") if story.publishable else gettext("no"),
            story.confirmed_by.get_username() if story.confirmed_by else "",
            confirmed_at,
        ]
        _row(stories, number, values)
    administrations = book.create_sheet(ADMINISTRATIONS_SHEET)
    _header(administrations, administration_columns())
    for number, row in enumerate(ledger(first_year, last_year), start=2):
        values = [
            row.administration.code,
            row.administration.name,
            row.fiscal_year_label,
            row.workshops,
            row.participants,
            row.replies,
            row.reply_rate,
            row.actions,
            row.stories,
        ]
        _row(administrations, number, values)
    for column in ("D", "G", "H"):
        stories.column_dimensions[column].width = WIDE
    return book


def export(first_year: int, last_year: int, target: str | Path | IO[bytes]) -> None:
    """Write the workbook to a path (atomically: a reader never sees half a file) or a stream."""
    book = workbook(first_year, last_year)
    save(book, target)


def _header(sheet: Worksheet, columns: list[str]) -> None:
    for index, name in enumerate(columns, start=1):
        cell = set_cell(sheet, 1, index, name)
        cell.font = HEADER_FONT
    sheet.freeze_panes = "A2"


def _row(sheet: Worksheet, number: int, values: list[Any]) -> None:
    for index, value in enumerate(values, start=1):
        cell = set_cell(sheet, number, index, value)
        if isinstance(value, str) and len(value) > 40:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
