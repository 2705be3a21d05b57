"""The import's cost is bounded by what a workbook holds, never by what it declares: sparse and oversized workbooks
are read (or refused) within a time and memory bound, with a clear message; the error list is capped; the largest
sheet the format allows (100,000 participants) imports.

Time and memory are measured in a fresh Python process (its peak resident memory, VmHWM), so the bound is on the
reading alone.
The workbooks are made here, XML written by hand into a workbook openpyxl made, so that they are what an attacker
would send (a declared dimension that lies, one huge string) and cost little to make.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from openpyxl.utils import get_column_letter

from surveys.imports.outcome import WorkbookInvalid
from surveys.imports.reading import MAX_LISTED_ERRORS, MAX_ROWS_PER_SHEET
from surveys.imports.workbook import import_workbook
from tests.helpers import PARTICIPANT_HEADER, ROOT, WORKSHOP_HEADER, make_workbook
from workshops.models import Participant

WORKSHOP = ["BIG-1", "A big workshop", "regional", "2019-12-02", "2019-12-05", "Bangkok", "in-person", "yes"]
SHEET_XML_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _skeleton(sheet_names: list[str]) -> dict[str, bytes]:
    """The parts of a workbook openpyxl made with these sheets (sheet1.xml, sheet2.xml ... in this order)."""
    made = make_workbook({name: [["placeholder"]] for name in sheet_names})
    with zipfile.ZipFile(made) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    # openpyxl writes inline strings; Excel writes shared strings, which these workbooks use: declare their part.
    shared = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{shared}"/></Types>'.encode()
    )
    relation = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Type="{relation}" Target="sharedStrings.xml" Id="rIdStrings"/></Relationships>'.encode(),
    )
    return parts


def _row_xml(number: int, values: Iterable[str | None], strings: dict[str, int]) -> str:
    """A row whose texts are shared strings (as Excel writes them)."""
    cells = []
    for column, value in enumerate(values, start=1):
        if value is None:
            continue
        index = strings.setdefault(value, len(strings))
        cells.append(f'<c r="{get_column_letter(column)}{number}" t="s"><v>{index}</v></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def _write_workbook(
    path: Path,
    sheets: dict[str, Iterator[str] | list[str]],
    strings: dict[str, int],
    dimension: str | None = None,
    shared_strings: bytes | None = None,
) -> Path:
    """Sheets given as row XML (generators are streamed into the zip, so a million rows cost little memory)."""
    parts = _skeleton(list(sheets))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in parts.items():
            if name.startswith("xl/worksheets/sheet") or name == "xl/sharedStrings.xml":
                continue
            archive.writestr(name, data)
        for number, rows in enumerate(sheets.values(), start=1):
            with archive.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as out:
                out.write(SHEET_XML_HEAD.encode())
                if dimension:
                    out.write(f'<dimension ref="{dimension}"/>'.encode())
                out.write(b"<sheetData>")
                for row in rows:
                    out.write(row.encode())
                out.write(b"</sheetData></worksheet>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            if shared_strings is not None:
                out.write(shared_strings)
            else:
                ordered = sorted(strings, key=strings.__getitem__)
                out.write(
                    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                    f'count="{len(ordered)}" uniqueCount="{len(ordered)}">'.encode()
                )
                for text in ordered:
                    out.write(f"<si><t>{escape(text)}</t></si>".encode())
                out.write(b"</sst>")
    return path


def _measure(path: Path) -> dict:
    """Read the workbook in a fresh process; its time, the growth of its peak memory, and what the reader said."""
    code = f"""
import json, re, time, django
django.setup()
from surveys.imports.reading import Reader

def peak_mib():
    # VmHWM: this process's own peak (ru_maxrss would carry over the parent's, from before the exec).
    with open("/proc/self/status") as status:
        return int(re.search(r"VmHWM:\\s+(\\d+) kB", status.read())[1]) / 1024

