"""What an import says: its errors (where and what, in the workbook's own names) and its summary, in the active
language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext


def grouped(value: int) -> str:
    """A count or a limit as the active language groups it: 32,767 in English, 32 767 in French."""
    return number_format(value, force_grouping=True)


@dataclass(frozen=True)
class WorkbookError:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        """`sheet!row column: message`, where the sheet, row and column are the workbook's own names; only the
        message (and the punctuation before it) follows the language."""
        values = {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}
        if self.row is None:
            return gettext("%(sheet)s: %(message)s") % values
        if self.column is None:  # the whole row (its round is closed)
            return gettext("%(sheet)s!%(row)s: %(message)s") % values
        return gettext("%(sheet)s!%(row)s %(column)s: %(message)s") % values


class WorkbookInvalid(Exception):
    """The workbook has errors; nothing was written. `errors` lists the first MAX_LISTED_ERRORS, `unlisted` counts
    the others."""

    def __init__(self, errors: list[WorkbookError], unlisted: int = 0):
        self.errors = errors
        self.unlisted = unlisted
        count = len(errors) + unlisted
        super().__init__(
            ngettext(
                "%(count)s error in the workbook; nothing was imported",
                "%(count)s errors in the workbook; nothing was imported",
                count,
            )
            % {"count": grouped(count)}
        )

    def lines(self) -> list[str]:
        """Every listed error, then how many more there are."""
        more = (
            [
                ngettext(
                    "... and %(count)s more error, not listed",
                    "... and %(count)s more errors, not listed",
                    self.unlisted,
                )
                % {"count": grouped(self.unlisted)}
            ]
            if self.unlisted
            else []
        )
        return [str(error) for error in self.errors] + more


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def values(self) -> dict[str, str]:
        return {
            "created": grouped(self.created),
            "updated": grouped(self.updated),
            "unchanged": grouped(self.unchanged),
        }


@dataclass
class ImportSummary:
    workshops: Counts = field(default_factory=Counts)
    participants: Counts = field(default_factory=Counts)
    responses: Counts = field(default_factory=Counts)
    # Registered sheets of other apps (surveys.imports.extra_sheets) in the workbook: how each words its counts,
    # and its counts.
    others: list[tuple[Callable[[Counts], str], Counts]] = field(default_factory=list)

    def lines(self) -> list[str]:
        """One line per sheet, in the active language (one sentence each: the words agree with what they count)."""
        return [
            gettext("Workshops: %(created)s new, %(updated)s updated, %(unchanged)s unchanged")
            % self.workshops.values(),
            gettext("Participants: %(created)s new, %(updated)s updated, %(unchanged)s unchanged")
            % self.participants.values(),
            gettext("Replies: %(created)s new, %(updated)s updated, %(unchanged)s unchanged") % self.responses.values(),
            *(words(counts) for words, counts in self.others),
        ]
