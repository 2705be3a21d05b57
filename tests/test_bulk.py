"""rocbap.bulk.update_rows on the database the suite runs on (PostgreSQL in bin/test's first pass, SQLite in its
second): each row gets its own values, prepared as the model's fields prepare them, in one statement per batch."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rocbap import bulk
from workshops.models import Participant

pytestmark = pytest.mark.django_db


def test_each_row_gets_its_own_values_and_the_shared_ones(workshop_factory, participant_factory):
    workshop = workshop_factory()
    first, second, untouched = (participant_factory(workshop=workshop) for _ in range(3))
    when = timezone.make_aware(dt.datetime(2026, 12, 6, 9, 30))
    hostile = "550 5.1.1 <a'b\"c>; DROP TABLE workshops_participant; --"
    with CaptureQueriesContext(connection) as queries:
        updated = bulk.update_rows(
            Participant,
            ["undeliverable_reason", "name"],
            [(first.pk, hostile, "Ana"), (second.pk, "", "Bo"), (10**9, "nobody", "None")],
            same_for_all={"undeliverable_since": when},
        )
    assert updated == 2 and len(queries) == 1
    for participant in (first, second, untouched):
        participant.refresh_from_db()
    assert (first.undeliverable_reason, first.name, first.undeliverable_since) == (hostile, "Ana", when)
    assert (second.undeliverable_reason, second.name, second.undeliverable_since) == ("", "Bo", when)
    assert untouched.undeliverable_since is None and untouched.name not in ("Ana", "Bo")


def test_rows_are_written_in_batches(workshop_factory, participant_factory, monkeypatch):
    monkeypatch.setattr(bulk, "BATCH", 2)
    participants = [participant_factory(workshop=workshop_factory()) for _ in range(5)]
    with CaptureQueriesContext(connection) as queries:
        updated = bulk.update_rows(Participant, ["name"], [(p.pk, f"N{p.pk}") for p in participants])
    assert updated == 5 and len(queries) == 3
    assert {p.pk: f"N{p.pk}" for p in participants} == dict(
        Participant.objects.filter(pk__in=[p.pk for p in participants]).values_list("pk", "name")
    )


def test_nothing_to_write_asks_nothing_and_a_name_that_is_no_column_is_refused():
    with CaptureQueriesContext(connection) as queries:
        assert bulk.update_rows(Participant, ["name"], []) == 0
    assert len(queries) == 0
    with pytest.raises(ValueError, match="no column"):
        bulk.update_rows(Participant, ["messages"], [(1, "x")])
