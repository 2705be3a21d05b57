from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _empty_cache():
    # The token-guessing counts live in the cache; each test starts with none.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def participant(participant_factory, workshop_factory):
    import datetime as dt

    from django.utils import timezone

    # A workshop whose survey is under way: due in ten days.
    workshop = workshop_factory(due_date_override=timezone.localdate() + dt.timedelta(days=10))
    return participant_factory(workshop=workshop, name="Somchai Rattanakul", administration="TH")


@pytest.fixture
def url(participant):
    from django.urls import reverse

    return reverse("surveys:questionnaire", args=[participant.token])
