"""A ledger per administration across rounds (impact.ledger)."""

from __future__ import annotations

import datetime as dt

import pytest

from impact.ledger import ledger, ledger_table
from impact.models import Kind, SuccessStory
from workshops.models import MemberAdministration

pytestmark = pytest.mark.django_db


@pytest.fixture
def rounds(workshop_factory, participant_factory, reply_factory):
    """FJ in FY2019/20 (two workshops, three participants, two replies, one story) and FY2021/22 (one draft);
    MY in FY2019/20 only; an accreditation workshop left out of the survey."""
    first = workshop_factory()
    second = workshop_factory(start_date=dt.date(2020, 3, 2), end_date=dt.date(2020, 3, 4))
    later = workshop_factory(start_date=dt.date(2021, 11, 1), end_date=dt.date(2021, 11, 3))
    unsurveyed = workshop_factory(surveyed=False)
    replied = reply_factory(workshop=first, q1_shared_materials=True, q1_manuals=True)
    reply_factory(workshop=second, q1_submitted_report=True)
    participant_factory(workshop=second)  # no reply
    reply_factory(workshop=later, draft=True, q1_manuals=True)  # a draft counts no action
    reply_factory(workshop=first, administration="MY")
    reply_factory(workshop=unsurveyed, q1_manuals=True)
    SuccessStory.objects.create(response=replied, answer="q3_text", excerpt="A unit.", kind=Kind.UNIT)


def test_one_row_per_administration_and_year(rounds):
    rows = [
        (
            r.administration.code,
            r.fiscal_year,
            r.workshops,
            r.participants,
            r.replies,
            r.reply_rate,
            r.actions,
            r.stories,
        )
        for r in ledger()
    ]
    assert rows == [
        ("FJ", 2019, 2, 3, 2, 67, 3, 1),
        ("FJ", 2021, 1, 1, 0, 0, 0, 0),
        ("MY", 2019, 1, 1, 1, 100, 0, 0),
    ]


def test_a_range_of_years_and_one_administration(rounds):
    fiji = MemberAdministration.objects.get(code="FJ")
    assert [(r.administration.code, r.fiscal_year) for r in ledger(2020, 2023)] == [("FJ", 2021)]
    assert [r.fiscal_year for r in ledger(administration=fiji)] == [2019, 2021]


def test_the_table_of_administrations_and_years(rounds):
    table = ledger_table()
    assert table.year_labels == ["2019/20", "2021/22"]
    cells = {a.code: [c.participants if c else None for c in row] for a, row in table.rows}
    assert cells == {"FJ": [3, 1], "MY": [1, None]}
