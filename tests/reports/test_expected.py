"""Every cell of Tables 1-7 from the demo workbook against the figures computed independently of the product
(fixtures/demo/fy2019-20-expected.json)."""

from __future__ import annotations

import json

import pytest

from reports.services import report_data
from tests.conftest import DEMO_EXPECTED

EXPECTED = json.loads(DEMO_EXPECTED.read_text(encoding="utf-8"))


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
    assert (
        table.summary_row("Sub-total of Sub-Regional Workshops")[3:] == EXPECTED["table1"]["subtotals"]["sub-regional"]
    )
    assert table.summary_row("Sub-total of Regional Workshops")[3:] == EXPECTED["table1"]["subtotals"]["regional"]
    assert table.summary_row("Total")[3:] == EXPECTED["table1"]["total"]
    assert [row[1] for row in table.summary] == [
        "Sub-total of Sub-Regional Workshops",
        "Sub-total of Regional Workshops",
        "Total",
    ]


def test_table2(demo_tables):
    table = demo_tables["table2"]
    assert [row[2:] for row in table.rows] == EXPECTED["table2"]["rows"]
    assert table.summary_row("Total")[2:] == EXPECTED["table2"]["total"]
    assert table.summary_row("% of replies")[3:] == EXPECTED["table2"]["pct"]


@pytest.mark.parametrize("key", ["table3", "table5", "table6"])
def test_yes_no_tables(demo_tables, key):
    table = demo_tables[key]
    assert [row[2:] for row in table.rows] == EXPECTED[key]["rows"]
    assert table.summary_row("Total")[2:] == EXPECTED[key]["total"]


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
    assert table.summary_row("Total")[2:] == expected["total"]
    led_cells = table.summary_row(led)[2:4]
    assert [[cell.count, cell.percent] for cell in led_cells] == expected["led"]
    bottom = table.summary_row(attributed)[4]
    assert [bottom.count, bottom.percent] == expected["attributed"]
    assert str(bottom) == f"{expected['attributed'][0]} ({expected['attributed'][1]}%)"


def test_cells_are_plain_python_values(demo_tables):
    """Renderers (Excel, PDF, templates) get ints, floats, strings, None and the cell objects, never numpy."""
    from reports.tables import CodeCell, CountShare

    allowed = (int, float, str, type(None), CodeCell, CountShare)
    for table in demo_tables.values():
        for row in table.rows + table.summary:
            for value in row:
                assert type(value) in allowed, (table.key, row, type(value))
