"""The SVG charts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from reports import charts
from reports.cells import CountShare
from reports.tables import Table, Table2Summary

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))  # noqa: S314 - our own output


def test_bars_are_proportional_and_labelled():
    svg = charts.reply_rates_chart(
        [("Survey 2019", 54, True), ("Survey 2020", 70, False), ("Survey 2021", None, False)]
    )
    root = parse(svg)
    assert "DejaVu Sans" in root.get("font-family")
    bars = list(root.iter(f"{SVG}rect"))[:3]  # then the legend's two swatches
    widths = [float(rect.get("width")) for rect in bars]
    assert widths == [charts.BAR_WIDTH * 0.54, charts.BAR_WIDTH * 0.70, 0.0]
    fills = [rect.get("fill") for rect in bars]
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


def test_colour_that_carries_meaning_has_a_legend():
    both = parse(charts.reply_rates_chart([("Survey 2019", 54, True), ("Survey 2020", 70, False)]))
    texts = [text.text for text in both.iter(f"{SVG}text")]
    assert "As published" in texts and "Counted from the replies" in texts
    swatches = [rect.get("fill") for rect in both.iter(f"{SVG}rect")][2:]
    assert swatches == [charts.BAR_COLOUR, charts.EARLIER_COLOUR]
    # One colour only: nothing to explain.
    one = parse(charts.reply_rates_chart([("Survey 2020", 70, False)]))
    assert "As published" not in [text.text for text in one.iter(f"{SVG}text")]


def test_long_labels_wrap_between_words_and_are_never_cut():
    label = "WCO Asia/Pacific Sub-regional Workshop for Risk Management Trainers (Nov. 2019)"
    root = parse(charts.yes_shares_chart([(label, 50)]))
    lines = [span.text for span in root.iter(f"{SVG}tspan")]
    assert " ".join(lines) == label
    assert all(len(line) <= charts.LABEL_CHARACTERS for line in lines)
    assert "…" not in str(charts.yes_shares_chart([(label, 50)]))


def test_yes_by_workshop_chart_draws_each_workshop_and_the_total():
    table = Table(
        "table3",
        "Table 3",
        ["No.", "Workshop", "Replies to this question", "Yes", "No", "Yes (%)"],
        [[1, "AEO", 4, 1, 3, 25], [2, "IPR", 2, 2, 0, 100]],
        [["", "Total", 6, 3, 3, 50]],
        totals=None,
    )
    root = parse(charts.yes_by_workshop_chart("Direct effects", table))
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert texts[1:] == ["AEO", "25%", "IPR", "100%", "Total", "50%"]


def test_years_without_a_known_figure_keep_their_row_and_say_so():
    from types import SimpleNamespace

    trend = [
        SimpleNamespace(fiscal_year=2016, reply_rate=57, source="published"),
        SimpleNamespace(fiscal_year=2018, reply_rate=54, source="published"),
        SimpleNamespace(fiscal_year=2019, reply_rate=70, source="database"),
    ]
    rows = charts.with_years_without_figure(trend)
    assert [(label, rate, surveyed) for label, rate, _muted, surveyed in rows] == [
        ("Survey 2017", 57, True),
        ("Survey 2018", None, False),
        ("Survey 2019", 54, True),
        ("Survey 2020", 70, True),
    ]
    texts = [text.text for text in parse(charts.reply_rates_chart(rows)).iter(f"{SVG}text")]
    assert texts[texts.index("Survey 2018") + 1] == "no figure"


def test_the_pdf_draws_no_title_inside_a_chart():
    bars = [charts.Bar("A", 50, "50%")]
    assert "font-weight" in charts.bar_chart("Title", bars)
    untitled = charts.bar_chart("Title", bars, titled=False)
    assert [text.text for text in parse(untitled).iter(f"{SVG}text")] == ["A", "50%"]


def bar_and_label_positions(svg: str) -> list[tuple[float, float, float]]:
    """(label x, bar's left edge, bar's right edge) of each bar of a chart, read from its SVG."""
    root = parse(svg)
    rects = [rect for rect in root.iter(f"{SVG}rect") if float(rect.get("height")) > 12]  # not the legend's swatches
    labels = [text for text in root.iter(f"{SVG}text") if text.get("text-anchor") and text.text in ("أخرى", "Other")]
    return [
        (float(label.get("x")), float(rect.get("x")), float(rect.get("x")) + float(rect.get("width")))
        for label, rect in zip(labels, rects, strict=False)
    ]


def test_an_arabic_chart_is_mirrored_labels_on_the_right_bars_growing_leftwards():
    """A right-to-left language reads a chart from the right: the label stands right of its bar, the bar grows
    from that side leftwards, and its value comes after it, on its left."""
    from django.utils import translation

    bars = [charts.Bar("أخرى", 80, "80%"), charts.Bar("أخرى", 20, "20%")]
    with translation.override("ar"):
        svg = charts.bar_chart("إجراءات المتابعة", bars, scale=100)
    (label, left, right), (_label, short_left, short_right) = bar_and_label_positions(svg)
    assert label > right  # the label to the right of its bar
    assert right == short_right and left < short_left  # bars start on one line, the longer reaching further left
    value = next(text for text in parse(svg).iter(f"{SVG}text") if text.text == "80%")
    assert float(value.get("x")) < left and value.get("text-anchor") == "start"  # its start: its right end
    assert parse(svg).get("direction") == "rtl"
    # The same chart in English: labels on the left, bars growing rightwards.
    english = charts.bar_chart("Follow-up actions", [charts.Bar("Other", 80, "80%")], scale=100, direction="ltr")
    ((label, left, _right),) = bar_and_label_positions(english)
    assert label < left


def test_the_pdf_of_a_right_to_left_language_sets_its_bars_as_html():
    """WeasyPrint draws an SVG text letter by letter, unjoined: an Arabic PDF's bars are an HTML table whose cells
    Pango shapes (report.css lays it out in the page's direction)."""
    html = charts.draw_bars("إجراءات المتابعة", [charts.Bar("تقاسم المواد التدريبية", 82, "23 (82%)")], 100, html=True)
    assert html.startswith('<table class="bars"') and "<svg" not in html
    assert '<th scope="row">تقاسم المواد التدريبية</th>' in html and 'style="width: 65.6%"' in html