before = peak_mib()
start = time.monotonic()
reader = Reader()
sheets = reader.read({str(path)!r})
seconds = time.monotonic() - start
peak = peak_mib()
print(json.dumps({{
    "seconds": seconds,
    "peak_mib": peak - before,
    "peak_total_mib": peak,
    "rows": {{name: len(rows) for name, rows in sheets.items()}},
    "errors": [str(error) for error in reader.errors],
    "unlisted": reader.unlisted,
}}))
"""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "rocbap.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    # For the record (bin/test -s prints them): time, growth of the peak, the process's whole peak.
    print(
        f"{path.name}: {measured['seconds']:.2f} s, peak +{measured['peak_mib']:.0f} MiB "
        f"({measured['peak_total_mib']:.0f} MiB in all)"
    )
    return measured


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("workbooks")


def test_a_sparse_sheet_is_read_by_its_cells_not_its_declared_size(folder):
    # 16,384 columns and 100,001 rows declared; three rows used, the last one's only cell at XFD100001. openpyxl's
    # read-only mode pads every row to the declared width: 1.6 billion cells, minutes of a worker.
    strings: dict[str, int] = {}
    rows = [
        _row_xml(1, WORKSHOP_HEADER, strings),
        _row_xml(2, WORKSHOP, strings),
        '<row r="100001"><c r="XFD100001" s="0"/></row>',
    ]
    path = _write_workbook(folder / "sparse.xlsx", {"workshops": rows}, strings, dimension="A1:XFD100001")
    assert path.stat().st_size < 10_000
    measured = _measure(path)
    assert measured["errors"] == []
    assert measured["rows"] == {"workshops": 1}
    assert measured["seconds"] < 5
    assert measured["peak_mib"] < 20


def test_a_million_rows_stop_at_the_limit_with_a_short_error_list(folder):
    strings: dict[str, int] = {}

    def rows() -> Iterator[str]:
        yield _row_xml(1, PARTICIPANT_HEADER, strings)
        for number in range(2, 1_000_002):
            yield _row_xml(number, ["BIG-1", "Someone", "not an address", "FJ"], strings)

    path = _write_workbook(folder / "million.xlsx", {"participants": rows()}, strings)
    measured = _measure(path)
    errors = measured["errors"]
    # The limit is said (whatever else is listed), the list is capped, the rest counted.
    assert f"participants!{MAX_ROWS_PER_SHEET + 2} -: more than 100,000 rows" in "\n".join(errors)
    assert len(errors) <= MAX_LISTED_ERRORS + 1
    assert measured["unlisted"] >= MAX_ROWS_PER_SHEET - MAX_LISTED_ERRORS
    assert measured["seconds"] < 60
    assert measured["peak_mib"] < 120


def test_a_huge_shared_string_is_refused_before_it_is_read(folder):
    # 190 MB of text in one shared string, 200 KB zipped: refused from the zip's directory, nothing unpacked.
    header = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
    huge = header + b"a" * 190_000_000 + b"</t></si></sst>"
    strings: dict[str, int] = {}
    path = _write_workbook(
        folder / "huge-string.xlsx", {"workshops": [_row_xml(1, ["code"], strings)]}, strings, shared_strings=huge
    )
    del huge
    assert path.stat().st_size < 1_000_000
    measured = _measure(path)
    assert measured["errors"] == ["workbook: its text unpacks to 181 MiB, more than we accept (at most 64 MiB)"]
    assert measured["seconds"] < 2
    assert measured["peak_mib"] < 20


@pytest.mark.parametrize("where", ["shared string", "inline string", "number"])
def test_an_overlong_cell_is_refused_without_building_it(folder, where):
    # Under every size limit (40 MB of text), but no cell may hold more than Excel's 32,767 characters: found by a
    # streaming pass that stops at the limit, before openpyxl would build the string.
    text = "b" * 40_000_000
    strings: dict[str, int] = {}
    header = _row_xml(1, ["code"], strings)
    shared: bytes | None = None
    if where == "shared string":
        row = _row_xml(2, [text], strings)
    elif where == "inline string":
        row = f'<row r="2"><c r="A2" t="inlineStr"><is><t>{text}</t></is></c></row>'
    else:
        row = f'<row r="2"><c r="A2"><v>{"9" * 40_000_000}</v></c></row>'
    sheets = {"workshops": [header, row]}
    path = _write_workbook(folder / f"long-{where[:6]}.xlsx", sheets, strings, shared_strings=shared)
    del text, row
    measured = _measure(path)
    assert measured["errors"] == [
        "workbook: a cell holds more than 32,767 characters (Excel's own limit); no column takes that much"
    ]
    assert measured["seconds"] < 5
    assert measured["peak_mib"] < 30


def test_too_many_columns_are_said_and_not_read(folder):
    strings: dict[str, int] = {}
    wide = [*WORKSHOP_HEADER, *[None] * 100, "salary"]
    path = _write_workbook(folder / "wide.xlsx", {"workshops": [_row_xml(1, wide, strings)]}, strings)
    measured = _measure(path)
    assert "workshops!1 -: more than 64 columns; the import reads the first 64" in measured["errors"]


@pytest.mark.django_db
def test_the_error_list_is_capped_and_says_how_many_more():
    rows = [PARTICIPANT_HEADER] + [["NOPE", "", "not an address", "ZZ"] for _ in range(1_000)]
    with pytest.raises(WorkbookInvalid) as invalid:
        import_workbook(make_workbook({"participants": rows}))
    assert len(invalid.value.errors) == MAX_LISTED_ERRORS
    assert invalid.value.unlisted > 2_000
    lines = invalid.value.lines()
    assert re.fullmatch(r"\.\.\. and [\d,]+ more errors, not listed", lines[-1])
    assert str(invalid.value).startswith(f"{MAX_LISTED_ERRORS + invalid.value.unlisted:,} errors in the workbook")


@pytest.mark.django_db
def test_the_largest_participant_sheet_the_format_allows_imports(folder):
    strings: dict[str, int] = {}

    def participants() -> Iterator[str]:
        yield _row_xml(1, PARTICIPANT_HEADER, strings)
        for number in range(2, MAX_ROWS_PER_SHEET + 2):
            values = ["BIG-1", f"Participant {number}", f"participant{number}@customs.example.org", "FJ"]
            yield _row_xml(number, values, strings)

    sheets = {"workshops": [_row_xml(1, WORKSHOP_HEADER, strings), _row_xml(2, WORKSHOP, strings)]}
    sheets["participants"] = participants()
    path = _write_workbook(folder / "participants-100k.xlsx", sheets, strings)
    start = time.monotonic()
    with path.open("rb") as handle:
        summary = import_workbook(handle)
    seconds = time.monotonic() - start
    print(f"100,000 participants imported in {seconds:.1f} s")  # for the record
    assert summary.participants.created == MAX_ROWS_PER_SHEET
    assert Participant.objects.count() == MAX_ROWS_PER_SHEET
    assert Participant.objects.values("token").distinct().count() == MAX_ROWS_PER_SHEET
    assert seconds < 120


def test_the_format_promises_these_limits():
    text = (ROOT / "docs/import-format.md").read_text()
    assert "100,000" in text
    assert "32,767" in text


def test_measure_reads_the_workbook_given(folder):
    # The harness itself: a good workbook is read, so the bounds above are on real reading.
    path = folder / "good.xlsx"
    path.write_bytes(make_workbook({"workshops": [WORKSHOP_HEADER, WORKSHOP]}).getvalue())
    assert _measure(path)["rows"] == {"workshops": 1}
