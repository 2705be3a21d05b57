"""Every cell of Tables 1-7 from the demo workbook against the figures computed independently of the product
(fixtures/demo/fy2019-20-expected.json)."""

from __future__ import annotations

import json

import pytest

from reports.figures import report_data
from reports.tables import ReplyCounts
from tests.helpers import DEMO_EXPECTED

EXPECTED = json.loads(DEMO_EXPECTED.read_text(encoding="utf-8"))


def figures(counts: ReplyCounts) -> list[int | None]:
    return [counts.administrations, counts.participants, counts.replies, counts.reply_rate]


@pytest.fixture
def demo_tables(demo_data):
    return report_data(2019).tables


def test_workshops_are_listed_in_order_of_start_date(demo_tables):
    for table in (demo_tables[f"table{n}"] for n in range(1, 8)):
        assert [row[0] for row in table.rows] == [1, 2, 3, 4]
        assert [row[1].rsplit(" (", 1)[0] for row in table.rows] == EXPECTED["workshops"]


def test_table1(demo_tables):
    table = demo_tables["table1"]
    assert [row[3:] for row in table.rows] == EXPECTED["table1"]["rows"]
    by_scope = table.totals.by_scope
    assert figures(by_scope["sub-regional"]) == EXPECTED["table1"]["subtotals"]["sub-regional"]
    assert figures(by_scope["regional"]) == EXPECTED["table1"]["subtotals"]["regional"]
    assert figures(table.totals.total) == EXPECTED["table1"]["total"]
    assert [row[1] for row in table.summary] == [
        "Sub-total of Sub-regional Workshops",
        "Sub-total of Regional Workshops",
        "Total",
    ]


def test_table2(demo_tables):
    table = demo_tables["table2"]
    assert [row[2:] for row in table.rows] == EXPECTED["table2"]["rows"]
    actions = table.totals.actions.values()
    assert [table.totals.replies, *(share.count for share in actions)] == EXPECTED["table2"]["total"]
    assert [share.percent for share in actions] == EXPECTED["table2"]["pct"]


@pytest.mark.parametrize("key", ["table3", "table5", "table6"])
def test_yes_no_tables(demo_tables, key):
    table = demo_tables[key]
    assert [row[2:] for row in table.rows] == EXPECTED[key]["rows"]
    totals = table.totals
    assert [totals.answered, totals.yes, totals.no, totals.yes_percent] == EXPECTED[key]["total"]


@pytest.mark.parametrize(
    ("key", "led", "attributed"),
    [
        ("table4", "Led to direct effects", "Effects attributed to sharing and/or in-house workshop"),
        ("table7", "Led to new projects", "Projects attributed to reports and/or recommendations"),
    ],
)
def test_code_tables(demo_tables, key, led, attributed):
    table = demo_tables[key]
    expected = EXPECTED[key]
    assert [[str(cell) for cell in row[2:]] for row in table.rows] == expected["rows"]
    totals = table.totals
    assert [totals.first_action, totals.second_action, totals.outcome] == expected["total"]
    assert [[cell.count, cell.percent] for cell in (totals.first_led, totals.second_led)] == expected["led"]
    assert [row[1] for row in table.summary] == ["Total", led, attributed]
    bottom = totals.attributed
    assert [bottom.count, bottom.percent] == expected["attributed"]
    assert str(bottom) == f"{expected['attributed'][0]} ({expected['attributed'][1]}%)"


def test_cells_are_plain_python_values(demo_tables):
    """Renderers (Excel, PDF, templates) get ints, floats, strings, None and the cell objects, never numpy."""
    from reports.cells import CodeCell, CountShare, WorkshopLabel

    allowed = (int, float, str, type(None), CodeCell, CountShare, WorkshopLabel)
    for table in demo_tables.values():
        for row in table.rows + table.summary:
            for value in row:
                assert type(value) in allowed, (table.key, row, type(value))
