"""No text collides with text on any page of the demo report, in each staff language (English, French, Spanish): the
report is laid out with WeasyPrint and the rectangles of every text box on a page are compared (running heads and
page numbers included). The charts are SVG, drawn inside one image box: their legend is placed by
reports.charts.legend_layout from an estimate of each text's width, checked here against the widths Pango really sets
for the legends of every language. Also the widths the tables give their columns (report.css): the workshop column
never narrower than its longest word with room, the count columns of Tables 3, 5 and 6 not wider than they need, and
no table running past the right margin."""

from __future__ import annotations

import itertools

import pytest
from django.conf import settings
from django.utils import translation
from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from reports import charts, pdf
from rocbap.office import STAFF_LANGUAGES
from tests.helpers import DEMO_WORKBOOK, seed_rows

pytestmark = pytest.mark.django_db

# Glyph boxes of neighbouring lines touch by a fraction of a point (line-height 1.3 at small sizes): overlaps smaller
# than this are the font's ascent and descent, not a collision.
TOLERANCE = 0.8


def text_boxes(box, found: list) -> None:
    if isinstance(box, boxes.TextBox) and box.text.strip():
        found.append(box)
    for child in getattr(box, "children", ()):
        text_boxes(child, found)


def collisions(page) -> list[tuple[str, str]]:
    found: list = []
    text_boxes(page._page_box, found)
    rectangles = [
        (box.position_x, box.position_y, box.position_x + box.width, box.position_y + box.height, box.text)
        for box in found
        if box.width and box.height
    ]
    rectangles.sort()
    hits = []
    for index, (left, top, right, bottom, text) in enumerate(rectangles):
        for other_left, other_top, other_right, other_bottom, other in itertools.islice(rectangles, index + 1, None):
            if other_left >= right - TOLERANCE:
                break
            if (
                min(bottom, other_bottom) - max(top, other_top) > TOLERANCE
                and min(right, other_right) - max(left, other_left) > TOLERANCE
            ):
                hits.append((text, other))
    return hits


@pytest.fixture(scope="module")
def demo_documents(django_db_setup, django_db_blocker):
    """The demo report laid out in each staff language (WeasyPrint documents, before any PDF is written)."""
    from django.db import transaction

    documents = {}
    from reports.demo import add_demo_quotes
    from reports.models import ReportEdition
    from surveys.imports.workbook import import_workbook

    with django_db_blocker.unblock(), transaction.atomic():
        seed_rows()
        with DEMO_WORKBOOK.open("rb") as handle:
            import_workbook(handle)
        add_demo_quotes()
        ReportEdition.objects.filter(fiscal_year=2019).update(
            foreword="We thank the Members.", signatory_name="A. Head", conclusion="It worked."
        )
        for language in STAFF_LANGUAGES:
            html = pdf.render_html(pdf.report_context(2019, language=language))
            documents[language] = (HTML(string=html).render(), html)
        transaction.set_rollback(True)
    return documents


@pytest.mark.parametrize("language", STAFF_LANGUAGES)
def test_no_text_collides_with_text_on_any_page(demo_documents, language):
    document, _html = demo_documents[language]
    assert len(document.pages) >= 10
    for number, page in enumerate(document.pages, start=1):
        assert collisions(page) == [], f"page {number} ({language})"


@pytest.mark.parametrize("language", STAFF_LANGUAGES)
def test_the_running_head_stays_on_one_line(demo_documents, language):
    document, _html = demo_documents[language]
    for number, page in enumerate(document.pages[1:], start=2):
        found: list = []
        for margin in page._page_box.children:
            if isinstance(margin, boxes.MarginBox) and margin.at_keyword in ("@top-left", "@top-right"):
                text_boxes(margin, found)
        tops = {round(box.position_y) for box in found}
        assert len(tops) <= 1, f"page {number} ({language}): the running head wraps"


