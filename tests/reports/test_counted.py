"""Kept counted rounds (reports.counted): reused while nothing counted changes, never stale after a change.

The tests commit their rows (transactional database), as the site does: a round counted inside a transaction is
never kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone

from reports import counted
from reports.counted import counted_round
from surveys.models import Response, Status
from workshops.models import MemberAdministration

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _own_cache(settings) -> None:
    # A cache of this test alone: other test processes drawing data versions in a shared one cannot interfere.
    own = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "counted-tests"}
    settings.CACHES = {**settings.CACHES, "counted": own}
    caches["counted"].clear()


def reply(participant, **answers) -> Response:
    return Response.objects.create(
        participant=participant, status=Status.SUBMITTED, submitted_at=timezone.now(), **answers
    )


@pytest.fixture
def workshop(workshop_factory, participant_factory):
    workshop = workshop_factory(title="WCO Regional Workshop on AEO")
    reply(participant_factory(workshop, "FJ"), q1_manuals=True, q3_direct_effects=True)
    participant_factory(workshop, "MY")
    return workshop


def totals(fiscal_year: int = 2019):
    return counted_round(fiscal_year).tables["table1"].totals.total


def test_kept_while_nothing_changes(workshop, django_assert_max_num_queries):
    first = counted_round(2019)
    with django_assert_max_num_queries(2):  # the newest participant and reply
        assert counted_round(2019) is first
    assert counted_round(2018) is not first


def test_a_reply_saved_is_counted_at_once(workshop, participant_factory):
    assert (totals().participants, totals().replies) == (2, 1)
    reply(participant_factory(workshop, "WS"))
    assert (totals().participants, totals().replies) == (3, 2)


def test_a_draft_submitted_is_counted_at_once(workshop):
    draft = Response.objects.create(participant=workshop.participants.get(administration__code="MY"))
    assert totals().replies == 1
    draft.status, draft.submitted_at = Status.SUBMITTED, timezone.now()
    draft.save()
    assert totals().replies == 2


def test_a_reply_edited_is_counted_at_once(workshop):
    assert counted_round(2019).tables["table2"].totals.actions["q1_manuals"].count == 1
    response = Response.objects.get()
    response.q1_manuals = False
    response.save()
    assert counted_round(2019).tables["table2"].totals.actions["q1_manuals"].count == 0


def test_a_reply_deleted_is_counted_at_once(workshop):
    assert totals().replies == 1
    Response.objects.get().delete()
    assert totals().replies == 0


def test_a_participant_deleted_with_the_reply_is_counted_at_once(workshop):
    assert totals().participants == 2
    workshop.participants.get(administration__code="FJ").delete()  # its reply goes too
    assert (totals().participants, totals().replies) == (1, 0)


def test_a_workshop_changed_is_counted_at_once(workshop):
    assert counted_round(2019).tables["table1"].rows[0][1] == "WCO Regional Workshop on AEO (Dec. 2019)"
    workshop.title = "WCO Regional Workshop on Risk Management"
    workshop.save()
    assert counted_round(2019).tables["table1"].rows[0][1] == "WCO Regional Workshop on Risk Management (Dec. 2019)"
    workshop.surveyed = False
    workshop.save()
    assert counted_round(2019).tables["table1"].rows == []


def test_a_workshop_moved_to_another_fiscal_year_is_counted_at_once(workshop):
    assert (totals(2019).replies, totals(2020).replies) == (1, 0)
    workshop.start_date, workshop.end_date = dt.date(2020, 9, 7), dt.date(2020, 9, 9)
    workshop.save()
    assert (totals(2019).replies, totals(2020).replies) == (0, 1)


def test_an_administration_code_changed_is_counted_at_once(workshop):
    cell = counted_round(2019).tables["table4"].rows[0][4]  # realized direct effects
    assert str(cell) == "FJ"
    fiji = MemberAdministration.objects.get(code="FJ")
    fiji.code = "FI"
    fiji.save()
    assert str(counted_round(2019).tables["table4"].rows[0][4]) == "FI"


def test_a_change_in_a_transaction_is_seen_in_it_and_after_the_commit(workshop, participant_factory):
    assert totals().replies == 1
    with transaction.atomic():
        reply(participant_factory(workshop, "WS"))
        assert totals().replies == 2
        version_in_transaction = counted.data_version()
    assert counted.data_version() != version_in_transaction  # drawn again at commit: a round was kept under it
    assert totals().replies == 2


def test_a_change_rolled_back_is_never_kept(workshop, participant_factory):
    assert totals().replies == 1
    participant = participant_factory(workshop, "WS")
    with transaction.atomic():
        reply(participant)
        assert totals().replies == 2
        transaction.set_rollback(True)
    assert totals().replies == 1


def test_a_lost_version_is_counted_again(workshop):
    first = counted_round(2019)
    caches["counted"].clear()
    assert counted_round(2019) is not first


def test_changes_draw_no_new_version_while_no_round_is_kept(workshop, participant_factory):
    version = counted.data_version()
    reply(participant_factory(workshop, "WS"))  # nothing was kept under this version: nothing to invalidate
    assert counted.data_version() == version
    assert totals().replies == 2  # kept now
    reply(participant_factory(workshop, "MY"))
    assert counted.data_version() != version
    assert totals().replies == 3


def test_a_change_committed_while_a_round_is_counted_is_not_kept(workshop, participant_factory, monkeypatch):
    """A reader marks the version in use before it loads the frame: a reply committed while it counts draws a new
    version, so the round counted without that reply is not used again."""
    participant = participant_factory(workshop, "WS")
    load = counted.frames.replies_frame

    def load_then_a_reply_arrives(fiscal_year, *, texts):
        frame = load(fiscal_year, texts=texts)  # the reply below is not in it
        reply(participant)
        return frame

    monkeypatch.setattr(counted.frames, "replies_frame", load_then_a_reply_arrives)
    assert totals().replies == 1  # counted before the reply arrived
    monkeypatch.undo()
    assert totals().replies == 2  # not the round counted before it


def test_participants_made_by_bulk_create_are_counted_at_once(workshop):
    from workshops.models import Participant

    assert totals().participants == 2
    fiji = MemberAdministration.objects.get(code="FJ")
    Participant.objects.bulk_create([Participant(workshop=workshop, name="New", email="n@x.org", administration=fiji)])
    assert totals().participants == 3
