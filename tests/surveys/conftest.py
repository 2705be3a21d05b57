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


def answers(**overrides) -> dict:
    """A complete, valid reply as the browser posts it."""
    data = {
        "revision": "0",
        "contact_email": "somchai@customs.example.org",
        "q1_shared_materials": "on",
        "q1_shared_with": "12",
        "q1_submitted_report": "on",
        "q1bis_colleagues_learned": "8",
        "q2_utilization": "Risk profiles are now shared every week.",
        "q3_direct_effects": "yes",
        "q3_text": "Two seizures of precursor chemicals.",
        "q4_contributed": "yes",
        "q4_text": "",
        "q5_new_project": "no",
        "q5_text": "",
        "submit": "1",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
