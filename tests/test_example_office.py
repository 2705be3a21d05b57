"""The example West and Central Africa office: its demo data loads, its name is where the office's name belongs
(pages, e-mails, staff pages, the admin), in each reader's language, and "ROCB A/P" appears nowhere."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from rocbap.office import OFFICES_DIR, load_office
from surveys.mail.emails import build_email
from surveys.models import Message, MessageKind
from workshops.models import MemberAdministration, Participant, Workshop

pytestmark = pytest.mark.django_db

NAME_FR = "Bureau régional de renforcement des capacités de l'OMD pour l'Afrique occidentale et centrale"
NAME_EN = "WCO West and Central Africa Regional Office for Capacity Building"


@pytest.fixture
def west_central_africa(settings):
    settings.OFFICE = load_office(OFFICES_DIR / "west-central-africa.toml")
    call_command("load_demo", "--username", "demo-staff", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return settings.OFFICE


def no_other_office(text: str) -> None:
    for other in ("ROCB A/P", "BRRC A/P", "Asia/Pacific", "Asie/Pacifique"):
        assert other not in text


def test_the_demo_data_loads_with_the_offices_own_members(west_central_africa):
    assert MemberAdministration.objects.count() == 24
    assert not MemberAdministration.objects.filter(code="TH").exists()
    assert Workshop.objects.filter(code__startswith="AOC19-").count() == 4
    assert Participant.objects.exclude(workshop__code="DEMO-NOW").count() == 26  # and the demo's survey in progress
    # The language column: blank gives the office's language (French), English where the list says so.
    assert Participant.objects.get(email="cm.aoc19-gr@example.org").language == "fr"
    assert Participant.objects.get(email="gh.aoc19-gr@example.org").language == "en"


def test_the_offices_name_on_the_participants_pages(west_central_africa, client):
    french = Participant.objects.get(email="cm.aoc19-gr@example.org")
    html = client.get(reverse("surveys:questionnaire", args=[french.token])).content.decode()
    assert "BRRC AOC" in html and NAME_FR.replace("'", "&#x27;") in html
    assert "offices/west-central-africa" in html  # the logo
    no_other_office(html)
    english = Participant.objects.get(email="gh.aoc19-gr@example.org")
    html = client.get(reverse("surveys:questionnaire", args=[english.token])).content.decode()
    assert "ROCB WCA Questionnaire on the Follow-Up Actions" in html and NAME_EN in html
    no_other_office(html)
    html = client.get("/r/no-such-link/").content.decode()
    assert '<html lang="fr"' in html and "BRRC AOC" in html
    no_other_office(html)


@pytest.mark.parametrize("kind", [MessageKind.INVITATION, MessageKind.REMINDER_1, MessageKind.FEEDBACK])
def test_the_offices_name_in_the_emails(west_central_africa, kind):
    for email_address, short_name, name in (
        ("cm.aoc19-gr@example.org", "BRRC AOC", NAME_FR),
        ("gh.aoc19-gr@example.org", "ROCB WCA", NAME_EN),
    ):
        participant = Participant.objects.get(email=email_address)
        email = build_email(Message.objects.create(participant=participant, kind=kind), dt.date(2020, 4, 20))
        html = email.alternatives[0][0]
        assert short_name in email.body and name in html.replace("&#x27;", "'")
        no_other_office(email.subject + email.body + html)


def test_the_offices_name_on_the_staff_pages_and_the_admin(west_central_africa, staff_client):
    for url in ("/staff/", "/admin/"):
        # A browser that asks for no language the product speaks gets the office's own, French.
        html = staff_client.get(url, follow=True).content.decode()
        assert "BRRC AOC" in html and "ROCB WCA" not in html
        no_other_office(html)
        html = staff_client.get(url, follow=True, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "ROCB WCA" in html
        no_other_office(html)


def test_the_offices_name_in_its_report_in_french(west_central_africa):
    from reports.pdf import render_html, report_context
    from tests.languages import english_in, visible_text

    html = render_html(report_context(2019))  # a new edition: in the office's language, French
    assert '<html lang="fr"' in html
    text = visible_text(html)
    assert "BRRC AOC – Rapport sur les bonnes pratiques douanières" in text
    assert NAME_FR in text and "Organisation mondiale des douanes" in text
    assert "Chef du BRRC AOC" in text
    assert "Abréviations des administrations membres de la région AOC" in text
    assert "SN ¶ ¶ Sénégal" in text  # Appendix 2, the office's own list
    assert "data:image/svg+xml;base64," in html  # the office's logo on the cover
    assert english_in(text) == []
    no_other_office(html)
