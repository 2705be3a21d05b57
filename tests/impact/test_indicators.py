"""The office's indicators (impact.indicators): confirmed stories whose reply came in the period, "7 of 10, 30 June
2024"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from impact.indicators import counted_stories, indicator_named, indicator_progress
from impact.models import Kind, SuccessStory

pytestmark = pytest.mark.django_db

KEY = "rsp-2022-2024-tangible-results"


def _story(reply_factory, submitted: dt.date, **fields) -> SuccessStory:
    reply = reply_factory(submitted=submitted, **fields)
    return SuccessStory.objects.create(response=reply, answer="q3_text", excerpt="A unit.", kind=Kind.UNIT)


def test_progress_counts_the_stories_reported_in_the_period(reply_factory):
    inside = [_story(reply_factory, day) for day in (dt.date(2022, 7, 1), dt.date(2023, 6, 1), dt.date(2024, 6, 30))]
    _story(reply_factory, dt.date(2022, 6, 30))  # the day before the plan starts
    _story(reply_factory, dt.date(2024, 7, 1))  # the day after it ends
    draft = _story(reply_factory, dt.date(2023, 6, 1))
    draft.response.status, draft.response.submitted_at = "draft", None
    draft.response.save()
    reply_factory(submitted=dt.date(2023, 6, 2))  # a reply with no story confirmed: nothing counts by itself
    (progress,) = indicator_progress()
    assert progress.count == 3
    assert set(counted_stories(indicator_named(KEY))) == set(inside)
    with translation.override("en"):
        assert progress.summary == "3 of 10, 30 June 2024"
        assert progress.label == "Number of tangible results realized by Members"
    with translation.override("fr"):
        assert progress.summary == "3 sur 10, 30 juin 2024"
    assert not progress.reached


def test_an_office_without_indicators_shows_none(settings):
    import dataclasses

    settings.OFFICE = dataclasses.replace(settings.OFFICE, indicators=())
    assert indicator_progress() == []
    assert indicator_named(KEY) is None
