"""The values the cells of the report's tables hold, beyond numbers and text: a count with its share
(`8 (35%)`), the administration codes of Tables 4 and 7 (`AU, FJ×3 (1)`), and a workshop's label, which carries its
titles per language. Plain Python like reports.tables, which fills them; the renderers (reports.display for the
PDF and the staff pages, reports.excel) say how each is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class CountShare:
    """A summary cell of Tables 4 and 7, printed `8 (35%)`."""

    count: int
    percent: int | None

    def __str__(self) -> str:
        return f"{self.count}" if self.percent is None else f"{self.count} ({self.percent}%)"


@dataclass(frozen=True, slots=True)  # frozen: the cells of a table share equal entries (_code_cells)
class CodeEntry:
    """One administration in a cell of Tables 4 and 7: its code, how many of the cell's replies are its, and how
    many of those carry the mark, underlined in an action column (the reply also realized the outcome) and bold in
    the outcome column (the reply also took one of the actions), the published convention.

    The convention marks replies, but a cell names each administration once. So an administration whose replies
    are all marked, or none, is written as the convention shows (`FJ×2`, marked or not), and one whose replies
    are partly marked carries the number of marked replies in brackets, which alone gets the mark: `FJ×3 (1)`
    rather than `FJ, FJ×2`, which names FJ twice (docs/report.md)."""

    code: str
    count: int
    marked: int

    @property
    def partly_marked(self) -> bool:
        return 0 < self.marked < self.count

    def parts(self) -> tuple[str, str, str]:
        """The entry as (before, marked, after): the text that carries the mark is the middle one, empty when
        none of the replies is marked. Every renderer (PDF, workbook) places the mark from here."""
        written = self.code if self.count == 1 else f"{self.code}×{self.count}"
        if not self.marked:
            return written, "", ""
        if self.partly_marked:
            return f"{written} (", str(self.marked), ")"
        return "", written, ""

    def __str__(self) -> str:
        return "".join(self.parts())


# Between the administrations of a cell of Tables 4 and 7, in the PDF, on the staff pages and in the workbook: codes
# are Latin letters, so a Latin comma in every language.
CODE_SEPARATOR = ", "


@dataclass(frozen=True)
class CodeCell:
    """A cell of Tables 4 and 7: the administration codes of the replies, `FJ×2, MY`."""

    entries: list[CodeEntry] = field(default_factory=list)

    def __str__(self) -> str:
        return CODE_SEPARATOR.join(str(entry) for entry in self.entries)

    @property
    def replies(self) -> int:
        return sum(entry.count for entry in self.entries)


def workshop_label(title: str, start_date: Any) -> str:
    """'WCO Regional Workshop on AEO (Dec. 2019)', as the tables name a workshop ('May 2020': no abbreviation)."""
    start = pd.Timestamp(start_date)
    return f"{title} ({start:%b}{'.' if start.month != 5 else ''} {start:%Y})"


class WorkshopLabel(str):
    """A workshop as the tables name it: the English label ('WCO Regional Workshop on AEO (Dec. 2019)', what the
    code compares and sorts), carrying what a renderer needs to name it in another language: the title as given,
    the titles given per language (`{"fr": "Atelier régional…"}`) and the start date (reports.wording)."""

    given_title: str  # not `title`: str has a method of that name
    titles: dict[str, str]
    start: Any

    def __new__(cls, title: str, start_date: Any, titles: dict[str, str] | None = None) -> WorkshopLabel:
        label = super().__new__(cls, workshop_label(title, start_date))
        label.given_title, label.titles, label.start = title, dict(titles or {}), pd.Timestamp(start_date).date()
        return label
