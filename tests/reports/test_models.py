"""A report edition made final closes its fiscal year's round (surveys.questionnaire.rounds)."""

from __future__ import annotations

import datetime as dt

import pytest

from reports.models import EditionNotFinished, EditionStatus, ReportEdition
from surveys.questionnaire import rounds
from tests.helpers import finish

pytestmark = pytest.mark.django_db


def test_make_final_closes_the_round_of_its_fiscal_year_only():
    edition = finish(ReportEdition.objects.create(fiscal_year=2019))
    edition.make_final()
    edition.refresh_from_db()
    assert edition.status == EditionStatus.FINAL
    assert rounds.is_closed(2019) and not rounds.is_closed(2018)


def test_a_final_edition_written_directly_does_not_close_the_round():
    # The round's state is the survey's: only make_final (or surveys.questionnaire.rounds) closes it.
    ReportEdition.objects.create(fiscal_year=2019, status=EditionStatus.FINAL)
    assert not rounds.is_closed(2019)


def test_make_final_refuses_listing_what_is_missing():
    edition = ReportEdition.objects.create(fiscal_year=2019, signatory_title="")
    with pytest.raises(EditionNotFinished) as refused:
        edition.make_final()
    assert refused.value.missing == [
        "the foreword",
        "the conclusion",
        "the contact",
        "the signatory's name",
        "the signatory's title",
        "the publication date",
    ]
    assert "FY2019/20 cannot be made final yet" in str(refused.value)
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT and not rounds.is_closed(2019)


@pytest.mark.parametrize(
    ("contact", "placeholder"),
    [
        ("Write to rocbap@rocbap.example.org", True),
        ("Write to someone@example.com", True),
        ("Write to office@rocb.invalid", True),
        ("Write to rocbap@wco-rocb.org", False),
        ("ROCB A/P, Bangkok (see the office's web site)", False),
    ],
)
def test_the_placeholder_contact_address_is_not_finished(contact, placeholder):
    edition = finish(ReportEdition(fiscal_year=2019, contact=contact))
    missing = edition.missing_for_final()
    assert bool(missing) is placeholder
    if placeholder:
        assert "the contact still holds the example address" in missing[0]


def test_a_finished_edition_is_made_final():
    edition = finish(ReportEdition.objects.create(fiscal_year=2019, publication_date=dt.date(2021, 1, 5)))
    assert edition.missing_for_final() == []
    edition.make_final()
    assert edition.is_final
