"""Fixtures of the report tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import DEMO_WORKBOOK, seed_rows


@pytest.fixture
def var_dir(settings, tmp_path) -> Path:
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    return settings.VAR_DIR


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


@pytest.fixture
def replied_round(participant_factory):
    """FY2019/20 as a finished round: one workshop (invited 5 Jun 2020, due 26 Jun 2020), one participant, who
    replied. Nothing is left to send once the feedback's catch-up window is over."""
    from django.utils import timezone

    from surveys.models import Response, Status

    participant = participant_factory()
    Response.objects.create(participant=participant, status=Status.SUBMITTED, submitted_at=timezone.now())
    return participant
