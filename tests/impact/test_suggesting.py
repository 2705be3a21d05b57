"""The suggestions in the product (impact.suggesting): computed by the named Celery task after a reply is saved and
the transaction commits, stored per description, shown on the staff page; a model that fails to load is said there
and nothing else breaks; the agreement figures."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from impact import suggesting
from impact.models import DescriptionSuggestion, Kind, SuccessStory
from rocbap.celery import app as celery_app

pytestmark = pytest.mark.django_db

UNIT = "A new risk management unit was set up in the Customs department."
KNOWLEDGE = "Improved the knowledge and understanding of participants on the topic."


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_task_is_registered_under_its_name():
    assert suggesting.TASK_NAME in celery_app.tasks


def test_a_reply_saved_queues_its_years_suggestions_after_the_commit(
    settings, reply_factory, django_capture_on_commit_callbacks
):
    settings.SUGGESTIONS_ENABLED = True
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reply = reply_factory(q3_text=UNIT, q2_utilization=KNOWLEDGE)
    assert not DescriptionSuggestion.objects.exists()  # nothing before the commit, nothing in the saving request
    for callback in callbacks:
        callback()  # the commit: the task runs (eagerly here, on a worker in production)
    stored = {s.answer: s for s in DescriptionSuggestion.objects.filter(response=reply)}
    assert (stored["q3_text"].tangible, stored["q3_text"].kind, stored["q3_text"].section) == (True, "unit", "")
    assert stored["q2_utilization"].tangible is False and stored["q2_utilization"].section in ("a", "b")


def test_drafts_and_a_switched_off_setting_queue_nothing(settings, reply_factory, django_capture_on_commit_callbacks):
    settings.SUGGESTIONS_ENABLED = True
    with django_capture_on_commit_callbacks(execute=True):
        reply_factory(draft=True)
    settings.SUGGESTIONS_ENABLED = False
    with django_capture_on_commit_callbacks(execute=True):
        reply_factory()
    assert not DescriptionSuggestion.objects.exists()


def test_refresh_stores_one_per_description_and_marks_near_duplicates(reply_factory):
    first = reply_factory(q3_text=UNIT)
    copied = reply_factory(q3_text=UNIT + " ", q5_text="Nous avons lancé un projet de modernisation des douanes.")
    assert suggesting.refresh(2019) == 3
    assert suggesting.refresh(2019) == 3  # replaces, never adds
    copy = DescriptionSuggestion.objects.get(response=copied, answer="q3_text")
    assert copy.duplicate_of == DescriptionSuggestion.objects.get(response=first, answer="q3_text")
    french = DescriptionSuggestion.objects.get(response=copied, answer="q5_text")
    assert (french.language, french.reason, french.tangible) == ("fr", "not English", None)


def test_a_model_that_fails_to_load_is_said_on_the_staff_page(monkeypatch, manager, reply_factory):
    suggesting.model.cache_clear()

    def broken():
        raise OSError("weights missing")

    monkeypatch.setattr(suggesting.suggestions, "load_model", broken)
    try:
        reply = reply_factory(q3_text=UNIT)
        assert suggesting.refresh(2019) == 0
        page = manager.get(reverse("reports:descriptions", args=[2019]), HTTP_ACCEPT_LANGUAGE="en")
        text = page.content.decode()
        assert page.status_code == 200 and "Suggestions are unavailable" in text and "weights missing" in text
        assert UNIT in text and "Mark as a tangible result" in text  # the rest works
        add = manager.post(
            reverse("admin:impact_successstory_add"),
            {"response": reply.pk, "answer": "q3_text", "excerpt": "Unit", "kind": Kind.UNIT},
        )
        assert add.status_code == 302 and SuccessStory.objects.count() == 1
    finally:
        suggesting.model.cache_clear()
    monkeypatch.undo()
    suggesting.refresh(2019)
    page = manager.get(reverse("reports:descriptions", args=[2019]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Suggestions are unavailable" not in page.content.decode()


def test_the_staff_page_shows_suggestions_and_how_often_staff_agreed(manager, reply_factory):
    marked = reply_factory(q3_text=UNIT)
    reply_factory(q3_text=KNOWLEDGE)
    suggesting.refresh(2019)
    SuccessStory.objects.create(response=marked, answer="q3_text", excerpt="Unit", kind=Kind.UNIT)
    hint, kind, heading = suggesting.agreement(2019)  # the (a)/(b) heading: reports' (tests/reports/test_quotes.py)
    assert (hint.accepted, hint.suggested, hint.n, hint.kappa) == (1, 1, 2, 1.0)
    assert (kind.accepted, kind.suggested, kind.n) == (1, 1, 1)
    assert (heading.name, heading.n) == ("section", 0)  # no quote in the edition yet
    page = manager.get(reverse("reports:descriptions", args=[2019]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Possible tangible result" in page and "suggested kind: Unit or team" in page
    assert "1 / 1 (100%)" in page and "1.00" in page
