"""Survey managers mark a reply's description as a success story in the admin (impact.admin); report viewers
read the stories and change none."""

from __future__ import annotations

import pytest
from django.urls import reverse

from impact.models import Kind, SuccessStory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:impact_successstory_add")


def test_the_form_starts_from_the_replys_text(manager, reply_factory):
    reply = reply_factory()
    page = manager.get(ADD, {"response": reply.pk, "answer": "q3_text"})
    assert page.status_code == 200
    assert page.context["adminform"].form.initial["excerpt"] == "A new risk management unit was set up."


def test_a_manager_marks_a_description_and_is_recorded_as_confirming_it(manager, reply_factory):
    reply = reply_factory()
    form = {"response": reply.pk, "answer": "q3_text", "excerpt": "Risk unit", "kind": Kind.UNIT, "publishable": "on"}
    answer = manager.post(ADD, form)
    assert answer.status_code == 302, answer.context["adminform"].form.errors
    story = SuccessStory.objects.get()
    assert (story.excerpt, story.kind, story.publishable) == ("Risk unit", "unit", True)
    assert story.confirmed_by.username == "manager" and story.confirmed_at is not None
    reply.refresh_from_db()
    assert reply.q3_text == "A new risk management unit was set up."  # the reply is kept as written
    page = manager.get(reverse("admin:impact_successstory_change", args=[story.pk]))
    assert "A new risk management unit was set up." in page.content.decode()  # shown beside the excerpt


def test_bad_input_gets_a_message_and_saves_nothing(manager, reply_factory):
    draft = reply_factory(draft=True)
    answer = manager.post(ADD, {"response": draft.pk, "answer": "q3_text", "excerpt": "x", "kind": Kind.UNIT})
    assert answer.status_code == 200
    assert "only a reply can hold a result" in str(answer.context["adminform"].form.errors)
    empty = reply_factory(q5_text="")
    answer = manager.post(ADD, {"response": empty.pk, "answer": "q5_text", "excerpt": "", "kind": Kind.PROJECT})
    assert "The reply has no text for this description." in str(answer.context["adminform"].form.errors)
    assert not SuccessStory.objects.exists()


def test_a_report_viewer_reads_stories_and_adds_none(viewer, reply_factory):
    story = SuccessStory.objects.create(response=reply_factory(), answer="q3_text", excerpt="A", kind=Kind.UNIT)
    assert viewer.get(reverse("admin:impact_successstory_changelist")).status_code == 200
    assert viewer.get(ADD).status_code == 403
    form = {"excerpt": "Changed", "kind": Kind.OTHER}
    viewer.post(reverse("admin:impact_successstory_change", args=[story.pk]), form)
    story.refresh_from_db()
    assert story.excerpt == "A"


def test_the_list_filters_by_fiscal_year(manager, reply_factory):
    SuccessStory.objects.create(response=reply_factory(), answer="q3_text", excerpt="A", kind=Kind.UNIT)
    listing = reverse("admin:impact_successstory_changelist")
    assert manager.get(listing, {"fy": "2019"}).context["cl"].result_count == 1
    assert manager.get(listing, {"fy": "2020"}).context["cl"].result_count == 0
    assert manager.get(listing, {"excerpt__regex": "^A"}).status_code == 400  # only the declared filters
