"""A reply and a closing never overlap (surveys.questionnaire.rounds, surveys.questionnaire.replies): on PostgreSQL,
two real connections. A reply being saved holds the round's row FOR SHARE, so a closing waits for it; a closing in
progress makes a reply wait and then refuse. Replies of one round do not wait for each other."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from surveys.models import Response
from surveys.questionnaire import rounds
from surveys.questionnaire.replies import RoundClosed, save_reply
from tests.helpers import SAVED_ANSWERS

pytestmark = pytest.mark.integration


def in_thread(work) -> tuple[threading.Thread, dict]:
    """Run `work` on its own database connection (Django gives each thread one); its outcome lands in the dict."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = work()
        except Exception as error:
            outcome["error"] = error
        finally:
            outcome["at"] = time.monotonic()
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@pytest.fixture
def postgres(database_url):
    return database_url


def test_a_closing_waits_for_a_reply_being_saved(postgres, participant_factory):
    participant = participant_factory()
    year = participant.workshop.fiscal_year
    with transaction.atomic():
        assert rounds.is_closed(year, lock=True) is False  # this connection now holds the round FOR SHARE
        closing, closed = in_thread(lambda: rounds.close(year))
        time.sleep(0.5)
        assert closing.is_alive(), "the closing did not wait for the reply being saved"
        Response.objects.create(participant=participant, **SAVED_ANSWERS)
        committed_at = time.monotonic()
    closing.join(10)
    assert "error" not in closed and closed["at"] >= committed_at
    assert rounds.is_closed(year)
    assert Response.objects.filter(participant=participant).exists()  # saved before the round closed: it counts


def test_a_reply_during_a_closing_waits_and_is_refused(postgres, participant_factory):
    participant = participant_factory()
    year = participant.workshop.fiscal_year
    rounds.reopen(year)  # the round has its row, as after any closing
    with transaction.atomic():
        rounds.close(year)  # the closing's transaction holds the row FOR UPDATE until it commits
        saving, saved = in_thread(lambda: save_reply(participant, dict(SAVED_ANSWERS), submit=True, revision=0))
        time.sleep(0.5)
        assert saving.is_alive(), "the reply did not wait for the closing"
    saving.join(10)
    assert isinstance(saved.get("error"), RoundClosed)
    assert not Response.objects.filter(participant=participant).exists()


def test_replies_of_one_round_do_not_wait_for_each_other(postgres, participant_factory):
    first, second = participant_factory(), participant_factory()
    assert first.workshop.fiscal_year == second.workshop.fiscal_year
    # The round has its row, as once any reply of the year was saved (the very first reply of a year makes it, and a
    # reply arriving at that same moment waits for that one insert).
    rounds.reopen(first.workshop.fiscal_year)
    with transaction.atomic():
        assert rounds.is_closed(first.workshop.fiscal_year, lock=True) is False
        saving, saved = in_thread(lambda: save_reply(second, dict(SAVED_ANSWERS), submit=True, revision=0))
        saving.join(5)
        assert not saving.is_alive(), "a second reply waited for the first (the round's lock is not shared)"
    assert "error" not in saved and saved["value"].saved
    assert connection.vendor == "postgresql"