def measured_width(text: str, font_size: float) -> float:
    """The width Pango gives the text in the charts' face and size (CSS px = SVG user units at scale 1)."""
    html = f'<p style="font-family: DejaVu Sans; font-size: {font_size}px; margin: 0"><span>{text}</span></p>'
    page = HTML(string=html).render().pages[0]
    found: list = []
    text_boxes(page._page_box, found)
    return sum(box.width for box in found)  # WeasyPrint lays out in CSS px: the SVG's user units at scale 1


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_legend_marks_never_stand_on_a_label(language):
    with translation.override(language):
        from django.utils.translation import gettext

        legend = (gettext("Counted from the replies"), gettext("As published"))
        width = charts.LABEL_WIDTH + charts.BAR_WIDTH + charts.VALUE_WIDTH
        (first_x, first_y, dark), (second_x, second_y, light) = charts.legend_layout(legend, width)
        # The first label, as Pango sets it, ends before the second mark begins (when they share a line).
        end_of_first = first_x + 18 + measured_width(dark, charts.LEGEND_FONT)
        if first_y == second_y:
            assert end_of_first < second_x, (language, end_of_first, second_x)
        # And the second label stays inside the drawing.
        assert second_x + 18 + measured_width(light, charts.LEGEND_FONT) <= width


def test_the_estimate_is_generous_for_every_legend_word():
    for text in ("Counted from the replies", "Calculé à partir des réponses", "Tel que publié", "As published"):
        assert charts.text_width(text) >= measured_width(text, charts.LEGEND_FONT), text


def cells(box, table: str | None = None, found: list | None = None) -> list:
    """(table id, column index, cell box) of every cell of the report's data tables."""
    found = [] if found is None else found
    element = getattr(box, "element", None)
    if box.element_tag == "table" and element is not None and element.get("id"):
        table = element.get("id")
    if isinstance(box, boxes.TableCellBox) and table:
        found.append((table, box.grid_x, box))
    for child in getattr(box, "children", ()):
        cells(child, table, found)
    return found


MM = 96 / 25.4  # CSS px a millimetre


@pytest.mark.parametrize("language", STAFF_LANGUAGES)
def test_columns_follow_their_content(demo_documents, language):
    document, _html = demo_documents[language]
    found = [cell for page in document.pages for cell in cells(page._page_box)]
    workshop = [box for table, column, box in found if column == 1 and table.startswith("table")]
    assert workshop
    # The workshop column holds a title and its month: never squeezed to a word a line (French Table 2 was 9
    # characters wide).
    assert min(box.width for box in workshop) >= 34 * MM
    # Tables 3, 5 and 6: "Replies to this question" takes what its header needs, not 30% of the width.
    for key in ("table3", "table5", "table6"):
        widths = {column: box.border_width() for table, column, box in found if table == key}
        total = sum(widths.values())
        assert widths[2] < 0.2 * total, (key, widths[2] / total)
        assert widths[1] > 0.4 * total


def tables(box, found: list) -> None:
    if isinstance(box, boxes.TableBox):
        found.append(box)
    for child in getattr(box, "children", ()):
        tables(child, found)


@pytest.mark.parametrize("language", STAFF_LANGUAGES)
def test_no_table_runs_past_the_page(demo_documents, language):
    # Spanish headers are longer ("Respuestas con la acción"): Table 8 ran past the right margin, cut off at the
    # page's edge; Table 2 (the workshop column's minimum width) by a few points in English too. A right-to-left
    # table (Arabic) starts at the right margin and would run past the left one: both sides are held.
    document, _html = demo_documents[language]
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        left = page_box.content_box_x()
        right = left + page_box.width
        found: list = []
        tables(page_box, found)
        for table in found:
            assert table.position_x + table.margin_width() <= right + TOLERANCE, f"page {number} ({language})"
            assert table.position_x >= left - TOLERANCE, f"page {number} ({language}): past the left margin"
