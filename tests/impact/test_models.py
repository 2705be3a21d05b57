"""Success stories (impact.models): one per description, only on replies, the excerpt apart from the reply."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from impact.models import Kind, SuccessStory

pytestmark = pytest.mark.django_db


def test_a_story_takes_administration_workshop_and_year_from_its_reply(reply_factory, workshop_factory):
    workshop = workshop_factory(start_date=dt.date(2022, 9, 5), end_date=dt.date(2022, 9, 9))
    reply = reply_factory(workshop=workshop, administration="MY")
    story = SuccessStory.objects.create(response=reply, answer="q3_text", excerpt="A risk unit.", kind=Kind.UNIT)
    assert (story.administration.code, story.workshop, story.fiscal_year) == ("MY", workshop, 2022)
    assert story.description == "A new risk management unit was set up."  # the reply as written


def test_the_excerpt_is_edited_apart_from_the_reply(reply_factory):
    reply = reply_factory()
    story = SuccessStory(response=reply, answer="q3_text", excerpt="", kind=Kind.UNIT)
    story.full_clean()
    assert story.excerpt == "A new risk management unit was set up."  # starts as the reply's text
    story.excerpt = "Risk unit"
    story.save()
    reply.refresh_from_db()
    assert reply.q3_text == "A new risk management unit was set up."


def test_a_draft_holds_no_story(reply_factory):
    story = SuccessStory(response=reply_factory(draft=True), answer="q3_text", excerpt="x", kind=Kind.UNIT)
    with pytest.raises(ValidationError, match="draft"):
        story.full_clean()


def test_an_empty_description_holds_no_story(reply_factory):
    story = SuccessStory(response=reply_factory(q5_text=""), answer="q5_text", excerpt="x", kind=Kind.PROJECT)
    with pytest.raises(ValidationError, match="no text"):
        story.full_clean()


def test_one_story_per_description(reply_factory):
    reply = reply_factory()
    SuccessStory.objects.create(response=reply, answer="q3_text", excerpt="One", kind=Kind.UNIT)
    with pytest.raises(IntegrityError), transaction.atomic():
        SuccessStory.objects.create(response=reply, answer="q3_text", excerpt="Two", kind=Kind.OTHER)


@pytest.mark.parametrize("values", [{"kind": "smile"}, {"answer": "contact_email"}, {"excerpt": ""}])
def test_the_database_refuses_what_the_form_would(reply_factory, values):
    fields = {"response": reply_factory(), "answer": "q3_text", "excerpt": "A unit.", "kind": Kind.UNIT, **values}
    with pytest.raises(IntegrityError), transaction.atomic():
        SuccessStory.objects.create(**fields)


def test_only_replies_count(reply_factory):
    counted = SuccessStory.objects.create(response=reply_factory(), answer="q3_text", excerpt="A", kind=Kind.UNIT)
    reply = reply_factory()
    SuccessStory.objects.create(response=reply, answer="q3_text", excerpt="B", kind=Kind.UNIT)
    reply.status, reply.submitted_at = "draft", None  # reopened to a draft (e.g. by an import): it counts no more
    reply.save()
    assert list(SuccessStory.objects.counted()) == [counted]
