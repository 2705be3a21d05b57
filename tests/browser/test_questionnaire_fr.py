"""A French participant answers in Chromium entirely in French: every control found by its French label, errors
in French, no English wording of the product on any page they see; the switch to English is kept on them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.helpers import ARTIFACTS
from tests.languages import english_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def participant():
    from django.core.cache import cache

    from workshops.models import MemberAdministration, Participant, Workshop

    cache.clear()
    workshop = Workshop.objects.create(
        code="AOC19-GR",
        title="Atelier régional sur la gestion des risques",
        scope="regional",
        start_date=dt.date(2019, 10, 14),
        end_date=dt.date(2019, 10, 18),
        venue="Abidjan, Côte d'Ivoire",
        due_date_override=timezone.localdate() + dt.timedelta(days=10),
    )
    # Transactional tests empty the tables afterwards, the migrated member administrations included.
    administration, _ = MemberAdministration.objects.get_or_create(code="CI", defaults={"name": "Côte d'Ivoire"})
    return Participant.objects.create(
        workshop=workshop,
        name="Awa Koné",
        email="awa.kone@douanes.example.org",
        administration=administration,
        language="fr",
    )


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"questionnaire-fr-{name}.png"), full_page=True)


def french_only(page) -> None:
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.evaluate("document.documentElement.dir") == "ltr"
    assert english_in(page.inner_text("body")) == []
    assert english_in(page.title()) == []


def test_a_french_participant_answers_in_french(page, live_server, participant):
    from surveys.models import Response

    page.goto(live_server.url + reverse("surveys:questionnaire", args=[participant.token]))
    french_only(page)
    assert page.get_by_role("heading", name="Questionnaire du BRRC A/P sur les actions de suivi").is_visible()

    # Nothing answered: the errors, in French.
    page.get_by_role("button", name="Envoyer", exact=True).click()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert "Votre réponse n'a pas pu être envoyée" in summary.inner_text()
    assert "Veuillez répondre à Q3" in summary.inner_text()
    french_only(page)
    shot(page, "errors")

    page.get_by_label("Diffusion/partage des supports de formation avec des collègues").check()
    page.get_by_label("Nombre de collègues avec qui vous avez partagé les supports de formation", exact=True).fill("15")
    page.get_by_label("Remise d'un rapport de mission à la hiérarchie").check()
    # Q1bis and Q2: one box each, named by its question
    page.get_by_label("combien de vos collègues en ont tiré des enseignements").fill("9")
    q2 = page.get_by_label("comment les enseignements tirés de l'atelier sont-ils mis à profit")
    q2.fill("Les profils de risque sont revus chaque semaine.")
    page.get_by_label("Oui (veuillez décrire brièvement les effets obtenus").check()
    page.get_by_label("Les effets obtenus (facultatif)").fill("Deux saisies au port d'Abidjan.")
    page.get_by_label("Oui (veuillez décrire brièvement comment il y a contribué").check()
    page.locator("#q5").get_by_label("Non", exact=True).check()
    page.get_by_role("button", name="Envoyer", exact=True).click()
    page.wait_for_url("**/thanks/")
    assert page.get_by_role("heading", name="Merci de votre réponse").is_visible()
    french_only(page)
    shot(page, "thanks")
    reply = Response.objects.get(participant=participant)
    assert reply.is_reply and reply.q1_shared_with == 15 and reply.q5_new_project is False

    page.get_by_role("link", name="Modifier votre réponse").click()
    assert page.get_by_text("Vous avez envoyé votre réponse").is_visible()
    french_only(page)

    # The switch: English now, and for the later e-mails too.
    page.get_by_role("button", name="English").click()
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.get_by_role("button", name="Save changes").is_visible()
    participant.refresh_from_db()
    assert participant.language == "en"
    page.get_by_role("button", name="Français").click()
    french_only(page)
    participant.refresh_from_db()
    assert participant.language == "fr"
