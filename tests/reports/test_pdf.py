import re
import shutil
import subprocess

import pytest
from django.core.management import CommandError, call_command

from reports import pdf
from reports.cells import CodeCell, CodeEntry
from reports.demo import add_demo_quotes
from reports.display import display_table
from reports.figures import report_data
from reports.models import ReportEdition
from reports.tables import Table
from surveys import instrument
from tests.helpers import ARTIFACTS, finish, pdf_pages, pdf_text, submitted_reply, valuation_workshop

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
    for question in instrument.QUESTIONS:
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
    finish(ReportEdition.objects.get_or_create(fiscal_year=2019)[0]).make_final()
    assert 'class="draft-mark"' not in pdf.render_html(pdf.report_context(2019))


def test_a_final_report_has_no_draft_mark_no_placeholder_and_no_empty_announcement(demo_data, tmp_path):
    finish(ReportEdition.objects.get_or_create(fiscal_year=2019)[0]).make_final()  # no quotes chosen at all
    path = tmp_path / "final.pdf"
    path.write_bytes(pdf.render_pdf(2019))
    text = flat(pdf_text(path))
    for placeholder in (
        "not written yet",
        "No quotes chosen",
        "Draft, not yet published",
        "example.org",
        "Some examples of direct effects realized",
        "Some examples of work improvement",
        "are as follows",
        "Below are some exemplifying",
    ):
        assert placeholder not in text, placeholder
    assert "March 2021" in text and "A. Head" in text
    # The mark is drawn as strokes (not text): the final PDF has no such drawing.
    assert b"stroke-opacity" not in pdf.render_html(pdf.report_context(2019)).encode()


def test_code_cells_underline_actions_and_bold_effects():
    entries = [CodeEntry("AU", 1, False), CodeEntry("FJ", 2, 2)]
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
    # After the contents, which list the tables' titles too.
    body = text.index(squeezed("We thank the Members."))
    starts = [text.index(squeezed(data.tables[key].title), body) for key in keys]
    for key, start, end in zip(keys, starts, [*starts[1:], len(text)], strict=True):
        # pdftotext gives a table's cells column by column or row by row as the layout falls: each cell is
        # looked for in its own table's stretch of the text, not in a fixed order.
        region = text[start:end]
        table = data.tables[key]
        for row in [*table.rows, *table.summary]:
            for cell in row:
                printed = "" if cell is None else str(cell)  # no figure (phi of a constant column) prints blank
                if isinstance(cell, float):
                    printed = printed.replace("-", "\u2212")  # a negative phi takes the true minus sign
                # A name wrapped over lines may come back interleaved with its neighbour cell: word by word.
                parts = printed.split() if isinstance(cell, str) else [printed]
                for part in parts:
                    assert squeezed(part) in region, f"{key}: {cell!r} of {row!r} is missing"
    # 2.7's reading, less its opening explanation: the standing text above the table explains it, once.
    for sentence in data.association_sentences[1:]:
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


def test_fiscal_year_written_one_way_and_rows_numbered_in_brackets(demo_pdf):
    text = pdf_text(demo_pdf)
    assert "FY2019/20" in text
    assert not re.search(r"FY\s+2019|2019/2020|FY 20\d\d", text)
    assert "(1)" in text and "(4)" in text
    cover = pdf_text(demo_pdf).split("\f")[0]
    # The cover breaks between phrases: "A/P" and the fiscal year are never split, nor a lone word left on a line.
    lines = [line.strip() for line in cover.splitlines() if line.strip()]
    assert "organized in FY2019/20" in lines
    assert "WCO Asia/Pacific Regional Office for Capacity Building" in lines
    assert "Building" not in lines


def test_display_table_numbers_workshops_and_keeps_the_last_row_with_the_totals():
    table = Table(
        "table3", "Table 3", ["No.", "Workshop", "Yes"], [[1, "A", 2], [2, "B", 3]], [["", "Total", 5]], totals=None
    )
    shown = display_table(table)
    assert shown.numbered and shown.short
    assert [row[1].html for row in shown.body_rows] == ["A"]
    assert [row[1].html for row in shown.closing_rows] == ["B"]
    html = pdf.render_to_string("reports/_table.html", {"table": shown})
    assert "(1)" in html and "(2)" in html
    assert not display_table(
        Table("associations", "A", ["Follow-up action", "Outcome"], [["x", "y"]], totals=None)
    ).numbered


