"""Names in every language (workshops.models: administration_name, MemberAdministration.name_in, Workshop.title_in):
the office's own spelling, else the registered name in the office's language, else CLDR's, else the registered
name; and the questionnaire, the staff page and the admin use them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from rocbap.office import OFFICES_DIR, load_office
from workshops.models import MemberAdministration, administration_name

pytestmark = pytest.mark.django_db


def test_an_administration_in_each_language_of_the_asia_pacific_office():
    papua = MemberAdministration.objects.get(code="PG")
    assert papua.name_in("en") == "Papua New Guinea"  # the office's language: as registered
    assert papua.name_in("fr") == "Papouasie-Nouvelle-Guinée"  # CLDR
    assert papua.name_in("es") == "Papúa Nueva Guinea"
    # Where the WCO writes a name its own way, the member list says so, in that language only.
    hong_kong = MemberAdministration.objects.get(code="HK")
    assert hong_kong.name_in("en") == "Hong Kong, China"
    assert hong_kong.name_in("fr") == "Hong Kong, Chine"  # not CLDR's "R.A.S. chinoise de Hong Kong"
    with translation.override("fr"):
        assert papua.name_in() == "Papouasie-Nouvelle-Guinée" and str(papua) == "Papouasie-Nouvelle-Guinée (PG)"
    # A code that is no territory CLDR knows, or a language it lacks: the name as registered.
    assert administration_name("XK", "Kosovo Customs", "fr") == "Kosovo"  # CLDR knows XK
    assert administration_name("QQ", "Somewhere", "fr") == "Somewhere"
    assert administration_name("PG", "Papua New Guinea", "tlh") == "Papua New Guinea"


def test_an_administration_in_each_language_of_the_west_and_central_africa_office(settings):
    settings.OFFICE = load_office(OFFICES_DIR / "west-central-africa.toml")
    assert administration_name("SN", "Sénégal", "fr") == "Sénégal"
    assert administration_name("SN", "Sénégal", "en") == "Senegal"
    assert administration_name("CD", "République démocratique du Congo", "en") == "Democratic Republic of the Congo"
    assert administration_name("CI", "Côte d'Ivoire", "en") == "Côte d'Ivoire"  # not CLDR's curly apostrophe


def test_a_workshops_title_in_each_language(workshop_factory):
    workshop = workshop_factory(title="WCO Regional Workshop on AEO", title_fr="Atelier régional de l'OMD sur l'OEA")
    assert workshop.title_in("fr") == "Atelier régional de l'OMD sur l'OEA"
    assert workshop.title_in("en") == workshop.title_in("ar") == "WCO Regional Workshop on AEO"
    with translation.override("fr"):
        assert str(workshop) == "Atelier régional de l'OMD sur l'OEA (déc. 2019)"
    with translation.override("en"):
        assert str(workshop) == "WCO Regional Workshop on AEO (Dec. 2019)"
    workshop.start_date = workshop.start_date.replace(month=5)
    with translation.override("en"):
        assert str(workshop) == "WCO Regional Workshop on AEO (May 2019)"  # no dot where nothing is cut


def test_the_questionnaire_names_the_administration_and_the_workshop_in_the_participants_language(
    client, participant_factory, workshop_factory
):
    workshop = workshop_factory(title="WCO Regional Workshop on AEO", title_fr="Atelier régional de l'OMD sur l'OEA")
    participant = participant_factory(workshop=workshop, administration="PG", language="fr")
    html = client.get(reverse("surveys:questionnaire", args=[participant.token])).content.decode()
    assert "Papouasie-Nouvelle-Guinée" in html and "Papua New Guinea" not in html
    assert "Atelier régional de l&#x27;OMD sur l&#x27;OEA" in html and "WCO Regional Workshop on AEO" not in html
    participant.language = "en"
    participant.save()
    html = client.get(reverse("surveys:questionnaire", args=[participant.token])).content.decode()
    assert "Papua New Guinea" in html and "WCO Regional Workshop on AEO" in html


def test_the_admin_lists_each_administrations_name_in_the_readers_language(staff_client):
    url = reverse("admin:workshops_memberadministration_changelist")
    html = staff_client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Papouasie-Nouvelle-Guinée" in html and "Papua New Guinea" in html  # and as registered
    assert "nom dans la langue de cette page" in html.lower()
