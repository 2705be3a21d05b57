"""Staff read the admin in their browser's language (issue 13): a staff user whose browser asks for French sees the
workshop list, a participant's page and a workbook import's errors in French, with none of the product's English;
one whose browser asks for English sees English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.helpers import ARTIFACTS, PARTICIPANT_HEADER, WORKSHOP_HEADER, make_workbook
from tests.languages import english_in, visible_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-password-1"


@pytest.fixture
def survey_manager(django_user_model):
    from django.contrib.auth.models import Group

    from workshops.roles import SURVEY_MANAGERS

    user = django_user_model.objects.create_user("manager", "m@example.org", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=SURVEY_MANAGERS))
    return user


@pytest.fixture
def participant():
    from workshops.models import MemberAdministration, Participant, Workshop

    workshop = Workshop.objects.create(
        code="AOC19-GR",
        title="Atelier régional sur la gestion des risques",
        scope="regional",
        start_date=dt.date(2019, 10, 14),
        end_date=dt.date(2019, 10, 18),
        venue="Abidjan",
    )
    # Transactional tests empty the tables afterwards, the migrated member administrations included.
    administration, _ = MemberAdministration.objects.get_or_create(code="CI", defaults={"name": "Côte d'Ivoire"})
    return Participant.objects.create(
        workshop=workshop, name="Awa Koné", email="awa.kone@douanes.example.org", administration=administration
    )


def broken_workbook() -> bytes:
    sheets = {
        "workshops": [WORKSHOP_HEADER, ["AOC19-GR", "Atelier", "regional", "2019-10-14", "2019-10-18", "", "", ""]],
        "participants": [PARTICIPANT_HEADER, ["AOC19-GR", "Awa", "not an address", "CI"]],
    }
    return make_workbook(sheets).getvalue()


def signed_in(browser, browser_context_args, live_server, locale: str):
    context = browser.new_context(**{**browser_context_args, "viewport": {"width": 1280, "height": 900}}, locale=locale)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "manager")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return context, page


def upload(page, live_server) -> str:
    page.goto(live_server.url + reverse("admin:workshops_workshop_import"))
    page.set_input_files(
        "#id_workbook",
        {
            "name": "participants.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": broken_workbook(),
        },
    )
    page.click("input[type=submit].default")
    page.locator("#import-errors").wait_for()
    return text(page)


def text(page) -> str:
    """The page's words as written (the admin's styles capitalise column headers; the check reads the words)."""
    return visible_text(page.content())


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"admin-{name}.png"), full_page=True)


def test_a_staff_user_whose_browser_asks_for_french_reads_the_admin_in_french(
    browser, browser_context_args, live_server, survey_manager, participant
):
    context, page = signed_in(browser, browser_context_args, live_server, "fr-FR")
    try:
        page.goto(live_server.url + reverse("admin:workshops_workshop_changelist"))
        assert page.evaluate("document.documentElement.lang") == "fr"
        body = text(page)
        assert "Taux de réponse" in body and "Importer un classeur" in body and "Par exercice" in body
        assert english_in(body) == [] and "Reply rate" not in body and "Import a workbook" not in body
        shot(page, "fr-workshops")

        page.goto(live_server.url + reverse("admin:workshops_participant_change", args=[participant.pk]))
        body = text(page)
        assert "Modification de participant" in body and "Lien personnel" in body and "Langue" in body
        assert page.get_by_role("button", name="Révoquer le lien personnel (un nouveau lien le remplace)").is_visible()
        assert english_in(body) == [] and "Personal link" not in body and "Change participant" not in body
        shot(page, "fr-participant")

        body = upload(page, live_server)
        assert "Rien n'a été importé : le classeur comporte 1 erreur." in body
        assert "participants!2 email : adresse électronique non valide : 'not an address'" in body
        assert english_in(body) == [] and "Nothing was imported" not in body
        shot(page, "fr-import-errors")
    finally:
        context.close()


def test_a_staff_user_whose_browser_asks_for_english_reads_it_in_english(
    browser, browser_context_args, live_server, survey_manager, participant
):
    context, page = signed_in(browser, browser_context_args, live_server, "en-GB")
    try:
        page.goto(live_server.url + reverse("admin:workshops_workshop_changelist"))
        assert page.evaluate("document.documentElement.lang") == "en"
        body = text(page)
        assert "Reply rate" in body and "Import a workbook" in body and "By fiscal year" in body
        assert "Taux de réponse" not in body and "Importer un classeur" not in body

        page.goto(live_server.url + reverse("admin:workshops_participant_change", args=[participant.pk]))
        body = text(page)
        assert "Change participant" in body and "Personal link" in body and "Lien personnel" not in body

        body = upload(page, live_server)
        assert "Nothing was imported: the workbook has 1 error." in body
        assert "participants!2 email: not a valid e-mail address: 'not an address'" in body
        assert "Rien n'a été importé" not in body
    finally:
        context.close()
