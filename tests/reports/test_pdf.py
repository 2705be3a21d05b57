import re
import shutil
import subprocess

import pytest
from django.core.management import CommandError, call_command

from reports import pdf
from reports.demo import add_demo_quotes
from reports.display import display_table
from reports.figures import report_data
from reports.models import ReportEdition
from reports.tables import CodeCell, CodeEntry, Table
from surveys import questionnaire
from tests.conftest import ARTIFACTS
from tests.reports.conftest import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db

SECTION_TITLES = (
    "Contents",
    "Foreword and Acknowledgements",
    "Executive Summary",
    "1. Introduction",
    "2.1 Response to the Survey 2020",
    "2.2 Follow-up actions taken",
    "2.3 Application of lessons learnt from the workshops",
    "(a) Operational improvement",
    "(b) Strategic empowerment",
    "2.4 Realization of direct effects",
    "2.5 Improvement in work efficiency and effectiveness",
    "2.6 Initiation of modernization projects",
    "2.7 Statistical view",
    "3. Conclusion",
    "Contact",
    "Appendix 1 – The questionnaire",
    "Appendix 2 – Abbreviations of A/P Member administrations",
)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_demo_report_has_every_section_quote_question_and_abbreviation(demo_pdf):
    text = flat(pdf_text(demo_pdf))
    for title in SECTION_TITLES:
        assert title in text, title
    assert "Updated automated Risk Management System, procedures, and guidelines." in text
    assert "(Maldives – WCO Asia/Pacific Sub-regional Workshop for Risk Management Trainers)" in text
    assert "(Samoa – WCO Sub-regional Workshop on Combating Counterfeiting and Piracy)" in text
    for question in questionnaire.QUESTIONS:
        assert flat(question.text) in text
    for code, name in (("FJ", "Fiji"), ("WS", "Samoa"), ("TL", "Timor-Leste")):
        assert f"{code} {name}" in text
    assert "DRAFT" not in text  # the mark is drawn, not written: the text stays clean
    assert 8 <= pdf_pages(demo_pdf) <= 30


def test_contents_give_the_real_page_numbers(demo_pdf):
    pages = pdf_text(demo_pdf).split("\f")
    contents = flat(pages[1])
    for title in ("3. Conclusion", "Appendix 1 – The questionnaire"):
        number = int(contents.split(title)[1].lstrip(". ").split()[0])
        assert title in flat(pages[number - 1]), title


def test_demo_pages_as_pictures(demo_pdf, tmp_path):
    # Into a folder of this run only, so that pictures of an earlier run cannot stand in for missing ones.
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "8", str(demo_pdf), str(tmp_path / "report")],
        check=True,
        capture_output=True,
    )
    pictures = sorted(tmp_path.glob("report-*.png"))
    # pdftoppm pads the page number to the width of the document's last one: report-01.png ... report-08.png.
    assert [int(picture.stem.split("-")[1]) for picture in pictures] == list(range(1, 9))
    for picture in pictures:
        header = picture.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n", picture.name
        # An A4 page at 60 dpi: about 496 x 702 pixels (pdftoppm rounds up).
        width, height = int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
        assert abs(width - 496) <= 2 and abs(height - 702) <= 2, (picture.name, width, height)
    # For people to look at: test-artifacts/report-pages/ holds this run's pages and nothing older.
    shutil.rmtree(ARTIFACTS / "report-pages", ignore_errors=True)
    shutil.copytree(tmp_path, ARTIFACTS / "report-pages", ignore=shutil.ignore_patterns("*.pdf"))


def test_draft_mark_only_on_drafts(demo_data):
    draft_html = pdf.render_html(pdf.report_context(2019))
    assert 'class="draft-mark"' in draft_html
    ReportEdition.objects.get_or_create(fiscal_year=2019)[0].make_final()
    assert 'class="draft-mark"' not in pdf.render_html(pdf.report_context(2019))


def test_code_cells_underline_actions_and_bold_effects():
    entries = [CodeEntry("AU", 1, False), CodeEntry("FJ", 2, True)]
    table = Table(
        "table4",
        "Table 4",
        ["No.", "Workshop", "Shared", "In-house", "Effects"],
        [[1, "AEO", CodeCell(entries), CodeCell([CodeEntry("MY", 1, True)]), CodeCell([CodeEntry("FJ", 1, True)])]],
        totals=None,
    )
    row = [str(cell.html) for cell in display_table(table).rows[0]]
    assert row[2:] == ["AU, <u>FJ×2</u>", "<u>MY</u>", "<b>FJ</b>"]


def squeezed(text: str) -> str:
    """Text without spaces and hyphens: table cells wrap and hyphenate where the layout needs."""
    return re.sub(r"[\s\-‐­]", "", text)


def test_every_figure_of_every_table_is_printed(demo_pdf, demo_data):
    raw = subprocess.run(["pdftotext", str(demo_pdf), "-"], check=True, capture_output=True, text=True).stdout
    text = squeezed(raw)
    data = report_data(2019)
    keys = ["table1", "table2", "table3", "table4", "table5", "table6", "table7", "associations"]
    starts = [text.index(squeezed(data.tables[key].title)) for key in keys]
    for key, start, end in zip(keys, starts, [*starts[1:], len(text)], strict=True):
        # pdftotext gives a table's cells column by column or row by row as the layout falls: each cell is
        # looked for in its own table's stretch of the text, not in a fixed order.
        region = text[start:end]
        table = data.tables[key]
        for row in [*table.rows, *table.summary]:
            for cell in row:
                printed = "" if cell is None else str(cell)  # no figure (phi of a constant column) prints blank
                assert squeezed(printed) in region, f"{key}: {cell!r} of {row!r} is missing"
    for sentence in data.association_sentences:
        assert squeezed(sentence) in text


def test_quote_texts_are_escaped(demo_data):
    from reports.models import Quote
    from surveys.models import Response

    add_demo_quotes()
    quote = Quote.objects.first()
    quote.excerpt = "Tariffs <b>& duties</b>"
    quote.save()
    html = pdf.render_html(pdf.report_context(2019))
    assert "Tariffs &lt;b&gt;&amp; duties&lt;/b&gt;" in html
    assert Response.objects.exists()


def test_render_report_command_refuses_unknown_years(db, tmp_path):
    with pytest.raises(CommandError, match="not a fiscal year"):
        call_command("render_report", "--fiscal-year", "19/20", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="no surveyed workshops"):
        call_command("render_report", "--fiscal-year", "2030/31", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()
