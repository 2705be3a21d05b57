"""The report typeset as a publisher would (templates/reports/report.css, _table.html), checked on WeasyPrint's
page boxes: a caption never ends a page without its table, a short table never splits, the summary rows stay with
the last workshop row, header cells break between words only. Each rule is tried with the table pushed down the
page line by line, so that every place a page may end falls somewhere in the table."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pytest
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from reports.display import SHORT_TABLE_ROWS, display_table
from reports.tables import Table

HEADERS = [
    "No.",
    "Workshop",
    "Replies",
    "Share training materials",
    "Submit reports",
    "Make recommendations",
    "Organize in-house workshop",
    "Develop operational manuals",
    "Participating administrations",
]


@dataclass
class TableOnPage:
    caption: bool = False
    rows: list[str] = field(default_factory=list)  # "row" or "summary", in order
    header_lines: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))


def table(key: str, workshops: int, summary: int = 2) -> Table:
    rows = [[n, f"WCO Regional Workshop on Topic {n} (Nov. 2019)", *range(7)] for n in range(1, workshops + 1)]
    totals = [["", f"Sub-total {n}", *range(7)] for n in range(summary - 1)] + [["", "Total", *range(7)]]
    return Table(
        key, f"Table {key} – a table of {workshops} workshops", HEADERS, rows, totals if summary else [], totals=None
    )


def render(tables: list[Table], filler_lines: int) -> dict[tuple[int, str], TableOnPage]:
    """The tables after `filler_lines` lines of text, laid out: what of each table stands on each page."""
    css = render_to_string("reports/report.css", {"label": "2019/20"})
    body = "".join(
        render_to_string("reports/_table.html", {"table": display_table(t)}) + "<p>Text after the table.</p>"
        for t in tables
    )
    filler = "<br>".join(f"Line {n}" for n in range(filler_lines))
    html = f"<html><head><style>{css}</style></head><body><p>{filler}</p>{body}</body></html>"
    found: dict[tuple[int, str], TableOnPage] = {}

    def walk(box, page: int, key: str | None, in_header: bool, header_cell: int | None) -> None:
        element = getattr(box, "element", None)
        if box.element_tag == "table" and element is not None:  # the table's wrapper (with the caption) and itself
            key = element.get("id")
        if isinstance(box, boxes.TableRowGroupBox):
            in_header = box.is_header
        if isinstance(box, boxes.TableCaptionBox):
            found.setdefault((page, key), TableOnPage()).caption = True
        if isinstance(box, boxes.TableRowBox) and not in_header:
            kind = "summary" if "summary" in (element.get("class") or "") else "row"
            found.setdefault((page, key), TableOnPage()).rows.append(kind)
        if isinstance(box, boxes.TableCellBox) and box.element_tag == "th":
            header_cell = id(box)
        if isinstance(box, boxes.LineBox) and header_cell is not None:
            text = "".join(child.text for child in box.descendants() if isinstance(child, boxes.TextBox)).strip()
            found.setdefault((page, key), TableOnPage()).header_lines[header_cell].append(text)
        for child in getattr(box, "children", []):
            walk(child, page, key, in_header, header_cell)

    for number, page in enumerate(HTML(string=html).render().pages):
        walk(page._page_box, number, None, False, None)
    return found


def pages_of(found: dict[tuple[int, str], TableOnPage], key: str) -> list[TableOnPage]:
    return [value for (page, name), value in sorted(found.items(), key=lambda item: item[0][0]) if name == key]


# Enough positions to move a table across a page end: a page holds about 45 lines of filler.
POSITIONS = range(20, 52, 3)


@pytest.mark.parametrize("filler", POSITIONS)
def test_a_short_table_never_splits(filler):
    short = table("short", SHORT_TABLE_ROWS - 2, summary=2)
    found = render([short], filler)
    parts = pages_of(found, "short")
    assert len(parts) == 1, f"a table of {SHORT_TABLE_ROWS} rows split over {len(parts)} pages (filler {filler})"
    assert parts[0].caption and parts[0].rows.count("row") == SHORT_TABLE_ROWS - 2


@pytest.mark.parametrize("filler", POSITIONS)
def test_a_long_table_keeps_its_caption_and_its_summary_rows(filler):
    found = render([table("long", 24, summary=3)], filler)
    parts = pages_of(found, "long")
    for part in parts:
        if part.caption:
            assert "row" in part.rows, f"caption alone at the foot of a page (filler {filler})"
    assert len(parts) >= 2 or filler < 25  # a table of 24 workshops is too long for one page after the filler
    with_summary = [part for part in parts if "summary" in part.rows]
    assert len(with_summary) == 1
    rows = with_summary[0].rows
    assert rows.count("summary") == 3
    assert rows[-4] == "row", f"summary rows without the last workshop row (filler {filler})"


def test_header_cells_break_between_words_only():
    found = render([table("long", 3)], 0)
    words = {word for header in HEADERS for word in header.split()}
    lines = [line for part in pages_of(found, "long") for cell in part.header_lines.values() for line in cell]
    assert lines
    for line in lines:
        for word in line.split():
            assert word in words, f"header word broken: {line!r}"
