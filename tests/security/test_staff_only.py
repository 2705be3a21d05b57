"""Every staff page (all of /staff/, read from the URL resolver so that a page added later is covered too, and the
admin's workbook import) is for staff only: an anonymous visitor is sent to the login, a logged-in user who is not
staff is refused, and a participant's personal link opens none of them."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from impact import urls as impact_urls
from reports import pdf, pdf_urls, staff_urls
from reports.models import Quote
from surveys.models import Response
from surveys.questionnaire.replies import save_reply
from tests.helpers import staff_patterns
from workshops.roles import SURVEY_MANAGERS

pytestmark = pytest.mark.django_db

FISCAL_YEAR = 2019
LOGIN = reverse("admin:login")
# Every staff page the resolver knows; the known ones are named so that losing a route fails the test too.
KNOWN = {
    "index",
    "fiscal_year",
    "tables_download",
    "workshop_replies",
    "report_pdf",
    "report_pdf_download",
    "quote_texts",
    "quote_reply",
    "indicator_stories",
    "administrations",
    "administration",
    "descriptions",
}


def test_the_resolver_mounts_every_staff_route():
    names = {pattern.name for pattern in staff_patterns()}
    assert names == {p.name for p in staff_urls.urlpatterns + pdf_urls.urlpatterns + impact_urls.urlpatterns}
    assert names >= KNOWN


@pytest.fixture
def site(participant_factory, workshop_factory, settings, tmp_path) -> dict:
    """A surveyed FY2019/20 workshop with one reply, and a participant's link."""
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    workshop = workshop_factory(due_date_override=timezone.localdate() + dt.timedelta(days=10))
    participant = participant_factory(workshop=workshop)
    answers = {"q1_shared_materials": True, "q2_utilization": "A text worth quoting.", "q3_direct_effects": True}
    answers |= {"q4_contributed": False, "q5_new_project": False}
    save_reply(participant, answers, submit=True, revision=0)
    # The PDF page starts a rendering on its first visit: marked as under way, it only says so (no WeasyPrint).
    pdf.mark_rendering(FISCAL_YEAR, pdf.fingerprint(FISCAL_YEAR))
    return {
        "fiscal_year": FISCAL_YEAR,
        "workshop_id": workshop.pk,
        "response_id": Response.objects.get(participant=participant).pk,
        "participant": participant,
        "administration_id": participant.administration_id,
        "indicator": "rsp-2022-2024-tangible-results",
    }


def _urls(site: dict) -> list[str]:
    urls = []
    for pattern in staff_patterns():
        kwargs = {name: site[name] for name in pattern.pattern.converters}
        urls.append(reverse(f"reports:{pattern.name}", kwargs=kwargs))
    return [*urls, reverse("admin:workshops_workshop_import")]


def _sent_to_login(response) -> bool:
    return response.status_code == 302 and urlsplit(response["Location"]).path == LOGIN


def _refused(response) -> bool:
    return _sent_to_login(response) or response.status_code in (403, 404)


def test_a_survey_manager_opens_every_staff_page(client, site, django_user_model):
    # The positive control: the same URLs do open for staff, so the refusals below are about who asks.
    manager = django_user_model.objects.create_user("manager", password="x", is_staff=True)
    manager.groups.add(Group.objects.get(name=SURVEY_MANAGERS))
    client.force_login(manager)
    for url in _urls(site):
        response = client.get(url)
        assert response.status_code in (200, 302), url
        assert not _sent_to_login(response), url


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_the_login(client, site, method):
    for url in _urls(site):
        response = getattr(client, method)(url, {"response": site["response_id"], "answer": "q2_utilization"})
        assert _sent_to_login(response), (url, response.status_code)
        assert parse_qs(urlsplit(response["Location"]).query)["next"][0].split("?")[0] == url  # back after login
    assert not Quote.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_logged_in_user_who_is_not_staff_is_refused(client, site, method, django_user_model):
    client.force_login(django_user_model.objects.create_user("someone", password="x", is_staff=False))
    for url in _urls(site):
        response = getattr(client, method)(url, {"response": site["response_id"], "answer": "q2_utilization"})
        assert _refused(response), (url, response.status_code)
        assert not response.get("Content-Disposition"), url  # no download, of the tables or the PDF
    assert not Quote.objects.exists()


def test_a_participants_link_opens_no_staff_page(site):
    participant = site["participant"]
    browser = Client()
    link = reverse("surveys:questionnaire", args=[participant.token])
    assert browser.get(link).status_code == 200  # the link works, and the browser now has its cookies
    for url in _urls(site):
        for attempt in (
            browser.get(url),
            browser.get(url, {"token": participant.token}),
            browser.get(url, HTTP_REFERER="http://testserver" + link),
            browser.get(url, HTTP_AUTHORIZATION=f"Bearer {participant.token}"),
        ):
            assert _sent_to_login(attempt), (url, attempt.status_code)
    # Nor does the token, put in a staff path's place.
    assert browser.get(f"/staff/{participant.token}/").status_code == 404
