"""The impact screens in Chromium, in English and in French (screenshots in test-artifacts/): a survey manager marks
a reply's description as a success story from the fiscal year's page of descriptions, the staff home then shows the
office's indicator one story further, and the administrations' ledger counts it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.helpers import ARTIFACTS
from tests.languages import english_in, visible_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-password-1"
RESULT = "The new risk management unit made 14 seizures of precursor chemicals in its first year."


@pytest.fixture
def survey_manager(django_user_model):
    from django.contrib.auth.models import Group

    from workshops.roles import SURVEY_MANAGERS

    user = django_user_model.objects.create_user("manager", "m@example.org", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=SURVEY_MANAGERS))
    return user


@pytest.fixture
def reply():
    from surveys.models import Response
    from workshops.models import MemberAdministration, Participant, Workshop

    workshop = Workshop.objects.create(
        code="FY22-RM",
        title="WCO Regional Workshop on Risk Management",
        scope="regional",
        start_date=dt.date(2022, 9, 5),
        end_date=dt.date(2022, 9, 9),
        venue="Bangkok",
    )
    # Transactional tests empty the tables afterwards, the migrated member administrations included.
    administration, _ = MemberAdministration.objects.get_or_create(code="MY", defaults={"name": "Malaysia"})
    participant = Participant.objects.create(
        workshop=workshop, name="Aminah", email="aminah@customs.example.org", administration=administration
    )
    submitted = timezone.make_aware(dt.datetime(2023, 3, 10, 9))
    reply = Response.objects.create(
        participant=participant, status="submitted", submitted_at=submitted, q1_manuals=True, q3_text=RESULT
    )
    from impact import suggesting

    suggesting.refresh(2022)  # what the background task does after the reply's commit
    return reply


def signed_in(browser, browser_context_args, live_server, locale: str):
    context = browser.new_context(**{**browser_context_args, "viewport": {"width": 1280, "height": 900}}, locale=locale)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "manager")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return context, page


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"impact-{name}.png"), full_page=True)


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        (
            "en-GB",
            {
                "mark": "Mark as a tangible result",
                "kind": "Measured outcome (seizures, revenue, time)",
                "progress": "1 of 10, 30 June 2024",
                "hint": "Possible tangible result",
                "fiscal_year": "FY2022/23",
            },
        ),
        (
            "fr-FR",
            {
                "mark": "Marquer comme résultat concret",
                "kind": "Résultat mesuré (saisies, recettes, délais)",
                "progress": "1 sur 10, 30 juin 2024",
                "hint": "Résultat concret possible",
                "fiscal_year": "Exercice 2022/23",
            },
        ),
    ],
)
def test_a_manager_marks_a_story_and_sees_the_indicator_move(
    browser, browser_context_args, live_server, survey_manager, reply, locale, words
):
    from impact.models import SuccessStory

    language = locale[:2]
    context, page = signed_in(browser, browser_context_args, live_server, locale)
    try:
        page.goto(live_server.url + reverse("reports:index"))
        assert words["progress"].replace("1 ", "0 ", 1) in visible_text(page.content())
        page.goto(live_server.url + reverse("reports:descriptions", args=[2022]))
        body = visible_text(page.content())
        assert RESULT in body and words["hint"] in body and words["kind"] in body  # the suggestion, beside the text
        if language == "fr":
            assert english_in(body.replace(RESULT, "")) == []
        shot(page, f"{language}-descriptions")
        page.get_by_role("link", name=words["mark"]).click()
        page.wait_for_url("**/admin/impact/successstory/add/**")
        assert page.input_value("#id_excerpt") == RESULT  # starts as the reply's text
        page.fill("#id_excerpt", "Risk management unit: 14 seizures in its first year")
        page.select_option("#id_kind", label=words["kind"])
        page.check("#id_publishable")
        shot(page, f"{language}-mark")
        page.click("input[name=_save]")
        page.wait_for_url("**/admin/impact/successstory/")
        story = SuccessStory.objects.get()
        assert (story.kind, story.publishable, story.confirmed_by.username) == ("outcome", True, "manager")
        if language == "fr":
            assert english_in(visible_text(page.content())) == []
        shot(page, f"{language}-stories")

        page.goto(live_server.url + reverse("reports:index"))
        body = visible_text(page.content())
        assert words["progress"] in body and "RSP 2022-2024" in body
        shot(page, f"{language}-home")
        page.get_by_role("link", name=words["progress"]).click()
        body = visible_text(page.content())
        assert "Risk management unit: 14 seizures in its first year" in body and words["kind"] in body
        shot(page, f"{language}-indicator")

        page.goto(live_server.url + reverse("reports:administrations"))
        body = visible_text(page.content())
        assert words["fiscal_year"] in body and "1 / 1 (100" in body  # the year named in the page's language
        shot(page, f"{language}-administrations")
        page.get_by_role("link", name="MY").click()
        body = visible_text(page.content())
        assert "Malaysia (MY)" in body and "Risk management unit: 14 seizures in its first year" in body
        if language == "fr":
            assert english_in(body) == []
        shot(page, f"{language}-administration")
    finally:
        context.close()
