"""rocbap/languages.py: which language a page is in. Staff pages and the admin follow the staff user's browser; a
browser that asks for no language the product speaks gets the office's default language, not LANGUAGE_CODE."""

from __future__ import annotations

import dataclasses

import pytest
from django.test import RequestFactory
from django.urls import reverse

from rocbap.languages import browser_language
from rocbap.office import OFFICES_DIR, load_office


@pytest.fixture(params=["asia-pacific", "west-central-africa"])
def office(request, settings):
    """Each bundled office: English first (Asia/Pacific) and French first (West and Central Africa)."""
    settings.OFFICE = load_office(OFFICES_DIR / f"{request.param}.toml")
    return settings.OFFICE


@pytest.mark.parametrize(
    ("accept", "asked"),
    [
        ("fr-FR,fr;q=0.9,en;q=0.5", "fr"),
        ("en-GB,en;q=0.9,fr;q=0.5", "en"),
        ("de-DE,de;q=0.9,en;q=0.5", "en"),  # the first the product speaks, in the browser's order
        ("de-CH;q=0.4,fr-CA;q=0.8", "fr"),  # by quality, not by position
        ("de-DE,de;q=0.9", None),  # none it speaks: the office's default
        ("es-ES,es;q=0.9", "es"),  # a staff language of both offices (they list it)
        ("ar,es;q=0.8,en;q=0.5", "ar"),  # a staff language of both offices (they list it), right to left
        ("ar-EG,en;q=0.5", "ar"),
        ("*", None),
        ("", None),
        ("x" * 600, None),  # too long to be read
    ],
)
def test_the_browsers_language_else_the_offices(office, accept, asked):
    request = RequestFactory().get("/admin/", HTTP_ACCEPT_LANGUAGE=accept)
    assert browser_language(request) == (asked or office.default_language)


def test_the_bundled_offices_default_languages_differ():
    """The fixture's two offices cover both cases: the fallback is English for one, French for the other."""
    defaults = {
        name: load_office(OFFICES_DIR / f"{name}.toml").default_language
        for name in ("asia-pacific", "west-central-africa")
    }
    assert defaults == {"asia-pacific": "en", "west-central-africa": "fr"}


@pytest.mark.django_db
@pytest.mark.parametrize("url", [reverse("reports:index"), reverse("admin:index")])
@pytest.mark.parametrize("accept", ["de-DE,de;q=0.9", "tr"])
def test_staff_pages_for_a_browser_asking_for_another_language_are_in_the_offices(office, staff_client, url, accept):
    response = staff_client.get(url, HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200
    assert response["Content-Language"] == office.default_language
    assert f'<html lang="{office.default_language}"' in response.content.decode()
    assert "Accept-Language" in response["Vary"]
    # A browser that asks for a language the product speaks still gets it, whatever the office.
    other = "en" if office.default_language == "fr" else "fr"
    assert staff_client.get(url, HTTP_ACCEPT_LANGUAGE=other)["Content-Language"] == other


def test_a_report_edition_is_written_in_a_staff_language(settings):
    """Spanish and Arabic are offered to the report as to participants, as the office lists them (docs/offices.md)."""
    from reports.models import ReportEdition

    assert [code for code, _name in ReportEdition._meta.get_field("language").choices] == ["en", "fr", "es", "ar"]
    assert {code for code, _name in settings.LANGUAGES} == {"en", "fr", "es", "ar"}


@pytest.fixture
def english_french_office(settings):
    """An office of English and French only (an office file written before Spanish): Spanish is no staff language
    of it."""
    settings.OFFICE = dataclasses.replace(load_office(OFFICES_DIR / "asia-pacific.toml"), languages=("en", "fr"))
    return settings.OFFICE


def test_an_english_french_office_keeps_spanish_browsers_in_its_own_language(english_french_office):
    request = RequestFactory().get("/staff/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    assert browser_language(request) == "en"
    from rocbap.languages import staff_language, staff_language_choices

    assert [code for code, _name in staff_language_choices()] == ["en", "fr"]
    assert staff_language("es") == "en"  # a report asked for in Spanish is written in the office's first
    assert staff_language("ar") == "en"  # nor in Arabic: the office does not list it
