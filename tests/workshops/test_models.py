"""Rules that live on the workshop, participant and reply models, and the constraints the database enforces."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from surveys.models import Response, Status
from workshops.models import (
    MemberAdministration,
    Workshop,
    fiscal_year_label,
    fiscal_year_of,
    parse_fiscal_year,
)


@pytest.mark.parametrize(
    ("day", "fiscal_year"),
    [
        (dt.date(2019, 7, 1), 2019),
        (dt.date(2020, 6, 30), 2019),
        (dt.date(2020, 7, 1), 2020),
        (dt.date(2020, 1, 1), 2019),
    ],
)
def test_fiscal_year_runs_july_to_june(day, fiscal_year):
    assert fiscal_year_of(day) == fiscal_year


@pytest.mark.parametrize("text", ["2019/20", "FY2019/20", "2019-20", "2019", " fy2019/2020 "])
def test_parse_fiscal_year(text):
    assert parse_fiscal_year(text) == 2019


@pytest.mark.parametrize("text", ["19/20", "2019/21", "twenty", ""])
def test_parse_fiscal_year_rejects(text):
    with pytest.raises(ValueError, match="fiscal year"):
        parse_fiscal_year(text)


def test_fiscal_year_label():
    assert fiscal_year_label(2019) == "2019/20"
    assert fiscal_year_label(2099) == "2099/00"


def test_workshop_stores_its_fiscal_year(workshop_factory):
    workshop = workshop_factory(start_date=dt.date(2020, 6, 30), end_date=dt.date(2020, 7, 2))
    assert workshop.fiscal_year == 2019
    workshop.start_date = dt.date(2020, 7, 1)
    workshop.save(update_fields=["start_date"])
    workshop.refresh_from_db()
    assert workshop.fiscal_year == 2020
    assert workshop.fiscal_year_label == "2020/21"


def test_the_33_member_administrations_are_there_after_migrate(db):
    assert MemberAdministration.objects.count() == 33
    table = MemberAdministration.lookup_table()
    assert table["PNG"].code == "PG"
    assert table["LAOS"].code == "LA"
    assert table["WS"].name == "Samoa"


def test_workshop_cannot_end_before_it_starts(workshop_factory):
    with pytest.raises(IntegrityError), transaction.atomic():
        workshop_factory(start_date=dt.date(2020, 1, 10), end_date=dt.date(2020, 1, 9))


def test_workshop_scope_is_checked_by_the_database(workshop_factory):
    with pytest.raises(IntegrityError), transaction.atomic():
        workshop_factory(scope="global")


def test_workshop_code_is_unique(workshop_factory):
    workshop_factory(code="FY19-AEO")
    with pytest.raises(IntegrityError), transaction.atomic():
        workshop_factory(code="FY19-AEO")


def test_participant_email_unique_per_workshop_without_case(participant_factory, workshop_factory):
    workshop = workshop_factory()
    participant_factory(workshop=workshop, email="Officer@Customs.example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        participant_factory(workshop=workshop, email="officer@customs.example.org")
    # The same person at another workshop is another attendance with its own link.
    other = participant_factory(email="officer@customs.example.org")
    assert other.token


def test_each_participant_has_an_unguessable_token_and_revoking_replaces_it(participant_factory):
    first, second = participant_factory(), participant_factory()
    assert first.token != second.token
    assert len(first.token) >= 43  # 256 bits in URL-safe base64
    old = first.token
    first.revoke_link()
    first.refresh_from_db()
    assert first.token != old


def test_one_response_per_participant(participant_factory):
    participant = participant_factory()
    Response.objects.create(participant=participant)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(participant=participant)


@pytest.mark.parametrize("field", ["q1_shared_with", "q1bis_colleagues_learned"])
def test_counts_cannot_be_negative(participant_factory, field):
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(participant=participant_factory(), **{field: -1})


def test_a_submitted_reply_has_its_submission_time(participant_factory):
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(participant=participant_factory(), status=Status.SUBMITTED)
    reply = Response.objects.create(
        participant=participant_factory(), status=Status.SUBMITTED, submitted_at=timezone.now()
    )
    assert reply.is_reply


def test_a_draft_is_never_late(participant_factory):
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(participant=participant_factory(), late=True)


def test_replies_are_only_submitted_responses(participant_factory):
    Response.objects.create(participant=participant_factory())
    Response.objects.create(participant=participant_factory(), status=Status.SUBMITTED, submitted_at=timezone.now())
    assert Response.objects.replies().count() == 1


def test_workshop_dates_for_participants(workshop_factory):
    assert workshop_factory(start_date=dt.date(2019, 12, 2), end_date=dt.date(2019, 12, 5)).dates_display == (
        "2-5 December 2019"
    )
    assert workshop_factory(start_date=dt.date(2019, 11, 28), end_date=dt.date(2019, 12, 2)).dates_display == (
        "28 November - 2 December 2019"
    )
    assert workshop_factory(start_date=dt.date(2019, 12, 30), end_date=dt.date(2020, 1, 2)).dates_display == (
        "30 December 2019 - 2 January 2020"
    )
    assert str(Workshop.objects.get(start_date=dt.date(2019, 12, 2))) == ("WCO Regional Workshop number 1 (Dec. 2019)")
