"""The questionnaire page kept per workshop and language (surveys.questionnaire.pages): the same page as the ordinary
render of its template, byte for byte; never stale when the workshop changes; each participant in their own language;
the kept parts rendered once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import timezone, translation

from surveys.models import Response, Status
from surveys.questionnaire import pages
from surveys.questionnaire.forms import QuestionnaireForm
from surveys.questionnaire.views import questionnaire_context
from tests.helpers import answers
from workshops.models import Workshop

pytestmark = pytest.mark.django_db

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def ordinary_render(request, participant, context) -> str:
    """The page as the template renders it with every value at once, the workshop's row included."""
    key = pages.QuestionnaireKey.of(participant.workshop, context["due"])
    return render_to_string(
        "surveys/questionnaire.html", {**key.context(), "workshop": participant.workshop, **context}, request
    )


def both_renders(participant, reply, form=None, **extra) -> tuple[str, str]:
    request = RequestFactory().get(reverse("surveys:questionnaire", args=[participant.token]))
    with translation.override(participant.language):
        context = questionnaire_context(request, participant, reply, form, **extra)
        kept = pages.questionnaire_page(participant.workshop, context["due"]).render(context)
        ordinary = ordinary_render(request, participant, context)
    # The CSRF token is masked anew each time it is asked for.
    return CSRF_INPUT.sub("csrf", kept), CSRF_INPUT.sub("csrf", ordinary)


def submitted(participant, **fields) -> Response:
    return Response.objects.create(
        participant=participant,
        status=Status.SUBMITTED,
        submitted_at=timezone.now(),
        revision=1,
        q2_utilization="Profiles <shared> & used",
        q3_direct_effects=True,
        **fields,
    )


class TestSameAsTheOrdinaryRender:
    @pytest.mark.parametrize("language", ["en", "fr"])
    def test_a_first_visit(self, participant, language):
        participant.language = language
        kept, ordinary = both_renders(participant, Response(participant=participant, contact_email=participant.email))
        assert kept == ordinary
        assert participant.name in kept and participant.workshop.title in kept

    def test_a_submitted_late_reply_past_its_due_date(self, participant):
        Workshop.objects.filter(pk=participant.workshop.pk).update(
            due_date_override=timezone.localdate() - dt.timedelta(days=2)
        )
        participant.workshop.refresh_from_db()
        kept, ordinary = both_renders(participant, submitted(participant, late=True))
        assert kept == ordinary
        assert "after the due date" in kept and "The due date has passed" in kept and "Save changes" in kept

    def test_a_form_with_errors_and_a_conflict(self, participant):
        reply = submitted(participant)
        form = QuestionnaireForm(answers(q3_direct_effects=None, q1_shared_with="twelve"), instance=reply, submit=True)
        assert not form.is_valid()
        kept, ordinary = both_renders(participant, reply, form, conflicts=[("Q2", "old <b>", "new")])
        assert kept == ordinary
        assert 'id="error-summary"' in kept and 'id="conflict-notice"' in kept and "old &lt;b&gt;" in kept

    def test_a_saved_draft(self, participant):
        draft = Response.objects.create(participant=participant, revision=1, q1_others=True)
        kept, ordinary = both_renders(participant, draft, saved="draft")
        assert kept == ordinary
        assert "Your draft is saved" in kept


class TestNeverStale:
    def test_a_changed_title_dates_venue_or_due_date_is_on_the_next_page(self, client, participant, url):
        workshop = participant.workshop
        assert workshop.title in client.get(url).content.decode()
        workshop.title, workshop.venue = "Renamed workshop", "Suva, Fiji"
        workshop.start_date, workshop.end_date = dt.date(2020, 2, 3), dt.date(2020, 2, 6)
        workshop.save()
        html = client.get(url).content.decode()
        assert "Renamed workshop" in html and "3-6 February 2020, Suva, Fiji" in html
        # Changed without save() (no signal, no updated_at): the page follows the row all the same.
        due = timezone.localdate() + dt.timedelta(days=30)
        Workshop.objects.filter(pk=workshop.pk).update(title="Renamed again", due_date_override=due)
        html = client.get(url).content.decode()
        assert "Renamed again" in html and "Renamed workshop" not in html
        assert f"Please reply by {due.day} {due:%B %Y}." in html

    def test_the_kept_page_shows_nothing_of_the_workshop_beyond_its_key(self, participant):
        # The kept render reads a workshop made of the key's fields alone: had the template read another field of
        # the row, the two renders would differ.
        participant.workshop.title = "Workshop on <AEO> & trade"
        kept, ordinary = both_renders(participant, Response(participant=participant))
        assert kept == ordinary
        assert "Workshop on &lt;AEO&gt; &amp; trade" in kept


class TestLanguages:
    def test_a_french_and_an_english_participant_of_one_workshop_each_get_their_own(
        self, client, participant, participant_factory
    ):
        french = participant_factory(workshop=participant.workshop, name="Awa Koné", language="fr")
        urls = {
            "en": reverse("surveys:questionnaire", args=[participant.token]),
            "fr": reverse("surveys:questionnaire", args=[french.token]),
        }
        for language in ("en", "fr", "en", "fr"):
            html = client.get(urls[language]).content.decode()
            assert f'<html lang="{language}"' in html
            if language == "fr":
                assert "Veuillez répondre d'ici le" in html and "Awa Koné" in html
                assert "Please reply by" not in html and participant.name not in html
            else:
                assert "Please reply by" in html and participant.name in html
                assert "Veuillez répondre" not in html and "Awa Koné" not in html


class TestRenderedOnce:
    def test_the_kept_parts_are_rendered_once_per_workshop_and_language(self, client, participant, participant_factory):
        rendered = []

        def count(sender, template, context, **kwargs):
            if template.name == "surveys/questionnaire.html":
                rendered.append(template.name)

        same_workshop = participant_factory(workshop=participant.workshop)
        french = participant_factory(workshop=participant.workshop, language="fr")
        template_rendered.connect(count)
        try:
            for someone in (participant, same_workshop, participant, same_workshop):
                assert client.get(reverse("surveys:questionnaire", args=[someone.token])).status_code == 200
            assert len(rendered) == 1
            client.get(reverse("surveys:questionnaire", args=[french.token]))
            assert len(rendered) == 2
        finally:
            template_rendered.disconnect(count)


class TestFreshParts:
    def test_a_fresh_part_whose_marker_a_filter_changed_is_refused(self, settings):
        templates = {
            "plain.html": "{% load kept %}<p>{{ kept }}|{% fresh %}{{ name }}{% endfresh %}</p>",
            "upper.html": "{% load kept %}{% filter upper %}{% fresh %}x{% endfresh %}{% endfilter %}",
        }
        settings.TEMPLATES = [
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", templates)]},
            }
        ]
        page = pages.keep("plain.html", {"kept": "K", "name": "never read"})
        assert page.kept == ("<p>K|", "</p>")
        assert page.render({"name": "<Ann>", "kept": "not read"}) == "<p>K|&lt;Ann&gt;</p>"
        with pytest.raises(ImproperlyConfigured):
            pages.keep("upper.html", {})
