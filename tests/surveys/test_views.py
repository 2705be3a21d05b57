from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from surveys import instrument
from surveys.models import Response, Status
from surveys.questionnaire import rounds
from surveys.questionnaire.schedule import schedule_for
from tests.helpers import answers

pytestmark = pytest.mark.django_db


def reply_of(participant) -> Response:
    return Response.objects.get(participant=participant)


class TestPage:
    def test_header_notes_and_questions_in_the_instruments_words_and_order(self, client, participant, url):
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        workshop = participant.workshop
        for text in (
            instrument.with_office(instrument.TITLE, "ROCB A/P"),
            workshop.title,
            workshop.dates_display,
            workshop.venue,
            participant.administration.name,
            f"Please reply by {schedule_for(workshop).due.day} {schedule_for(workshop).due:%B %Y}",
            *(instrument.with_office(note, "ROCB A/P") for note in instrument.NOTES),
        ):
            assert escape(text) in html
        positions = [html.index(escape(f"{q.number}. {q.text}")) for q in instrument.QUESTIONS]
        assert positions == sorted(positions)
        for wording in dict(instrument.Q1.options).values():
            assert escape(str(wording)) in html
        assert participant.email in html  # contact e-mail prefilled

    def test_every_control_is_labelled_and_choices_sit_in_fieldsets(self, client, url):
        html = client.get(url).content.decode()
        ids = re.findall(r'<(?:input|textarea)[^>]*\bid="([^"]+)"', html)
        assert len(ids) >= 16
        for control_id in ids:
            assert f'for="{control_id}"' in html, control_id
        # A question answered in one box is that box's label; one with several controls is a fieldset whose
        # legend is the question, and names each of its controls (aria-labelledby).
        grouped = [q for q in instrument.QUESTIONS if len(q.fields) > 1]
        assert html.count("<fieldset") == html.count("<legend") == len(grouped)
        for question in instrument.QUESTIONS:
            words = escape(f"{question.number}. {question.text}")
            if question in grouped:
                question_id = f"{question.number.lower()}_question"
                assert f'<legend class="question-text" id="{question_id}">{words}</legend>' in html
                for name in question.fields:
                    controls = re.findall(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', html)
                    assert controls, name
                    for control in controls:
                        assert f'aria-labelledby="{question_id} ' in control, control
            else:
                (name,) = question.fields
                assert re.search(rf'<label class="question-text" for="id_{name}"[^>]*>{re.escape(words)}</label>', html)

    def test_no_inline_script_or_style(self, client, url):
        html = client.get(url).content.decode()
        # The one script is a static file (the Content-Security-Policy refuses inline ones) and only an
        # enhancement: every control is a plain form control that posts without it.
        assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/surveys/keep.js" defer>']
        assert "</script>" in html and '<script src="/static/surveys/keep.js" defer></script>' in html
        assert "style=" not in html

    def test_security_headers(self, client, url):
        page = client.get(url)
        assert page["Cache-Control"] == "no-store"
        assert page["Referrer-Policy"] == "same-origin"  # never to other sites; see views.TOKEN_PAGE_HEADERS
        assert "noindex" in page["X-Robots-Tag"]

    def test_csrf_is_enforced(self, participant, url):
        from django.test import Client

        strict = Client(enforce_csrf_checks=True)
        assert strict.post(url, answers()).status_code == 403
        assert not Response.objects.filter(participant=participant).exists()
        page = strict.get(url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
        assert strict.post(url, answers(csrfmiddlewaretoken=token)).status_code == 302


class TestSubmit:
    def test_submit_stores_the_reply_and_thanks(self, client, participant, url):
        page = client.post(url, answers())
        assert page.status_code == 302
        assert page["Location"] == reverse("surveys:thanks", args=[participant.token])
        reply = reply_of(participant)
        assert reply.status == Status.SUBMITTED
        assert reply.submitted_at is not None
        assert reply.q1_shared_with == 12
        assert reply.q3_direct_effects is True
        assert reply.q5_new_project is False
        assert reply.contact_email == "somchai@customs.example.org"
        assert reply.late is False
        thanks = client.get(page["Location"]).content.decode()
        assert "Thank you for your reply" in thanks
        assert "Two seizures of precursor chemicals." in thanks
        assert "Submitted a mission report to superiors" in thanks

    def test_missing_q3_shows_the_error_and_keeps_everything_typed(self, client, participant, url):
        page = client.post(url, answers(q3_direct_effects=None, q2_utilization="Kept <b>text</b> ສະບາຍດີ"))
        assert page.status_code == 200
        html = page.content.decode()
        assert 'id="error-summary"' in html
        assert 'href="#id_q3_direct_effects_0"' in html
        assert "Please answer Q3" in html
        assert "Kept &lt;b&gt;text&lt;/b&gt; ສະບາຍດີ" in html
        assert 'value="12"' in html
        assert 'name="q1_submitted_report" id="id_q1_submitted_report" checked' in html
        assert 'value="yes" checked' in html  # Q4 stays chosen
        assert not Response.objects.filter(participant=participant, status=Status.SUBMITTED).exists()

    def test_invalid_number_is_kept_as_typed(self, client, url):
        html = client.post(url, answers(q1_shared_with="twelve")).content.decode()
        assert 'value="twelve"' in html
        assert "Enter a whole number" in html

    def test_late_reply_is_accepted_and_marked(self, client, participant_factory, workshop_factory):
        workshop = workshop_factory(due_date_override=timezone.localdate() - dt.timedelta(days=1))
        late = participant_factory(workshop=workshop)
        url = reverse("surveys:questionnaire", args=[late.token])
        assert "The due date has passed" in client.get(url).content.decode()
        assert client.post(url, answers()).status_code == 302
        assert reply_of(late).late is True

    def test_free_text_in_any_script_round_trips_and_is_never_html(self, client, participant, url):
        text = "ด่านศุลกากร ກົມພາສີ 海关总署 <script>alert(1)</script>\nline two"
        client.post(url, answers(q2_utilization=text))
        assert reply_of(participant).q2_utilization == text
        html = client.get(reverse("surveys:thanks", args=[participant.token])).content.decode()
        assert "ด่านศุลกากร ກົມພາສີ 海关总署 &lt;script&gt;" in html
        assert "<script>alert(1)" not in html


class TestDraft:
    def test_draft_keeps_whatever_is_there_and_resumes(self, client, participant, url):
        page = client.post(url, answers(submit=None, draft="1", q3_direct_effects=None, q1_others="on"))
        assert page.status_code == 302
        assert page["Location"].endswith("?saved=draft")
        reply = reply_of(participant)
        assert reply.status == Status.DRAFT
        assert reply.submitted_at is None
        assert reply.q1_others is True
        resumed = client.get(page["Location"]).content.decode()
        assert "Your draft is saved" in resumed
        assert "Risk profiles are now shared every week." in resumed
        assert 'value="1"' in resumed  # the draft's revision
        assert "Save draft" in resumed

    def test_draft_then_submit(self, client, participant, url):
        client.post(url, answers(submit=None, draft="1"))
        assert client.post(url, answers(revision="1")).status_code == 302
        assert reply_of(participant).status == Status.SUBMITTED


class TestChangeAfterSubmit:
    def test_change_keeps_first_submission_time(self, client, participant, url):
        client.post(url, answers())
        first = reply_of(participant)
        Response.objects.filter(pk=first.pk).update(submitted_at=first.submitted_at - dt.timedelta(days=3))
        first.refresh_from_db()
        page = client.get(url).content.decode()
        assert "You submitted your reply" in page
        assert "Save draft" not in page
        client.post(url, answers(revision="1", q5_new_project="yes", q5_text="Single window pilot"))
        changed = reply_of(participant)
        assert changed.q5_new_project is True
        assert changed.submitted_at == first.submitted_at
        assert changed.changed_at > first.changed_at
        assert changed.revision == 2

    def test_submitted_reply_never_goes_back_to_draft(self, client, participant, url):
        client.post(url, answers())
        page = client.post(url, answers(revision="1", submit=None, draft="1", q3_direct_effects=None))
        assert page.status_code == 200
        assert "Please answer Q3" in page.content.decode()
        assert reply_of(participant).status == Status.SUBMITTED


class TestNoLostOrDoubledReply:
    def test_resent_post_makes_one_reply(self, client, participant, url):
        assert client.post(url, answers()).status_code == 302
        again = client.post(url, answers())  # the same POST again (double click, reload)
        assert again.status_code == 302
        assert Response.objects.filter(participant=participant).count() == 1
        assert reply_of(participant).revision == 1

    def test_stale_page_does_not_overwrite_a_newer_reply(self, client, participant, url):
        client.post(url, answers())  # tab A submits: revision 1
        client.post(url, answers(revision="1", q2_utilization="Newer text from tab A"))  # revision 2
        stale = client.post(url, answers(revision="1", q2_utilization="Older text from tab B"))
        assert stale.status_code == 200
        html = stale.content.decode()
        assert 'id="conflict-notice"' in html
        assert "Newer text from tab A" in html
        assert "Older text from tab B" in html  # kept in the textarea for confirmation
        assert 'name="revision" value="2"' in html
        assert reply_of(participant).q2_utilization == "Newer text from tab A"
        client.post(url, answers(revision="2", q2_utilization="Older text from tab B"))  # confirmed
        assert reply_of(participant).q2_utilization == "Older text from tab B"


class TestClosedRound:
    def test_closed_round_shows_the_reply_read_only(self, client, participant, url):
        client.post(url, answers())
        rounds.close(participant.workshop.fiscal_year)
        page = client.get(url).content.decode()
        assert "This survey round is closed" in page
        assert "Two seizures of precursor chemicals." in page
        assert "<form" not in page
        client.post(url, answers(revision="1", q3_text="too late"))
        assert reply_of(participant).q3_text == "Two seizures of precursor chemicals."

    def test_a_reopened_round_takes_replies_again(self, client, participant, url):
        rounds.close(participant.workshop.fiscal_year)
        rounds.reopen(participant.workshop.fiscal_year)
        assert "<form" in client.get(url).content.decode()


class TestLinks:
    def test_unknown_token_is_404_revealing_nothing(self, client, participant):
        page = client.get(reverse("surveys:questionnaire", args=["x" * 43]))
        assert page.status_code == 404
        html = page.content.decode()
        assert participant.workshop.title not in html
        assert participant.name not in html
        assert page["Cache-Control"] == "no-store"

    def test_participant_sees_only_their_own_reply(self, client, participant, participant_factory, url):
        client.post(url, answers(q2_utilization="Mine alone"))
        other = participant_factory(workshop=participant.workshop)
        html = client.get(reverse("surveys:questionnaire", args=[other.token])).content.decode()
        assert "Mine alone" not in html
        assert other.name in html
        thanks = client.get(reverse("surveys:thanks", args=[other.token]))
        assert thanks.status_code == 302  # nothing submitted yet: back to the form

    def test_revoked_link_is_404(self, client, participant, url):
        from surveys.questionnaire.links import revoke

        new_link = revoke(participant)
        assert client.get(url).status_code == 404
        assert client.get(new_link.split("127.0.0.1:8000", 1)[-1]).status_code == 200

    def test_guessing_is_throttled(self, client, settings, participant, url):
        settings.TOKEN_GUESS_LIMIT = 3
        for number in range(3):
            assert client.get(reverse("surveys:questionnaire", args=[f"guess{number}"])).status_code == 404
        assert client.get(reverse("surveys:questionnaire", args=["guess4"])).status_code == 429
        assert client.get(reverse("surveys:questionnaire", args=["guess5"])).status_code == 429
        assert client.get(url).status_code == 200  # a real participant behind the same address still gets in
        other_address = client.get(reverse("surveys:questionnaire", args=["guess6"]), REMOTE_ADDR="10.0.0.7")
        assert other_address.status_code == 404

    def test_behind_the_proxy_each_client_is_counted_apart(self, client, settings):
        # Behind the production proxy every request comes from the proxy's address: the throttle must count the
        # client the proxy appended to X-Forwarded-For, or one guesser would lock out every participant.
        settings.HTTPS, settings.SECURE_SSL_REDIRECT, settings.TOKEN_GUESS_LIMIT = True, False, 2
        proxy = {"REMOTE_ADDR": "10.0.0.1", "secure": True}
        for number in range(2):
            page = client.get(f"/r/guess{number}/", HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
            assert page.status_code == 404
        assert client.get("/r/guess3/", HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy).status_code == 429
        assert client.get("/r/guess4/", HTTP_X_FORWARDED_FOR="198.51.100.4", **proxy).status_code == 404


class TestQueries:
    """The page every participant opens, and their submit, as few queries as the ORM allows."""

    def test_the_page_is_one_query(self, client, url, django_assert_num_queries):
        client.get(url)  # the CSRF cookie, as a browser has it on a later visit
        with django_assert_num_queries(1):
            assert client.get(url).status_code == 200

    def test_a_first_submit_reads_once_checks_the_round_and_inserts(
        self, client, participant, url, django_assert_num_queries
    ):
        # The participant with the round's state and no reply; in the transaction the round again, under its lock,
        # and the insert (the test's own savepoint and its release make two more). The round has its row, as once
        # any reply of the year was saved on PostgreSQL (the first one makes it, to have a row to lock).
        from surveys.questionnaire import rounds

        rounds.reopen(participant.workshop.fiscal_year)
        with django_assert_num_queries(5):
            assert client.post(url, answers()).status_code == 302
        assert reply_of(participant).is_reply

    def test_a_page_with_a_stored_reply_in_french_is_one_query(self, client, participant, url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.post(url, answers())
        participant.language = "fr"
        participant.save(update_fields=["language"])
        client.get(url)  # the French page's kept parts, rendered once
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        assert "Two seizures of precursor chemicals." in html and "Vous avez envoyé votre réponse" in html
        assert [query["sql"].split()[0] for query in queries] == ["SELECT"]

    def test_a_change_reads_checks_the_round_locks_the_reply_and_updates(self, client, participant, url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.post(url, answers())
        with CaptureQueriesContext(connection) as queries:
            assert client.post(url, answers(revision="1", q4_text="Faster clearance.")).status_code == 302
        statements = [query["sql"].split()[0] for query in queries if "SAVEPOINT" not in query["sql"]]
        assert statements == ["SELECT", "SELECT", "SELECT", "UPDATE"]
        assert reply_of(participant).q4_text == "Faster clearance."

    def test_a_refused_submit_is_one_query(self, client, url, django_assert_num_queries):
        client.get(url)
        with django_assert_num_queries(1):
            page = client.post(url, answers(q3_direct_effects=None))
        assert page.status_code == 200 and "Please answer Q3" in page.content.decode()
