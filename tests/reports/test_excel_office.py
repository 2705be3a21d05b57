"""The Excel export opened in LibreOffice (Debian's libreoffice-calc-nogui, headless), as a reader of the export
would: it converts without complaint, prints each table one page wide, and holds the numbers the tables count."""

from __future__ import annotations

import csv
import os
import subprocess
from pathlib import Path

import pytest

from reports import excel
from reports.figures import report_data
from tests.helpers import pdf_pages

pytestmark = [pytest.mark.office, pytest.mark.django_db]


def soffice(workdir: Path, book: Path, target: str) -> subprocess.CompletedProcess:
    """One headless conversion in a profile of its own (HOME and the user installation in the test's folder): a
    conversion never meets another LibreOffice's profile or lock."""
    home = workdir / "home"
    home.mkdir(exist_ok=True)
    return subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{home / 'profile'}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(workdir / "out"),
            str(book),
        ],
        env={**os.environ, "HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


@pytest.fixture
def exported(demo_data, tmp_path) -> Path:
    path = tmp_path / "fy2019-20.xlsx"
    excel.export(2019, path)
    return path


def test_libreoffice_prints_each_table_one_page_wide(exported, tmp_path):
    done = soffice(tmp_path, exported, "pdf")
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "out" / "fy2019-20.pdf"
    assert pdf.exists(), (done.stdout, done.stderr)
    # Without the print set-up the workbook printed 24 pages, the tables split across them: now each of the eight
    # table sheets is one page, and the replies a few more.
    pages = page_texts(pdf)
    assert len(pages) == pdf_pages(pdf)
    assert len(pages) <= 12, len(pages)
    tables = report_data(2019).tables
    for key, name in excel.SHEET_NAMES.items():
        table = tables[key]
        on_page = [number for number, text in enumerate(pages) if str(table.title) in text]
        assert len(on_page) == 1, (name, on_page)  # its title heads one page: the table fits on it
        # The first and last column's names on that page: the table is not cut in width.
        words = " ".join(pages[on_page[0]].split())
        assert str(table.columns[0]) in words and str(table.columns[-1]).split()[-1] in words, name


def test_libreoffice_reads_the_numbers_back(exported, tmp_path):
    # Every sheet to its own CSV file (the last field of the filter's options, -1), UTF-8, values as shown.
    done = soffice(tmp_path, exported, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1")
    assert done.returncode == 0, done.stderr
    sheets = {path.stem.removeprefix("fy2019-20-"): path for path in (tmp_path / "out").glob("*.csv")}
    assert set(sheets) == {*excel.SHEET_NAMES.values(), "Replies"}, sorted(sheets)

    def rows(name: str) -> list[list[str]]:
        with sheets[name].open(encoding="utf-8", newline="") as handle:
            return list(csv.reader(handle))

    table1 = rows("Table 1")
    assert table1[0][:2] == ["No.", "Workshop"]
    total = next(row for row in table1 if row[1] == "Total")
    assert total[3:] == ["40", "40", "28", "70%"]  # numbers and a percentage, as the cells format them
    table4 = rows("Table 4")
    assert next(row for row in table4 if row[1] == "Led to direct effects")[2:4] == ["8", "7"]
    assert next(row for row in table4 if row[1] == "Led to direct effects (%)")[2:4] == ["35%", "64%"]
    associations = rows("Associations")
    assert associations[1][-2:] == ["0.039", "0.704"]  # p-values to three decimals
    assert len(rows("Replies")) == 1 + 28


def test_the_french_readers_tables_print_one_page_wide_too(demo_data, tmp_path):
    from django.utils import translation

    from reports import wording

    path = tmp_path / "fy2019-20-fr.xlsx"
    excel.export(2019, path, language="fr")
    done = soffice(tmp_path, path, "pdf")
    assert done.returncode == 0, done.stderr
    pages = page_texts(tmp_path / "out" / "fy2019-20-fr.pdf")
    assert len(pages) <= 12, len(pages)
    tables = report_data(2019).tables
    with translation.override("fr"):
        for key in excel.SHEET_NAMES:
            title, columns = wording.label(tables[key].title), [wording.label(c) for c in tables[key].columns]
            title = title.replace("\xa0", " ")  # pdftotext reads a no-break space as a space
            on_page = [number for number, text in enumerate(pages) if title in text.replace("\xa0", " ")]
            assert len(on_page) == 1, (title, on_page)
            words = " ".join(pages[on_page[0]].split())
            assert columns[0] in words and columns[-1].split()[-1] in words, title
