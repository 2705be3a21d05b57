"""Fixtures of the report tests."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest


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


def finish(edition):
    """Give an edition everything make_final asks for (reports.models.ReportEdition.missing_for_final)."""
    import datetime as dt

    edition.foreword = edition.foreword or "We thank the Members."
    edition.conclusion = edition.conclusion or "The workshops bore fruit."
    edition.contact = edition.contact or "ROCB A/P, Bangkok. rocbap@wco-rocb.org"
    edition.signatory_name = edition.signatory_name or "A. Head"
    edition.signatory_title = edition.signatory_title or "Head of ROCB A/P"
    edition.publication_date = edition.publication_date or dt.date(2021, 3, 1)
    edition.save()
    return edition
