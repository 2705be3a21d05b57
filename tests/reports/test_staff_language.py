"""Staff pages follow the staff user's browser: English, French, Spanish or Arabic, the whole page (the admin too:
tests/surveys/test_admin_language.py)."""

import pytest
from django.urls import reverse

from tests.languages import english_in, visible_text

pytestmark = pytest.mark.django_db

FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9,en;q=0.5"}
SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9,en;q=0.5"}
ARABIC = {"HTTP_ACCEPT_LANGUAGE": "ar-EG,ar;q=0.9,en;q=0.5"}
# What the fiscal year's page says in each staff language but English: its first table, its chart, its progress.
STAFF_PAGE_WORDS = {
    "fr": (
        FRENCH,
        "Tableau 1 – Nombre de réponses",
        "Actions de suivi entreprises (% des réponses)",
        ("Avancement des réponses", "Réponses par atelier"),
    ),
    "es": (
        SPANISH,
        "Cuadro 1 – Número de respuestas",
        "Acciones de seguimiento emprendidas (% de las respuestas)",
        ("Progreso de las respuestas", "Respuestas por taller"),
    ),
    "ar": (
        ARABIC,
        "الجدول 1 – أعداد الردود",
        "إجراءات المتابعة المتخذة (% من الردود)",
        ("تقدّم الردود", "الردود حسب ورشة العمل"),
    ),
}


def page(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response, visible_text(response.content.decode())


@pytest.mark.parametrize("language", sorted(STAFF_PAGE_WORDS))
def test_the_staff_pages_in_the_browsers_language(staff_client, demo_data, language):
    """French, and Spanish and Arabic for an office that lists them (the bundled Asia/Pacific office does); an Arabic
    page reads right to left."""
    from surveys.models import Response

    headers, table, chart, progress = STAFF_PAGE_WORDS[language]
    reply = Response.objects.replies().first()
    for url in (
        reverse("reports:index"),
        reverse("reports:fiscal_year", args=[2019]),
        reverse("reports:workshop_replies", args=[reply.participant.workshop_id]),
        reverse("reports:quote_texts", args=[2019]),
    ):
        response, text = page(staff_client, url, **headers)
        assert response["Content-Language"] == language, url
        assert f'<html lang="{language}"' in response.content.decode()
        assert f'dir="{"rtl" if language == "ar" else "ltr"}"' in response.content.decode(), url
        assert "Accept-Language" in response["Vary"]
        assert english_in(text, language) == [], url
    _response, text = page(staff_client, reverse("reports:fiscal_year", args=[2019]), **headers)
    assert table in text and chart in text
    assert any(words in text for words in progress)


def test_the_staff_pages_in_english_by_default(staff_client, demo_data):
    response, text = page(staff_client, reverse("reports:fiscal_year", args=[2019]))
    assert response["Content-Language"] == "en"
    assert "Table 1 – Numbers of replies" in text
    assert english_in(text)  # the check finds English where it is
    response, _text = page(staff_client, reverse("reports:fiscal_year", args=[2019]), HTTP_ACCEPT_LANGUAGE="de")
    assert response["Content-Language"] == "en"


def test_the_excel_workbook_stays_in_its_own_words(staff_client, demo_data):
    import io

    from openpyxl import load_workbook

    response = staff_client.get(reverse("reports:tables_download", args=[2019]), **FRENCH)
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    texts = {str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value}
    assert any(text.startswith("Administrations are written by their codes") for text in texts)
    assert not any("Les administrations sont désignées" in text for text in texts)


def test_dates_and_counts_on_the_staff_pages_as_french_writes_them(staff_client, demo_data):
    """CLDR's month abbreviations ("juin", "juil.", "déc."), never Django's cut ones ("Jui" for both June and
    July); counts with their plural ("1 participant sur 1 a répondu")."""
    import re

    from workshops.models import Workshop

    _, text = page(staff_client, reverse("reports:fiscal_year", args=[2019]), **FRENCH)
    assert "12 juin 2020" in text and "3 juil. 2020" in text  # the FY19-AEO invitation and due date
    assert "dont 4 couverts par l'enquête ;" in text and "28 réponses de 40 participants" in text
    assert not re.search(r"\d (Jan|Fév|Mar|Avr|Mai|Jui|Jul|Aoû|Sep|Oct|Nov|Déc) \d{4}", text)
    assert "(s)" not in text
    # One reply of one participant: singular.
    workshop = Workshop.objects.get(code="FY19-AEO")
    replied = workshop.participants.filter(response__status="submitted").first()
    workshop.participants.exclude(pk=replied.pk).delete()
    _, text = page(staff_client, reverse("reports:workshop_replies", args=[workshop.pk]), **FRENCH)
    assert "1 participant sur 1 a répondu" in text


def test_the_tables_for_a_french_reader_from_the_staff_page(staff_client, demo_data):
    import io

    from openpyxl import load_workbook

    url = reverse("reports:tables_download", args=[2019])
    html = staff_client.get(reverse("reports:fiscal_year", args=[2019])).content.decode()
    assert "The tables (.xlsx) to read in:" in html
    assert f'href="{url}?language=fr" hreflang="fr" lang="fr">Français</a>' in html
    response = staff_client.get(url, {"language": "fr"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-fr.xlsx"')
    assert load_workbook(io.BytesIO(response.content)).sheetnames[0] == "Tableau 1"
    assert staff_client.get(url, {"language": "de"}).status_code == 404
