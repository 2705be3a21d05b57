import datetime as dt
import re

import pytest
from django.urls import reverse

from reports import standing_texts
from reports.models import EditionStatus, ReportEdition
from surveys.models import Response, SurveyRound
from surveys.questionnaire import rounds
from tests.helpers import finish

pytestmark = pytest.mark.django_db


def test_make_final_action_asks_first_then_closes_the_round(staff_client, replied_round):
    edition = finish(ReportEdition.objects.create(fiscal_year=2019))
    url = reverse("admin:reports_reportedition_changelist")
    asked = staff_client.post(url, {"action": "make_final", "_selected_action": [edition.pk]})
    assert asked.status_code == 200
    assert b"closes the round" in asked.content
    assert not rounds.is_closed(2019)
    done = staff_client.post(url, {"action": "make_final", "_selected_action": [edition.pk], "confirmed": "yes"})
    assert done.status_code == 302
    edition.refresh_from_db()
    assert edition.status == EditionStatus.FINAL and edition.finalized_at is not None
    assert rounds.is_closed(2019)
    assert SurveyRound.objects.get(fiscal_year=2019).closed_by.username == "staffer"


def test_make_final_button_on_the_edition(staff_client, replied_round):
    edition = finish(ReportEdition.objects.create(fiscal_year=2019))
    change = staff_client.get(reverse("admin:reports_reportedition_change", args=[edition.pk]))
    url = reverse("admin:reports_reportedition_make_final", args=[edition.pk])
    assert url.encode() in change.content
    assert staff_client.get(url).status_code == 200
    assert not rounds.is_closed(2019)
    assert staff_client.post(url).status_code == 302
    assert rounds.is_closed(2019)


def test_status_is_not_editable_by_hand(staff_client):
    edition = ReportEdition.objects.create(fiscal_year=2019)
    page = staff_client.get(reverse("admin:reports_reportedition_change", args=[edition.pk]))
    assert b'name="status"' not in page.content


def test_a_new_edition_starts_from_the_standing_introduction(staff_client):
    page = staff_client.get(reverse("admin:reports_reportedition_add"))
    assert standing_texts.introduction("en")[:60].encode() in page.content


def test_quote_add_form_is_prefilled_from_the_answer(staff_client, demo_data):
    reply = Response.objects.get(participant__workshop__code="FY19-AEO", participant__administration__code="MN")
    url = reverse("admin:reports_quote_add") + f"?response={reply.pk}&answer=q5_text"
    page = staff_client.get(url)
    assert b"AEO application system project has been developed." in page.content


def test_replies_list_links_to_quoting(staff_client, demo_data):
    page = staff_client.get(reverse("admin:surveys_response_changelist"))
    assert b"Quote this reply" in page.content


def test_make_final_refuses_an_unfinished_edition_and_says_what_is_missing(staff_client):
    edition = ReportEdition.objects.create(fiscal_year=2019, foreword="Thanks.", contact="rocbap@rocbap.example.org")
    url = reverse("admin:reports_reportedition_changelist")
    refused = staff_client.post(
        url, {"action": "make_final", "_selected_action": [edition.pk], "confirmed": "yes"}, follow=True
    )
    text = refused.content.decode()
    assert "cannot be made final yet" in text
    assert "the conclusion" in text and "the publication date" in text and "example address" in text
    assert "the foreword" not in text
    button = staff_client.post(reverse("admin:reports_reportedition_make_final", args=[edition.pk]), follow=True)
    assert "cannot be made final yet" in button.content.decode()
    edition.refresh_from_db()
    assert not edition.is_final and not rounds.is_closed(2019)


def test_the_confirmation_states_the_round_it_publishes(staff_client, demo_data):
    # The figures as the report counts them (Table 1's total line): 28 of the 40 participants replied.
    edition = finish(ReportEdition.objects.create(fiscal_year=2019))
    page = staff_client.get(reverse("admin:reports_reportedition_make_final", args=[edition.pk]))
    figures = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))
    assert "Participants 40 Replies 28 Reply rate 70% Surveys still open none" in figures
    assert not rounds.is_closed(2019)


def test_the_confirmation_in_french(staff_client, demo_data):
    edition = finish(ReportEdition.objects.create(fiscal_year=2019))
    url = reverse("admin:reports_reportedition_make_final", args=[edition.pk])
    page = staff_client.get(url, headers={"accept-language": "fr"})
    figures = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))
    assert "Réponses 28 Taux de réponse 70 % Enquêtes encore ouvertes aucune" in figures
    assert "70\u202f%" in page.content.decode()  # as French writes a percentage


def test_make_final_refuses_a_round_in_progress_and_says_why(staff_client, participant_factory):
    participant_factory(workshop=None)  # FY2019/20, never replied
    edition = finish(ReportEdition.objects.create(fiscal_year=2019, publication_date=dt.date(2020, 5, 1)))
    refused = staff_client.post(reverse("admin:reports_reportedition_make_final", args=[edition.pk]), follow=True)
    text = refused.content.decode()
    assert "cannot be made final yet: the fiscal year has no reply; the publication date (1 May 2020)" in text
    assert b"Yes, make final" not in refused.content
    edition.refresh_from_db()
    assert not edition.is_final and not rounds.is_closed(2019)
