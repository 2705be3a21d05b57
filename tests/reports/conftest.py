"""Fixtures of the report tests."""

from __future__ import annotations

import importlib.util
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest


@dataclass
class _Entry:
    code: str
    count: int
    marked: bool


@dataclass
class _CodeCell:
    entries: list[_Entry]


@dataclass
class _Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list]
    summary: list[list]


@dataclass
class _ReportData:
    tables: dict[str, Any]
    figures: Any = None
    extra: dict = field(default_factory=dict)


def small_report_data() -> _ReportData:
    """Tables in the shape of reports.tables, for tests of the printing alone."""
    code_columns = ["No.", "Workshop", "Shared workshop materials", "Organized in-house workshop"]
    return _ReportData(
        tables={
            "table1": _Table(
                "table1",
                "Table 1 – Numbers of replies",
                [
                    "No.",
                    "Workshop",
                    "Scope",
                    "Participating administrations",
                    "Participants",
                    "Replies",
                    "Reply rate (%)",
                ],
                [[1, "WCO Regional Workshop on AEO (Dec. 2019)", "Regional", 22, 22, 12, 55]],
                [
                    ["", "Sub-total of Sub-Regional Workshops", "", 18, 18, 16, 89],
                    ["", "Sub-total of Regional Workshops", "", 22, 22, 12, 55],
                    ["", "Total", "", 40, 40, 28, 70],
                ],
            ),
            "table2": _Table(
                "table2",
                "Table 2 – Follow-up actions taken (Q1)",
                ["No.", "Workshop", "Replies", "Share training materials", "Submit reports", "Others"],
                [[1, "WCO Regional Workshop on AEO (Dec. 2019)", 12, 11, 10, 3]],
                [["", "Total", 12, 11, 10, 3], ["", "% of replies", "", 92, 83, 25]],
            ),
            "table4": _Table(
                "table4",
                "Table 4 – Direct effects and the actions that spread the knowledge",
                [*code_columns, "Realized direct effects"],
                [
                    [
                        1,
                        "WCO Regional Workshop on AEO (Dec. 2019)",
                        _CodeCell([_Entry("AU", 1, False), _Entry("FJ", 2, True)]),
                        _CodeCell([_Entry("MY", 1, True)]),
                        _CodeCell([_Entry("FJ", 1, True), _Entry("JP", 1, False)]),
                    ]
                ],
                [
                    ["", "Total", 3, 1, 2],
                    ["", "Effects attributed to sharing and/or in-house workshop", "", "", "2 (100%)"],
                ],
            ),
            "table5": _Table(
                "table5",
                "Table 5 – Improvement in work efficiency and effectiveness (Q4)",
                ["No.", "Workshop", "Replies to this question", "Yes", "No", "Yes (%)"],
                [[1, "WCO Regional Workshop on AEO (Dec. 2019)", 12, 12, 0, 100]],
                [["", "Total", 12, 12, 0, 100]],
            ),
        }
    )


@pytest.fixture
def report_data_available(monkeypatch):
    """Real report data once reports.services exists; until then the small tables above."""
    if importlib.util.find_spec("reports.services") is None:
        monkeypatch.setattr("reports.pdf.compute_data", lambda fiscal_year: small_report_data())


@pytest.fixture
def var_dir(settings, tmp_path) -> Path:
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    return settings.VAR_DIR


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
