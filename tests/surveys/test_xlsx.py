"""surveys.imports.xlsx reads a workbook's cells as openpyxl would give them (the import's parsers depend on it),
streamed."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook as OpenpyxlWorkbook

from surveys.imports import xlsx


def _book(configure) -> io.BytesIO:
    book = OpenpyxlWorkbook()
    sheet = book.active
    sheet.title = "data"
    configure(book, sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def _rows(source) -> list[tuple[int, dict[int, xlsx.Cell]]]:
    book = xlsx.Workbook(source, max_text=100)
    try:
        (name, part), *_ = book.sheets
        assert name == "data"
        return list(book.rows(part))
    finally:
        book.close()


def test_values_as_openpyxl_gives_them():
    def fill(book, sheet):
        sheet["A1"] = "text"
        sheet["B1"] = 42
        sheet["C1"] = 2.5
        sheet["D1"] = True
        sheet["E1"] = dt.datetime(2020, 6, 20, 9, 30)
        sheet["F1"] = dt.date(2019, 12, 2)
        sheet["G1"] = "=1+1"
        sheet["C3"] = "third row"

    rows = _rows(_book(fill))
    assert [number for number, _ in rows] == [1, 3]  # the rows the sheet lists, no padding, no gap filled
    first = {column: cell.value for column, cell in rows[0][1].items()}
    assert first == {
        0: "text",
        1: 42,
        2: 2.5,
        3: True,
        4: dt.datetime(2020, 6, 20, 9, 30),
        5: dt.datetime(2019, 12, 2),
        6: None,  # a formula: flagged (the import refuses it), its text is not a value
    }
    assert rows[0][1][6].formula
    assert not rows[0][1][0].formula
    assert rows[1][1] == {2: xlsx.Cell("third row")}


def _replace(source: io.BytesIO, name: str, data: bytes) -> io.BytesIO:
    with zipfile.ZipFile(source) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    parts[name] = data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
    out.seek(0)
    return out


SHEET = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{}</sheetData></worksheet>'
)


def test_rich_text_runs_join_and_phonetic_runs_do_not_count():
    cell = '<c r="A1" t="inlineStr"><is><r><t>Bang</t></r><r><t>kok</t></r><rPh><t>bangu</t></rPh></is></c>'
    source = _replace(
        _book(lambda b, s: None), "xl/worksheets/sheet1.xml", SHEET.format(f'<row r="1">{cell}</row>').encode()
    )
    assert _rows(source)[0][1][0].value == "Bangkok"


def test_a_text_past_the_limit_is_refused_while_it_is_read():
    cell = '<c r="A1" t="inlineStr"><is><t>' + "x" * 101 + "</t></is></c>"
    source = _replace(
        _book(lambda b, s: None), "xl/worksheets/sheet1.xml", SHEET.format(f'<row r="1">{cell}</row>').encode()
    )
    with pytest.raises(xlsx.TextTooLong):
        _rows(source)


def test_a_dtd_is_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">]><worksheet><sheetData/></worksheet>'
    source = _replace(_book(lambda b, s: None), "xl/worksheets/sheet1.xml", bomb)
    with pytest.raises(xlsx.Unreadable):
        _rows(source)


def test_a_missing_part_is_unreadable():
    source = _book(lambda b, s: None)
    with zipfile.ZipFile(source) as archive:
        parts = {i.filename: archive.read(i.filename) for i in archive.infolist() if i.filename != "xl/workbook.xml"}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
    out.seek(0)
    with pytest.raises(xlsx.Unreadable):
        xlsx.Workbook(out, max_text=100)
