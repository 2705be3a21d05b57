"""Closed means closed, in the admin and on the quoting page: a final edition's texts and quotes are shown, not
changed, by a survey manager or anybody; reopening is its own action, asked for, kept in the history, and brings the
edition back to draft and the round open."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse

from reports.models import EditionStatus, Quote, ReportEdition, Section
from surveys.models import Response
from surveys.questionnaire import rounds
from tests.helpers import finish
from workshops.roles import REPORT_VIEWERS, SURVEY_MANAGERS

pytestmark = pytest.mark.django_db

FISCAL_YEAR = 2019


@pytest.fixture
def manager(client, django_user_model):
    user = django_user_model.objects.create_user("manager", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=SURVEY_MANAGERS))
    client.force_login(user)
    return client


@pytest.fixture
def final(demo_data) -> ReportEdition:
    edition = ReportEdition.objects.create(fiscal_year=FISCAL_YEAR, foreword="As published.")
    reply = Response.objects.replies().filter(q2_utilization__gt="").first()
    Quote.objects.create(
        edition=edition, response=reply, answer="q2_utilization", excerpt="Quoted.", section=Section.OPERATIONAL
    )
    finish(edition).make_final()
    return edition


def _form(edition: ReportEdition, **changes) -> dict:
    data = {
        "fiscal_year": edition.fiscal_year,
        "language": edition.language,
        "publication_date": "",
        "foreword": edition.foreword,
        "executive_summary": "",
        "introduction": "",
        "conclusion": "",
        "contact": "",
        "signatory_name": "",
        "signatory_title": "",
        "quotes-TOTAL_FORMS": "0",
        "quotes-INITIAL_FORMS": "0",
    }
    return data | changes


def test_a_survey_manager_cannot_change_a_final_editions_texts(manager, final):
    url = reverse("admin:reports_reportedition_change", args=[final.pk])
    page = manager.get(url)
    assert page.status_code == 200  # shown, read-only
    assert b'name="foreword"' not in page.content
    assert b"As published." in page.content
    assert manager.post(url, _form(final, foreword="Rewritten.")).status_code == 403
    final.refresh_from_db()
    assert final.foreword == "As published."


def test_the_control_a_draft_edition_is_changed(manager, final):
    final.reopen()
    url = reverse("admin:reports_reportedition_change", args=[final.pk])
    data = _form(final, foreword="Rewritten.")
    data |= {"quotes-TOTAL_FORMS": "1", "quotes-INITIAL_FORMS": "1"}
    quote = final.quotes.get()
    data |= {
        "quotes-0-id": quote.pk,
        "quotes-0-edition": final.pk,
        "quotes-0-section": quote.section,
        "quotes-0-order": quote.order,
        "quotes-0-response": quote.response_id,
        "quotes-0-answer": quote.answer,
        "quotes-0-excerpt": quote.excerpt,
    }
    assert manager.post(url, data).status_code == 302
    final.refresh_from_db()
    assert final.foreword == "Rewritten."


def test_a_final_editions_quotes_are_frozen_in_the_admin(manager, final):
    quote = final.quotes.get()
    change = reverse("admin:reports_quote_change", args=[quote.pk])
    data = {
        "response": quote.response_id,
        "answer": quote.answer,
        "excerpt": "Changed.",
        "section": quote.section,
        "order": 0,
    }
    assert manager.post(change, data).status_code == 403
    assert manager.post(reverse("admin:reports_quote_delete", args=[quote.pk]), {"post": "yes"}).status_code == 403
    # A new quote of a reply of that round: refused by the form, with the reason.
    other = Response.objects.replies().exclude(pk=quote.response_id).filter(q2_utilization__gt="").first()
    added = manager.post(reverse("admin:reports_quote_add"), {**data, "response": other.pk})
    assert added.status_code == 200
    assert "The FY2019/20 report is final" in added.content.decode()
    assert Quote.objects.count() == 1
    quote.refresh_from_db()
    assert quote.excerpt == "Quoted."


def test_the_quoting_page_refuses_a_quote_of_a_final_edition(manager, final):
    other = Response.objects.replies().exclude(pk=final.quotes.get().response_id).filter(q2_utilization__gt="").first()
    page = manager.post(
        reverse("reports:quote_texts", args=[FISCAL_YEAR]),
        {"response": other.pk, "answer": "q2_utilization", "excerpt": "Late quote.", "section": "2.3a"},
    )
    assert page.status_code == 200
    assert "The FY2019/20 report is final" in page.content.decode()
    assert Quote.objects.count() == 1


def test_reopening_asks_is_logged_and_opens_the_round(manager, final):
    url = reverse("admin:reports_reportedition_reopen", args=[final.pk])
    change = manager.get(reverse("admin:reports_reportedition_change", args=[final.pk]))
    assert url.encode() in change.content
    asked = manager.get(url)
    assert asked.status_code == 200
    assert b"opens the round" in asked.content
    final.refresh_from_db()
    assert final.is_final  # asking changed nothing
    assert manager.post(url, {}).status_code == 200  # not confirmed: asked again
    assert manager.post(url, {"confirmed": "yes"}).status_code == 302
    final.refresh_from_db()
    assert final.status == EditionStatus.DRAFT and final.finalized_at is None
    assert not rounds.is_closed(FISCAL_YEAR)
    entry = LogEntry.objects.get(object_id=str(final.pk))
    assert entry.get_change_message() == "Reopened: back to draft; its round is open again."
    assert entry.user.username == "manager" and "FY2019/20" in entry.object_repr
    # The edition's history shows it in the reader's language.
    history = reverse("admin:reports_reportedition_history", args=[final.pk])
    assert "Reopened: back to draft; its round is open again." in manager.get(history).content.decode()
    french = manager.get(history, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Rouvert : de nouveau un projet ; son cycle est rouvert." in french


def test_a_report_viewer_cannot_reopen(client, django_user_model, final):
    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    viewer.groups.add(Group.objects.get(name=REPORT_VIEWERS))
    client.force_login(viewer)
    assert (
        client.post(reverse("admin:reports_reportedition_reopen", args=[final.pk]), {"confirmed": "yes"}).status_code
        == 302
    )
    final.refresh_from_db()
    assert final.is_final
    assert rounds.is_closed(FISCAL_YEAR)