def test_appendix_1_is_the_questionnaire_as_participants_see_it(demo_pdf):
    from django.conf import settings

    text = flat(pdf_text(demo_pdf))
    appendix = text[text.index("Appendix 1 – The questionnaire", text.index("Appendix 2 –")) :]
    header = (settings.BASE_DIR / "templates" / "surveys" / "_header.html").read_text(encoding="utf-8")
    for label in map(str, pdf.QUESTIONNAIRE_HEADER):
        assert label in appendix, label
        # The same words as the participant's page (the reply-by line stands under its notes there).
        assert label in header or label == "Please reply by"
    for note in instrument.NOTES:
        assert flat(instrument.with_office(note, "ROCB A/P")) in appendix
    for label in map(str, instrument.FIELD_LABELS.values()):
        assert label in appendix, label
    assert "Contact e-mail" in appendix
    assert instrument.with_office(instrument.CLOSING, "ROCB A/P") in appendix


def test_appendix_2_lists_exactly_the_administrations_that_appear(demo_data):
    from reports.models import Quote
    from workshops.models import MemberAdministration

    add_demo_quotes()
    data = report_data(2019)
    context = pdf.report_context(2019, data)
    listed = {code for code, _name in context["abbreviations"]}
    in_tables = {
        entry.code
        for key in ("table4", "table7")
        for row in data.tables[key].rows
        for value in row
        if isinstance(value, CodeCell)
        for entry in value.entries
    }
    quoted = {quote.response.participant.administration.code for quote in Quote.objects.all()}
    assert listed == in_tables | quoted
    # An administration registered (even with a participant who never replied) but named nowhere is left out.
    assert MemberAdministration.objects.exclude(code__in=listed).exists()


@pytest.mark.parametrize(
    ("language", "note"),
    [
        ("en", "“×3 (1)” stands for three replies from the same administration"),
        ("fr", "« ×3 (1) » indique trois réponses de la même administration"),
    ],
)
def test_an_administration_with_some_replies_marked_is_printed_once(
    language, note, workshop_factory, participant_factory, tmp_path
):
    """Three replies from FJ shared materials and one of them realized direct effects: the PDF names FJ once,
    `FJ×3 (1)`, with the note that explains the bracket, never `FJ, FJ×2`."""
    workshop = valuation_workshop(workshop_factory)
    for effects in (True, False, False):
        submitted_reply(
            participant_factory(workshop=workshop, administration="FJ"),
            q1_shared_materials=True,
            q3_direct_effects=effects,
            q4_contributed=False,
            q5_new_project=False,
        )
    path = tmp_path / f"report-{language}.pdf"
    path.write_bytes(pdf.render_pdf(2024, language=language))
    text = flat(pdf_text(path))
    assert "FJ×3 (1)" in text
    assert "FJ, FJ×2" not in text and "FJ×2" not in text
    assert note in text


def test_the_french_report_names_workshops_by_their_french_titles(workshop_factory, participant_factory, tmp_path):
    """Tables, charts and quotes alike: a workshop given a French title is named by it in the French report, and by
    its English title in the English one."""
    workshop = valuation_workshop(workshop_factory, title_fr="Atelier régional de l'OMD sur la valeur en douane")
    submitted_reply(
        participant_factory(workshop=workshop, administration="FJ"),
        q1_shared_materials=True,
        q3_direct_effects=True,
        q4_contributed=True,
        q5_new_project=False,
    )
    texts = {}
    for language in ("en", "fr"):
        path = tmp_path / f"report-{language}.pdf"
        path.write_bytes(pdf.render_pdf(2024, language=language))
        texts[language] = flat(pdf_text(path)).replace("\u202f", " ").replace("\u00a0", " ")
    assert "Customs Valuation" not in texts["fr"]
    # Tables 1-7 and the charts (a table's cell wraps, so its words may interleave with the next column's)
    assert texts["fr"].count("Atelier régional de l'OMD sur la") >= 8
    assert "(janv. 2025)" in texts["fr"]
    assert "valeur en douane" not in texts["en"]
    assert "WCO Regional Workshop on Customs Valuation (Jan. 2025)" in texts["en"]
