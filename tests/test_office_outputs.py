"""Each bundled office runs from its own office file and demo (issue 24): every output of one office's demo (staff
pages in both languages, the admin, the questionnaire, each e-mail kind, the Excel export and the report PDF read
back with pdftotext) holds no word, venue, figure or address of the other office."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from rocbap.office import OFFICES_DIR, load_office

pytestmark = pytest.mark.django_db

# What only the Asia/Pacific office's data says: its names, region, venues, addresses, administrations, workshop
# codes, and its earlier rounds (the sixth round in 2020; 54 % the round before, the rounds since Survey 2015).
ASIA_PACIFIC = [
    "ROCB A/P",
    "BRRC A/P",
    "Asia",
    "Pacific",
    "Asie",
    "Pacifique",
    "Bangkok",
    "Thailand",
    "Thaïlande",
    "rocbap.example.org",
    "Fiji",
    "Fidji",
    "Papua",
    "Papouasie",
    "Indonesia",
    "Indonésie",
    "Viet Nam",
    "FY19-RMT",
    "FY19-IPR",
    "FY19-VAL",
    "sixième",
    "sixth",
    "Survey 2015",
    "Enquête 2015",
    "54 %",
    "54%",
    "previous round",
    "cycle précédent",
]
# And what only the West and Central Africa office's says.
WEST_CENTRAL_AFRICA = [
    "ROCB WCA",
    "BRRC AOC",
    "Africa",
    "Afrique",
    "Abidjan",
    "Dakar",
    "Ouagadougou",
    "Lomé",
    "brrc-aoc",
    "Sénégal",
    "Senegal",
    "Côte d",
    "Bénin",
    "Benin",
    "AOC19-",
]


def found(words: list[str], text: str) -> list[str]:
    return [word for word in words if re.search(rf"(?<!\w){re.escape(word)}", text, re.IGNORECASE)]


def office_demo(settings, name: str) -> None:
    settings.OFFICE = load_office(OFFICES_DIR / f"{name}.toml")
    settings.TIME_ZONE = settings.OFFICE.time_zone
    settings.DEFAULT_FROM_EMAIL = settings.OFFICE.mail.sender
    settings.OFFICE_EMAIL = settings.OFFICE.mail.reply_to
    call_command("load_demo", "--username", "demo-staff", stdout=io.StringIO())


def outputs(client, staff_client, tmp_path) -> dict[str, str]:
    """Every output of the demo as text, by where it came from."""
    from reports.pdf import render_pdf
    from surveys.mail.emails import build_email
    from surveys.models import Message, MessageKind
    from workshops.models import Participant, Workshop

    texts: dict[str, str] = {}
    now = Workshop.objects.get(code="DEMO-NOW")
    pages = [
        reverse("reports:index"),
        reverse("reports:fiscal_year", args=[2019]),
        reverse("reports:fiscal_year", args=[now.fiscal_year]),
        reverse("reports:quote_texts", args=[2019]),
        reverse("reports:report_pdf", args=[2019]),
        *(reverse("reports:workshop_replies", args=[workshop.pk]) for workshop in Workshop.objects.all()),
        "/admin/",
        reverse("admin:workshops_workshop_changelist"),
        reverse("admin:workshops_workshop_change", args=[now.pk]),
        reverse("admin:workshops_participant_changelist"),
        reverse("admin:workshops_memberadministration_changelist"),
        reverse("admin:reports_earlierround_changelist"),
    ]
    for language in ("fr", "en"):
        for url in pages:
            response = staff_client.get(url, follow=True, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, url
            texts[f"{url} ({language})"] = response.content.decode()
    for participant in Participant.objects.filter(workshop=now):
        texts[f"questionnaire of {participant.name}"] = client.get(
            reverse("surveys:questionnaire", args=[participant.token])
        ).content.decode()
        for kind in (MessageKind.INVITATION, MessageKind.REMINDER_1, MessageKind.FEEDBACK, MessageKind.LINK):
            email = build_email(Message.objects.create(participant=participant, kind=kind), dt.date.today())
            texts[f"{kind} to {participant.name}"] = "\n".join(
                [email.subject, email.from_email, *email.reply_to, email.body, email.alternatives[0][0]]
            )
    workbook = load_workbook(
        io.BytesIO(staff_client.get(reverse("reports:tables_download", args=[2019])).content), read_only=True
    )
    texts["tables.xlsx"] = "\n".join(
        str(value) for sheet in workbook for row in sheet.iter_rows(values_only=True) for value in row if value
    )
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_pdf(2019))
    texts["report.pdf"] = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return texts


def test_the_west_and_central_africa_demo_shows_nothing_of_the_asia_pacific_office(
    settings, client, staff_client, tmp_path
):
    office_demo(settings, "west-central-africa")
    texts = outputs(client, staff_client, tmp_path)
    assert (
        "Abidjan" in texts["invitation to Aya Kouassi"]
        and "brrc-aoc@brrc-aoc.example.org" in texts["invitation to Aya Kouassi"]
    )
    assert "premier cycle" in texts["report.pdf"].replace("\n", " ")
    leaks = {where: found(ASIA_PACIFIC, text) for where, text in texts.items() if found(ASIA_PACIFIC, text)}
    assert leaks == {}


def test_the_asia_pacific_demo_shows_nothing_of_the_west_and_central_africa_office(
    settings, client, staff_client, tmp_path
):
    office_demo(settings, "asia-pacific")
    texts = outputs(client, staff_client, tmp_path)
    assert "Bangkok" in texts["invitation to Mere Tuilagi"]
    assert "sixth round" in texts["report.pdf"].replace("\n", " ")
    leaks = {
        where: found(WEST_CENTRAL_AFRICA, text) for where, text in texts.items() if found(WEST_CENTRAL_AFRICA, text)
    }
    assert leaks == {}
