"""Fixtures of the report tests."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import DEMO_WORKBOOK, seed_rows


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


@pytest.fixture(scope="session")
def demo_pdf(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """The demo report with its quotes and staff texts, rendered once for the session: the tests that only read the
    PDF share it. The rows it is made from are rolled back, so no test sees them."""
    from django.core.management import call_command
    from django.db import transaction

    from reports.demo import add_demo_quotes
    from reports.models import ReportEdition
    from surveys.imports.workbook import import_workbook

    path = tmp_path_factory.mktemp("demo-report") / "report.pdf"
    with django_db_blocker.unblock(), transaction.atomic():
        seed_rows()
        with DEMO_WORKBOOK.open("rb") as handle:
            import_workbook(handle)
        add_demo_quotes()
        ReportEdition.objects.filter(fiscal_year=2019).update(
            foreword="We thank the Members.", signatory_name="A. Head", conclusion="It worked."
        )
        call_command("render_report", "--fiscal-year", "2019/20", str(path))
        transaction.set_rollback(True)
    return path


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
