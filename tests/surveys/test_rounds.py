"""Round closing: the state of a fiscal year's survey round, kept on the survey side."""

from __future__ import annotations

import pytest
from django.db import transaction

from surveys.models import RoundState, SurveyRound
from surveys.questionnaire import rounds

pytestmark = pytest.mark.django_db


def test_a_round_never_closed_is_open():
    assert not rounds.is_closed(2019)
    assert not SurveyRound.objects.exists()  # asking writes nothing


def test_close_records_when_and_by_whom(django_user_model):
    staff = django_user_model.objects.create_user("closer")
    survey_round = rounds.close(2019, by=staff)
    assert rounds.is_closed(2019) and not rounds.is_closed(2020)
    assert (survey_round.state, survey_round.closed_by) == (RoundState.CLOSED, staff)
    assert survey_round.closed_at is not None
    assert rounds.closed_fiscal_years() == {2019}


def test_closing_again_keeps_the_first_closing(django_user_model):
    first = rounds.close(2019)
    again = rounds.close(2019, by=django_user_model.objects.create_user("late"))
    assert (again.closed_at, again.closed_by) == (first.closed_at, None)
    assert SurveyRound.objects.count() == 1


def test_reopen_opens_the_round_again():
    rounds.close(2019)
    survey_round = rounds.reopen(2019)
    assert not rounds.is_closed(2019)
    assert (survey_round.state, survey_round.closed_at) == (RoundState.OPEN, None)


def test_is_closed_with_lock_inside_a_transaction():
    rounds.close(2019)
    with transaction.atomic():
        assert rounds.is_closed(2019, lock=True)
        assert not rounds.is_closed(2020, lock=True)
