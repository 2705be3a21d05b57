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
    summary_end = 5 + len(report_data(2019).tables["table4"].summary)
    assert table4[summary_end - 1][1:] == [
        "Effects attributed to sharing and/or in-house workshop",
        None,
        None,
        "10 (77%)",
    ]
    associations = values(demo_export["Associations"])
    assert len(associations) == 19
    assert associations[0][-2:] == ["Fisher p", "Holm-adjusted p"]


def test_made_for_people(demo_export):
    for sheet in demo_export.worksheets:
        # Frozen below the header and right of the workshop (or action and outcome) column: it stays in view.
        assert sheet.freeze_panes == ("B2" if sheet.title == "Replies" else "C2")
        assert sheet["A1"].font.bold
    assert demo_export["Table 1"].column_dimensions["B"].width > 30


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
                if column == last:
                    assert all(block.font.b and not block.font.u for block in blocks)
                else:
                    assert all(block.font.u == "single" and not block.font.b for block in blocks)
        notes = [str(row[0].value) for row in sheet.iter_rows(min_row=len(table.rows) + len(table.summary) + 3)]
        assert notes[0].startswith("Administrations are written by their codes")
        assert notes[1].startswith("(NB1)") and "underlined" in notes[1]
        assert notes[2].startswith("(NB2)") and "bold" in notes[2]
