"""The Excel export, read back with openpyxl."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from reports import excel
from reports.figures import report_data
from surveys.imports.workbook import import_workbook
from surveys.models import Response
from tests.helpers import DEMO_EXPECTED

EXPECTED = json.loads(DEMO_EXPECTED.read_text(encoding="utf-8"))


@pytest.fixture
def demo_export(demo_data, tmp_path):
    path = tmp_path / "fy2019-20.xlsx"
    call_command("export_tables", "--fiscal-year", "2019/20", str(path), stdout=io.StringIO())
    return load_workbook(path)


def values(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_sheets_and_columns_in_the_spec_layout(demo_export):
    assert demo_export.sheetnames == [*(f"Table {n}" for n in range(1, 8)), "Associations", "Replies"]
    assert values(demo_export["Table 1"])[0] == [
        "No.",
        "Workshop",
        "Scope",
        "Participating administrations",
        "Participants",
        "Replies",
        "Reply rate (%)",
    ]
    assert values(demo_export["Table 3"])[0] == ["No.", "Workshop", "Replies to this question", "Yes", "No", "Yes (%)"]
    assert values(demo_export["Table 7"])[0] == [
        "No.",
        "Workshop",
        "Submitted reports",
        "Made specific recommendations",
        "Initiated new projects",
    ]


def test_table_values_and_percent_cells(demo_export):
    table1 = values(demo_export["Table 1"])
    assert [row[0] for row in table1[1:]] == [1, 2, 3, 4, None, None, None]
    assert [row[3:6] for row in table1[1:5]] == [row[:3] for row in EXPECTED["table1"]["rows"]]
    assert table1[-1][1:] == ["Total", None, 40, 40, 28, 0.7]
    rate = demo_export["Table 1"]["G2"]
    assert (rate.value, rate.number_format, rate.data_type) == (0.8, "0%", "n")
    table2 = values(demo_export["Table 2"])
    assert table2[-1][1] == "% of replies"
    assert table2[-1][3:] == [p / 100 for p in EXPECTED["table2"]["pct"]]
    assert demo_export["Table 2"].cell(row=len(table2), column=4).number_format == "0%"
    table4 = values(demo_export["Table 4"])
    assert [row[2:] for row in table4[1:5]] == EXPECTED["table4"]["rows"]
    # Each "count (share)" of the summary is a count cell, and a share cell on the row below: numbers, not text.
    assert [row[1:] for row in table4[5:10]] == [
        ["Total", 23, 11, 13],
        ["Led to direct effects", 8, 7, None],
        ["Led to direct effects (%)", 0.35, 0.64, None],
        ["Effects attributed to sharing and/or in-house workshop", None, None, 10],
        ["Effects attributed to sharing and/or in-house workshop (%)", None, None, 0.77],
    ]
    share = demo_export["Table 4"]["E10"]
    assert (share.value, share.number_format, share.data_type) == (0.77, "0%", "n")
    assert demo_export["Table 4"]["E9"].number_format == "0"
    associations = values(demo_export["Associations"])
    assert len(associations) == 19
    assert associations[0][-2:] == ["Fisher p", "Holm-adjusted p"]
    # p-values to three decimals, the odds ratio and phi to two, shares as percentages.
    p_value = demo_export["Associations"]["I2"]
    assert (p_value.value, p_value.number_format) == (0.039, "0.000")
    assert demo_export["Associations"]["J3"].number_format == "0.000"  # 1, printed 1.000
    assert demo_export["Associations"]["G2"].number_format == "0.00"
    assert demo_export["Associations"]["E2"].number_format == "0%"


def test_made_for_people(demo_export):
    for sheet in demo_export.worksheets:
        # Frozen below the header and right of the workshop (or action and outcome) column: it stays in view.
        assert sheet.freeze_panes == ("B2" if sheet.title == "Replies" else "C2")
        assert sheet["A1"].font.bold
    assert demo_export["Table 1"].column_dimensions["B"].width > 30


def test_made_for_printing(demo_export):
    for sheet in demo_export.worksheets:
        # Landscape, one page wide and as many down as needed, the header row repeated on every page.
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.print_title_rows == "$1:$1", sheet.title
        # Every styled cell names its typeface, the same one throughout.
        fonts = {cell.font.name for row in sheet.iter_rows() for cell in row if cell.has_style}
        assert fonts == {excel.FONT_NAME}, sheet.title


def test_header_rows_are_tall_enough_for_their_wrapped_names(demo_export):
    for sheet in demo_export.worksheets:
        lines = max(
            excel.wrapped_lines(str(cell.value), sheet.column_dimensions[cell.column_letter].width) for cell in sheet[1]
        )
        assert lines >= 1
        assert sheet.row_dimensions[1].height >= lines * excel.LINE_HEIGHT, sheet.title
    # Table 3's "Replies to this question" wraps in its narrow column: the row is more than one line tall.
    assert demo_export["Table 3"].row_dimensions[1].height > 2 * excel.LINE_HEIGHT


def test_wrapped_lines():
    assert excel.wrapped_lines("Replies", 10) == 1
    assert excel.wrapped_lines("Replies to this question", 10) == 3  # "Replies to", "this", "question"
    assert excel.wrapped_lines("Participating administrations", 16) == 2
    assert excel.wrapped_lines("Holm-adjusted p", 8) == 3  # a word longer than the column breaks


def test_replies_sheet_has_every_reply_with_name_and_late_flag(demo_export):
    rows = values(demo_export["Replies"])
    assert rows[0] == excel.REPLY_COLUMNS
    assert rows[0][-2:] == ["administration_name", "late"]
    assert len(rows) == 1 + 28
    assert {row[-1] for row in rows[1:]} <= {"yes", "no"}


def test_no_formula_anywhere_even_from_hostile_text(demo_data, tmp_path):
    hostile = ['=HYPERLINK("http://example.org","x")', "+1+1", "-2+3", "@SUM(A1)"]
    for response, text in zip(Response.objects.replies()[:4], hostile, strict=True):
        response.q2_utilization = text
        response.save()
    path = tmp_path / "export.xlsx"
    excel.export(2019, path)
    book = load_workbook(path)
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if cell.value in hostile:
                    assert cell.data_type == "s"
                    found.append(cell.value)
    assert sorted(found) == sorted(hostile)


def test_replies_round_trip_through_the_importer(demo_export, demo_data):
    before = {key: (table.rows, table.summary) for key, table in report_data(2019).tables.items()}
    times = dict(Response.objects.values_list("participant__email", "submitted_at"))
    rows = values(demo_export["Replies"])
    header = rows[0]
    keep = [header.index(name) for name in excel.IMPORT_COLUMNS]
    book = Workbook()
    sheet = book.active
    sheet.title = "responses"
    for row in rows:
        sheet.append([row[i] for i in keep])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)

    Response.objects.all().delete()
    summary = import_workbook(buffer)
    assert (summary.responses.created, summary.responses.updated) == (28, 0)
    after = {key: (table.rows, table.summary) for key, table in report_data(2019).tables.items()}
    assert after == before
    for email, submitted_at in Response.objects.values_list("participant__email", "submitted_at"):
        assert abs(submitted_at - times[email]) < timezone.timedelta(seconds=1)


def test_command_refuses_bad_input(db, tmp_path):
    with pytest.raises(CommandError, match="not a fiscal year"):
        call_command("export_tables", "--fiscal-year", "2019/21", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match="no such folder"):
        call_command("export_tables", "--fiscal-year", "2019", str(tmp_path / "missing" / "x.xlsx"))
    with pytest.raises(CommandError, match="no surveyed workshops"):
        call_command("export_tables", "--fiscal-year", "2030", str(tmp_path / "x.xlsx"))
    assert list(tmp_path.iterdir()) == []


def test_command_takes_the_short_year(demo_data, tmp_path):
    out = io.StringIO()
    call_command("export_tables", "--fiscal-year", "2019", str(tmp_path / "t.xlsx"), stdout=out)
    assert "FY2019/20" in out.getvalue()
    assert load_workbook(tmp_path / "t.xlsx").sheetnames[0] == "Table 1"


def test_export_without_personal_data_leaves_out_the_email_column_only(demo_data):
    full, anonymous = io.BytesIO(), io.BytesIO()
    excel.export(2019, full)
    excel.export(2019, anonymous, include_personal_data=False)
    full_rows = values(load_workbook(full)["Replies"])
    rows = values(load_workbook(anonymous)["Replies"])
    email = full_rows[0].index("email")
    assert rows[0] == [column for column in excel.REPLY_COLUMNS if column != "email"]
    assert rows == [row[:email] + row[email + 1 :] for row in full_rows]
    assert not any("@" in str(cell) for row in rows for cell in row)


def test_tables_4_and_7_keep_their_marks_as_rich_text_and_their_notes(demo_data, tmp_path):
    from openpyxl.cell.rich_text import CellRichText, TextBlock

    path = tmp_path / "marks.xlsx"
    excel.export(2019, path)
    book = load_workbook(path, rich_text=True)
    for name, key in (("Table 4", "table4"), ("Table 7", "table7")):
        table = report_data(2019).tables[key]
        sheet = book[name]
        last = len(table.columns)
        for number, row in enumerate(table.rows, start=2):
            for column, value in enumerate(row, start=1):
                if not hasattr(value, "entries"):
                    continue
                cell = sheet.cell(row=number, column=column).value
                assert str(cell) == str(value)  # the same text, marks or not
                marked = [str(entry) for entry in value.entries if entry.marked]
                if not marked:
                    continue
                assert isinstance(cell, CellRichText)
                blocks = [part for part in cell if isinstance(part, TextBlock)]
                assert [block.text for block in blocks] == marked
                # A run of rich text names its typeface too (else it shows in the reader's default, a serif).
                assert {block.font.rFont for block in blocks} == {excel.FONT_NAME}
                if column == last:
                    assert all(block.font.b and not block.font.u for block in blocks)
                else:
                    assert all(block.font.u == "single" and not block.font.b for block in blocks)
        shares = sum(any(hasattr(value, "percent") for value in row) for row in table.summary)
        first_note = len(table.rows) + len(table.summary) + shares + 3
        notes = [str(row[0].value) for row in sheet.iter_rows(min_row=first_note)]
        # About what the workbook holds: no appendix of the PDF.
        assert notes[0].startswith("Administrations are written by their codes") and "Appendix" not in notes[0]
        assert notes[1].startswith("(NB1)") and "underlined" in notes[1]
        assert notes[2].startswith("(NB2)") and "bold" in notes[2]
        note = sheet.cell(row=first_note + 1, column=1).value
        assert [(block.font.rFont, block.font.sz, block.font.i) for block in note if isinstance(block, TextBlock)] == [
            (excel.FONT_NAME, excel.NOTE_FONT.sz, True)
        ]


def test_a_long_answer_gets_a_row_tall_enough_to_print_whole(demo_data):
    reply = Response.objects.replies().first()
    reply.q2_utilization = " ".join(["We now share the risk profiles every week."] * 6)  # 9 lines of 30 characters
    reply.save()
    buffer = io.BytesIO()
    excel.export(2019, buffer)
    sheet = load_workbook(buffer)["Replies"]
    column = [cell.value for cell in sheet[1]].index("q2_utilization")
    row = next(row[0].row for row in sheet.iter_rows(min_row=2) if row[column].value == reply.q2_utilization)
    lines = excel.wrapped_lines(reply.q2_utilization, excel.FREE_TEXT_WIDTH)
    assert lines >= 8
    assert sheet.row_dimensions[row].height == lines * excel.LINE_HEIGHT
    assert sheet.cell(row=row, column=column + 1).alignment.wrap_text


def test_the_codes_note_explains_x2_only_where_one_appears():
    from reports.cells import CodeCell, CodeEntry
    from reports.tables import Table

    def table(count: int) -> Table:
        cell = CodeCell([CodeEntry("FJ", count, False)])
        return Table("table4", "Table 4", ["No.", "Workshop", "A", "B", "C"], [[1, "W", cell, cell, cell]], totals=None)

    once, twice = (str(excel.workbook_notes(table(n))[0]) for n in (1, 2))
    assert once == "Administrations are written by their codes."
    assert twice.startswith("Administrations are written by their codes;") and "×2" in twice
    assert "Appendix" not in once + twice  # the PDF's appendix is not in the workbook


def test_a_partly_marked_administration_is_rich_text_with_only_its_bracket_marked():
    from openpyxl.cell.rich_text import TextBlock

    from reports.cells import CodeCell, CodeEntry
    from reports.display import PARTLY_MARKED_NOTE
    from reports.tables import Table

    cell = CodeCell([CodeEntry("AU", 1, 1), CodeEntry("FJ", 3, 1), CodeEntry("WS", 1, 0)])
    text = excel.code_text(cell, "u")
    assert str(text) == "AU, FJ×3 (1), WS"
    marked = [(part.text, part.font.u) for part in text if isinstance(part, TextBlock)]
    assert marked == [("AU", "single"), ("1", "single")]
    partly = Table("table4", "Table 4", ["No.", "Workshop", "A", "B", "C"], [[1, "W", cell, cell, cell]], totals=None)
    plain = CodeCell([CodeEntry("FJ", 3, 3)])
    whole = Table("table4", "Table 4", ["No.", "Workshop", "A", "B", "C"], [[1, "W", plain, plain, plain]], totals=None)
    assert PARTLY_MARKED_NOTE in excel.workbook_notes(partly)
    assert PARTLY_MARKED_NOTE not in excel.workbook_notes(whole)


def sheet_texts(book, names) -> str:
    # Cells joined by a bar: "p de Fisher" and "p ajusté" side by side are no "Fisher p".
    return " | ".join(
        str(cell.value) for name in names for row in book[name].iter_rows() for cell in row if cell.value is not None
    )


def test_the_tables_for_a_french_reader(demo_data, tmp_path):
    """With a language, the tables are worded as the French report prints them (sheets, titles, columns, row
    names, notes, workshops by their French title and month); the figures and the Replies sheet are the same."""
    from tests.languages import english_in
    from workshops.models import Workshop

    aeo = Workshop.objects.get(title="WCO Regional Workshop on AEO")
    aeo.title_fr = "Atelier régional de l'OMD sur l'OEA"
    aeo.save()
    english, french = tmp_path / "en.xlsx", tmp_path / "fr.xlsx"
    call_command("export_tables", "--fiscal-year", "2019/20", str(english), stdout=io.StringIO())
    call_command("export_tables", "--fiscal-year", "2019/20", "--language", "fr", str(french), stdout=io.StringIO())
    en, fr = load_workbook(english), load_workbook(french)
    assert fr.sheetnames == [*(f"Tableau {n}" for n in range(1, 8)), "Associations", "Replies"]
    assert values(fr["Tableau 1"])[0][:3] == ["N°", "Atelier", "Portée"]
    assert fr["Tableau 4"].oddHeader.center.text.startswith("Tableau 4 – Effets directs")
    texts = sheet_texts(fr, fr.sheetnames[:-1])
    assert "Atelier régional de l'OMD sur l'OEA (déc. 2019)" in texts
    assert "Les administrations sont désignées par leur code." in texts
    assert "Ayant conduit à des effets directs (%)" in texts
    # No wording of the product's left in English (the workshops without a French title keep theirs).
    assert english_in(texts) == []
    # Same figures, cell by cell; the Replies sheet (the import format) unchanged.
    for english_sheet, french_sheet in zip(en.worksheets, fr.worksheets, strict=True):
        for en_row, fr_row in zip(english_sheet.iter_rows(), french_sheet.iter_rows(), strict=True):
            for en_cell, fr_cell in zip(en_row, fr_row, strict=True):
                if isinstance(en_cell.value, int | float):
                    assert fr_cell.value == en_cell.value, (french_sheet.title, fr_cell.coordinate)
    # The Replies sheet keeps the import format; only the administration's name, there for a reader, is French.
    named = excel.REPLY_COLUMNS.index("administration_name")
    english_replies, french_replies = values(en["Replies"]), values(fr["Replies"])
    assert [row[:named] for row in french_replies] == [row[:named] for row in english_replies]
    assert "Indonésie" in {row[named] for row in french_replies}
    # Without a language, the workbook keeps its own words.
    assert en.sheetnames[0] == "Table 1" and "Atelier régional" not in sheet_texts(en, en.sheetnames[:-1])


def test_the_tables_for_a_reader_only_in_a_staff_language(demo_data, tmp_path):
    with pytest.raises(CommandError, match="No staff language 'de'"):
        call_command("export_tables", "--fiscal-year", "2019/20", "--language", "de", str(tmp_path / "x.xlsx"))


def test_the_tables_for_an_arabic_reader(demo_data, tmp_path):
    """export_tables --language ar: sheet names Excel accepts (31 characters at most, none of []:*?/\\), the tables
    worded in Arabic and read from the right; the Replies sheet (the import's format) as it always is."""
    path = tmp_path / "fy2019-20-ar.xlsx"
    call_command("export_tables", "--fiscal-year", "2019/20", "--language", "ar", str(path), stdout=io.StringIO())
    book = load_workbook(path)
    assert book.sheetnames == [*(f"الجدول {n}" for n in range(1, 8)), "الارتباطات", "Replies"]
    for name in book.sheetnames:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\"), name
    assert values(book["الجدول 3"])[0][:3] == ["الرقم", "ورشة العمل", "الردود على هذا السؤال"]
    assert all(book[name].sheet_view.rightToLeft for name in book.sheetnames[:-1])
    assert not book["Replies"].sheet_view.rightToLeft and values(book["Replies"])[0][0] != "الرقم"
