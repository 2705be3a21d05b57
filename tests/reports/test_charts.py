"""The SVG charts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from reports import charts
from reports.tables import CountShare, Table, Table2Summary

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))  # noqa: S314 - our own output


def test_bars_are_proportional_and_labelled():
    svg = charts.reply_rates_chart(
        [("Survey 2019", 54, True), ("Survey 2020", 70, False), ("Survey 2021", None, False)]
    )
    root = parse(svg)
    assert "DejaVu Sans" in root.get("font-family")
    widths = [float(rect.get("width")) for rect in root.iter(f"{SVG}rect")]
    assert widths == [charts.BAR_WIDTH * 0.54, charts.BAR_WIDTH * 0.70, 0.0]
    fills = [rect.get("fill") for rect in root.iter(f"{SVG}rect")]
    assert fills[0] == charts.EARLIER_COLOUR and fills[1] == charts.BAR_COLOUR
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert "54%" in texts and "70%" in texts and "–" in texts


def test_labels_are_escaped():
    svg = charts.yes_shares_chart([("<b>Q3</b> & more", 50)])
    assert "<b>" not in str(svg)
    assert parse(svg).findall(f"{SVG}text")[1].text == "<b>Q3</b> & more"


def test_actions_chart_ranks_table2():
    totals = Table2Summary(
        replies=10, actions={"q1_shared_materials": CountShare(3, 30), "q1_submitted_report": CountShare(8, 80)}
    )
    table = Table(
        "table2",
        "Table 2",
        ["No.", "Workshop", "Replies", "Share training materials", "Submit reports"],
        [],
        totals.rows(),
        totals=totals,
    )
    texts = [text.text for text in parse(charts.actions_chart(table)).iter(f"{SVG}text")]
    assert texts[1:] == ["Submit reports", "8 (80%)", "Share training materials", "3 (30%)"]
