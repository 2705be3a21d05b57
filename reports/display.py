"""Cells of reports.tables as HTML for the staff pages: escaped text, numbers right-aligned, and the published
marking of Tables 4 and 7 (underlined in the action columns, bold in the outcome column)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from reports import wording
from reports.cells import CODE_SEPARATOR, CodeCell, CodeEntry, CountShare
from reports.tables import MEASURE_COLUMNS, Table
from rocbap.percentages import percent_sign


@dataclass(frozen=True)
class Cell:
    html: SafeString
    numeric: bool
    code: bool = False  # a cell of administration codes with at least one code
    partly_marked: bool = False  # ... one of which has some of its replies marked, not all (`FJ×3 (1)`)


@dataclass(frozen=True)
class Note:
    """A note under a table, with at most one word set as the mark it explains (underlined or bold). The words
    are read in the language active where the note is shown."""

    before: str | Promise
    marked: str | Promise = ""
    tag: str = ""  # "u" or "b"
    after: str | Promise = ""

    @property
    def html(self) -> SafeString:
        if not self.marked:
            return format_html("{}", self.before)
        return format_html("{}<{}>{}</{}>{}", self.before, self.tag, self.marked, self.tag, self.after)

    def __str__(self) -> str:
        return f"{self.before}{self.marked}{self.after}"


CODES_NOTE = Note(
    _(
        "Administrations are written by their codes (Appendix 2); “×2” stands for two replies from the same "
        "administration."
    )
)
# The same note where no administration sent two replies: no "×2" to explain, so none is explained.
CODES_ONLY_NOTE = Note(_("Administrations are written by their codes (Appendix 2)."))
# Where some of an administration's replies carry the mark and others not (CodeEntry).
PARTLY_MARKED_NOTE = Note(
    _(
        "“×3 (1)” stands for three replies from the same administration, the figure in brackets for how many of "
        "them carry the mark explained below."
    )
)
# The notes of Tables 4 and 7, for the PDF and the Excel workbook alike: the marks mean nothing without them.
TABLE_NOTES: dict[str, tuple[Note, ...]] = {
    "table4": (
        CODES_NOTE,
        PARTLY_MARKED_NOTE,
        Note(
            _("(NB1) Administrations that realized direct effects are "),
            _("underlined"),
            "u",
            _(" in the columns of shared materials and in-house workshops."),
        ),
        Note(
            _("(NB2) Administrations that shared materials or organized an in-house workshop are shown in "),
            _("bold"),
            "b",
            _(" in the column of direct effects."),
        ),
    ),
    "table7": (
        CODES_NOTE,
        PARTLY_MARKED_NOTE,
        Note(
            _("(NB1) Administrations that initiated new projects are "),
            _("underlined"),
            "u",
            _(" in the columns of submitted reports and recommendations."),
        ),
        Note(
            _("(NB2) Administrations that submitted reports or made recommendations are shown in "),
            _("bold"),
            "b",
            _(" in the column of new projects."),
        ),
    ),
}

# A table with at most this many rows (workshop and summary rows) is printed whole on one page.
SHORT_TABLE_ROWS = 12


@dataclass(frozen=True)
class DisplayTable:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    summary: list[list[Cell]]

    @property
    def caption(self) -> str:
        """The title in the active language (`title` stays the tables' English name)."""
        return wording.label(self.title)

    @property
    def headers(self) -> list[str]:
        """The column names in the active language (`columns` stays the tables' English names)."""
        return [wording.label(column) for column in self.columns]

    @property
    def notes(self) -> tuple[Note, ...]:
        """The table's notes, each only where the table shows what it explains: the codes where a cell names an
        administration, the "×2" where a cell shows one, underlining and bold where a cell is so marked."""
        cells = [cell.html for row in self.rows for cell in row]
        shown = []
        for note in TABLE_NOTES.get(self.key, ()):
            if note is CODES_NOTE:
                if not any(cell.code for row in self.rows for cell in row):
                    continue
                note = note if any("×" in html for html in cells) else CODES_ONLY_NOTE
            elif note is PARTLY_MARKED_NOTE:
                if not any(cell.partly_marked for row in self.rows for cell in row):
                    continue
            elif note.tag and not any(f"<{note.tag}>" in html for html in cells):
                continue
            shown.append(note)
        return tuple(shown)

    @property
    def numbered(self) -> bool:
        """Tables 1-7 number their workshops, printed (1), (2)... as the published reports do."""
        return bool(self.columns) and self.columns[0] == "No."

    @property
    def short(self) -> bool:
        return len(self.rows) + len(self.summary) <= SHORT_TABLE_ROWS

    @property
    def body_rows(self) -> list[list[Cell]]:
        """Every row but the last, which stays with the summary rows (closing_rows)."""
        return self.rows[:-1] if self.summary else self.rows

    @property
    def closing_rows(self) -> list[list[Cell]]:
        return self.rows[-1:] if self.summary else []


def _code_cell(cell: CodeCell, tag: str) -> SafeString:
    def entry(item: CodeEntry) -> SafeString:
        before, marked, after = item.parts()
        if not marked:
            return format_html("{}", before)
        return format_html("{}<{}>{}</{}>{}", before, tag, marked, tag, after)

    return format_html_join(CODE_SEPARATOR, "{}", ((entry(item),) for item in cell.entries))


def _cell(value, tag: str, decimals: int) -> Cell:
    if isinstance(value, CodeCell):
        partly = any(entry.partly_marked for entry in value.entries)
        return Cell(_code_cell(value, tag), False, bool(value.entries), partly)
    if isinstance(value, CountShare):
        # `8 (35%)`, the per cent sign as the active language writes it
        shown = f"{value.count}" if value.percent is None else f"{value.count} ({percent_sign(value.percent)})"
        return Cell(format_html("{}", shown), False)
    if value is None or value == "":
        return Cell(mark_safe(""), False)
    if isinstance(value, float):
        # The active language's decimal sign: 0.226 in English, 0,226 in French.
        # A negative figure (phi) takes the true minus sign, not a hyphen.
        return Cell(format_html("{}", number_format(value, decimal_pos=decimals).replace("-", "\u2212")), True)
    numeric = isinstance(value, int) and not isinstance(value, bool)
    if isinstance(value, str):
        value = wording.cell_text(value)
    return Cell(format_html("{}", value), numeric)


def _decimals(table: Table) -> list[int]:
    """Per column, the most decimals its figures carry (the association table rounds p to 3 places, phi to 2):
    a column prints every figure with as many, so 1.0 and 0.226 line up as 1.000 and 0.226."""
    places = [0] * len(table.columns)
    for row in (*table.rows, *table.summary):
        for index, value in enumerate(row):
            if isinstance(value, float):
                places[index] = max(places[index], len(repr(value).partition(".")[2]))
    return places


NOT_COMPUTED = Cell(mark_safe("–"), True)  # a measure the replies cannot give (odds ratio of a constant outcome)


def display_table(table: Table) -> DisplayTable:
    """Used by the staff pages and the PDF alike; the labels in the cells are worded in the active language."""
    last = len(table.columns) - 1
    decimals = _decimals(table)
    measures = {index for index, name in enumerate(table.columns) if name in MEASURE_COLUMNS}

    def cells(row: list) -> list[Cell]:
        return [
            NOT_COMPUTED
            if value is None and index in measures
            else _cell(value, "b" if index == last else "u", decimals[index])
            for index, value in enumerate(row)
        ]

    return DisplayTable(
        table.key, table.title, table.columns, [cells(r) for r in table.rows], [cells(r) for r in table.summary]
    )
