"""A report edition made final closes its fiscal year's round (surveys.rounds)."""

from __future__ import annotations

import pytest

from reports.models import EditionStatus, ReportEdition
from surveys import rounds

pytestmark = pytest.mark.django_db


def test_make_final_closes_the_round_of_its_fiscal_year_only():
    edition = ReportEdition.objects.create(fiscal_year=2019)
    edition.make_final()
    edition.refresh_from_db()
    assert edition.status == EditionStatus.FINAL
    assert rounds.is_closed(2019) and not rounds.is_closed(2018)


def test_a_final_edition_written_directly_does_not_close_the_round():
    # The round's state is the survey's: only make_final (or surveys.rounds) closes it.
    ReportEdition.objects.create(fiscal_year=2019, status=EditionStatus.FINAL)
    assert not rounds.is_closed(2019)
