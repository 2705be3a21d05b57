"""A ledger per member administration across rounds (docs/impact.md): per fiscal year, the surveyed workshops its
officers attended, its participants, their replies and reply rate, the follow-up actions those replies took (the
Q1 actions ticked, each counted once per reply) and the success stories confirmed on them.

Counted in the database in two queries whatever the number of years; what a reply is comes from
surveys.models.replied, the reply rate from rocbap.percentages.reply_rate."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import reduce

from django.db.models import Count, Q

from impact.models import SuccessStory
from rocbap.percentages import reply_rate
from surveys.models import Q1_ACTIONS, replied
from workshops.models import MemberAdministration, Participant, fiscal_year_label


@dataclass(frozen=True)
class LedgerRow:
    administration: MemberAdministration
    fiscal_year: int
    workshops: int
    participants: int
    replies: int
    actions: int  # follow-up actions taken: Q1 actions ticked in the replies
    stories: int  # confirmed success stories

    @property
    def reply_rate(self) -> int | None:
        return reply_rate(self.replies, self.participants)

    @property
    def fiscal_year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year)


def ledger(
    first_year: int | None = None, last_year: int | None = None, administration: MemberAdministration | None = None
) -> list[LedgerRow]:
    """One row per administration and fiscal year with participants in a surveyed workshop, by code then year."""
    participants = Participant.objects.filter(workshop__surveyed=True)
    stories = SuccessStory.objects.counted()
    if first_year is not None:
        participants = participants.filter(workshop__fiscal_year__gte=first_year)
        stories = stories.filter(response__participant__workshop__fiscal_year__gte=first_year)
    if last_year is not None:
        participants = participants.filter(workshop__fiscal_year__lte=last_year)
        stories = stories.filter(response__participant__workshop__fiscal_year__lte=last_year)
    if administration is not None:
        participants = participants.filter(administration=administration)
        stories = stories.filter(response__participant__administration=administration)
    a_reply = replied("response__")
    # Each action ticked in a reply is one action taken: the sum of one count per Q1 action.
    actions = reduce(
        operator.add, (Count("pk", filter=a_reply & Q(**{f"response__{action}": True})) for action in Q1_ACTIONS)
    )
    counts = (
        participants.order_by()
        .values("administration_id", "workshop__fiscal_year")
        .annotate(
            n_workshops=Count("workshop", distinct=True),
            n_participants=Count("pk"),
            n_replies=Count("pk", filter=a_reply),
            n_actions=actions,
        )
    )
    story_counts = {
        (row["response__participant__administration_id"], row["response__participant__workshop__fiscal_year"]): row["n"]
        for row in stories.order_by()
        .values("response__participant__administration_id", "response__participant__workshop__fiscal_year")
        .annotate(n=Count("pk"))
    }
    administrations = MemberAdministration.objects.in_bulk()
    rows = [
        LedgerRow(
            administrations[row["administration_id"]],
            row["workshop__fiscal_year"],
            row["n_workshops"],
            row["n_participants"],
            row["n_replies"],
            row["n_actions"],
            story_counts.get((row["administration_id"], row["workshop__fiscal_year"]), 0),
        )
        for row in counts
    ]
    return sorted(rows, key=lambda row: (row.administration.code, row.fiscal_year))


@dataclass(frozen=True)
class LedgerTable:
    """All administrations × fiscal years: `cells[i][j]` is administration i's row for year j, None where its
    officers attended no surveyed workshop that year."""

    years: list[int]
    administrations: list[MemberAdministration]
    cells: list[list[LedgerRow | None]]

    @property
    def year_labels(self) -> list[str]:
        return [fiscal_year_label(year) for year in self.years]

    @property
    def rows(self) -> list[tuple[MemberAdministration, list[LedgerRow | None]]]:
        return list(zip(self.administrations, self.cells, strict=True))


def ledger_table(first_year: int | None = None, last_year: int | None = None) -> LedgerTable:
    rows = ledger(first_year, last_year)
    years = sorted({row.fiscal_year for row in rows})
    by_key = {(row.administration.pk, row.fiscal_year): row for row in rows}
    administrations = sorted({row.administration for row in rows}, key=lambda a: a.code)
    cells = [[by_key.get((administration.pk, year)) for year in years] for administration in administrations]
    return LedgerTable(years, administrations, cells)
