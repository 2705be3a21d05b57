"""save_reply: one reply per participant whatever arrives, including two first saves at the same moment."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from surveys.models import Response
from surveys.questionnaire import replies
from tests.helpers import SAVED_ANSWERS as ANSWERS
from workshops.models import Participant


@pytest.mark.django_db
def test_a_first_save_that_loses_the_race_lands_on_the_stored_row(participant, monkeypatch):
    # Another request inserted the reply between this one's look-up and its insert: the look-up found nothing.
    replies.save_reply(participant, ANSWERS, submit=True, revision=0)
    real_manager, lookups = Response.objects, []

    class Racing:
        def select_for_update(self):
            lookups.append(1)
            return real_manager.none() if len(lookups) == 1 else real_manager.select_for_update()

    monkeypatch.setattr(replies.Response, "objects", Racing())
    same = replies.save_reply(participant, ANSWERS, submit=True, revision=0)
    other = replies.save_reply(participant, {**ANSWERS, "q5_new_project": True}, submit=True, revision=0)
    monkeypatch.undo()
    assert len(lookups) == 3  # the first save looked twice: once before its refused insert, once after
    assert same.saved and not same.conflicts  # the same answers: nothing to confirm, nothing written twice
    assert not other.saved and other.conflicts  # different answers from a stale page: shown, not saved over
    reply = Response.objects.get(participant=participant)
    assert (reply.revision, reply.q5_new_project) == (1, False)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_two_first_submissions_at_once_make_one_reply(participant_factory):
    participant = participant_factory()
    start, outcomes, errors = threading.Barrier(2), [], []

    def submit(q5: bool) -> None:
        try:
            own = Participant.objects.select_related("workshop").get(pk=participant.pk)
            start.wait()
            outcomes.append(replies.save_reply(own, {**ANSWERS, "q5_new_project": q5}, submit=True, revision=0))
        except Exception as error:  # reported by the assertion below, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(q5,)) for q5 in (False, True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert Response.objects.filter(participant=participant).count() == 1
    assert sorted(outcome.saved for outcome in outcomes) == [False, True]  # one stored, one shown as a conflict
    stored = Response.objects.get(participant=participant)
    winner = next(outcome for outcome in outcomes if outcome.saved)
    assert stored.revision == 1 and stored.q5_new_project == winner.response.q5_new_project


def test_a_first_save_read_before_another_one_is_retried_on_the_stored_row(participant_factory):
    from surveys.questionnaire.links import participant_for_token

    participant = participant_factory()
    # Two tabs read the participant without a reply; the first one's submit inserts it.
    first_tab, second_tab = participant_for_token(participant.token), participant_for_token(participant.token)
    replies.save_reply(first_tab, ANSWERS, submit=True, revision=0)
    outcome = replies.save_reply(second_tab, {**ANSWERS, "q5_new_project": True}, submit=True, revision=0)
    assert not outcome.saved and outcome.conflicts  # its insert was refused; the stored reply differs: shown
    assert Response.objects.filter(participant=participant).count() == 1
    assert Response.objects.get(participant=participant).q5_new_project is False
