"""The report in French, Spanish and Arabic, read back from the PDF: every section present, no English wording of the
product, numbers and dates as the language writes them; quotes stay as they were written."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from reports.models import Quote, ReportEdition
from tests.helpers import DEMO_WORKBOOK, pdf_text, seed_rows
from tests.languages import english_in, plain_arabic

pytestmark = pytest.mark.django_db

SECTION_TITLES_FR = (
    "Sommaire",
    "Avant-propos et remerciements",
    "Résumé analytique",
    "1. Introduction",
    "2. Synthèse et analyse de l'Enquête 2020",
    "2.1 Participation à l'Enquête 2020",
    "2.2 Actions de suivi entreprises",
    "2.3 Application des enseignements tirés des ateliers",
    "a) Amélioration opérationnelle",
    "b) Renforcement stratégique",
    "2.4 Obtention d'effets directs",
    "2.5 Amélioration de l'efficience et de l'efficacité du travail",
    "2.6 Lancement de projets de modernisation",
    "2.7 Approche statistique",
    "3. Conclusion",
    "Contact",
    "Annexe 1 – Le questionnaire",
    "Annexe 2 – Abréviations des administrations membres de la région A/P",
    "Tableau 1 – Nombre de réponses",
    "Tableau 2 – Actions de suivi entreprises (Q1)",
    "Tableau 7 – Projets de modernisation et actions qui atteignent la direction",
)


SECTION_TITLES_ES = (
    "Índice",
    "Prólogo y agradecimientos",
    "Resumen ejecutivo",
    "1. Introducción",
    "2. Síntesis y análisis de la Encuesta 2020",
    "2.1 Respuesta a la Encuesta 2020",
    "2.2 Acciones de seguimiento emprendidas",
    "2.3 Aplicación de las enseñanzas extraídas de los talleres",
    "a) Mejora operativa",
    "b) Fortalecimiento estratégico",
    "2.4 Obtención de efectos directos",
    "2.5 Mejora de la eficiencia y la eficacia del trabajo",
    "2.6 Puesta en marcha de proyectos de modernización",
    "2.7 Análisis estadístico",
    "3. Conclusión",
    "Contacto",
    "Apéndice 1 – El cuestionario",
    "Apéndice 2 – Abreviaturas de las administraciones miembro de la región A/P",
    "Cuadro 1 – Número de respuestas",
    "Cuadro 2 – Acciones de seguimiento emprendidas (Q1)",
    "Cuadro 7 – Proyectos de modernización y acciones dirigidas a la dirección",
)

# What each language's report must say: its headings, the staff's texts as typed, the office's names in the
# language, the cover's month, the fiscal year; and English words of the product it must not print.
EXPECTED = {
    "fr": {
        "titles": SECTION_TITLES_FR,
        "texts": {
            "foreword": "Nous remercions les Membres.",
            "signatory_name": "A. Chef",
            "conclusion": "Cela a fonctionné.",
        },
        "office": ("Questionnaire du BRRC A/P sur les actions de suivi entreprises", "Chef du BRRC A/P"),
        "month": "mai 2020",
        "fiscal_year": "exercice 2019/20",
        "ordinal": "6e cycle",
    },
    "es": {
        "titles": SECTION_TITLES_ES,
        "texts": {"foreword": "Agradecemos a los Miembros.", "signatory_name": "A. Jefe", "conclusion": "Funcionó."},
        "office": ("Cuestionario de la ORFC A/P sobre las acciones de seguimiento emprendidas", "Jefe de la ORFC A/P"),
        "month": "mayo de 2020",
        "fiscal_year": "ejercicio fiscal 2019/20",
        "ordinal": "6.ª ronda",
    },
}
ENGLISH_WORDS = ("Table ", "Appendix", "Survey 20", "respondents", "workshops", "Reply rate", "FY2019", "of replies")


def flat(text: str) -> str:
    """The text without its line breaks, a word broken at a hyphen at the end of a line joined again."""
    return " ".join(re.sub(r"-\n\s*", "-", text).split())


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def report_pdf(request, django_db_setup, django_db_blocker, tmp_path_factory) -> tuple[str, Path, list[str]]:
    """The demo report rendered in French, then in Spanish, by the command, with the quotes it printed (written in
    English)."""
    from django.db import transaction

    from reports.demo import add_demo_quotes
    from surveys.imports.workbook import import_workbook

    language = request.param
    path = tmp_path_factory.mktemp(f"report-{language}") / "report.pdf"
    with django_db_blocker.unblock(), transaction.atomic():
        seed_rows()
        with DEMO_WORKBOOK.open("rb") as handle:
            import_workbook(handle)
        add_demo_quotes()
        ReportEdition.objects.filter(fiscal_year=2019).update(
            **EXPECTED[language]["texts"],
            signatory_title="",  # the office's, in the report's language
            publication_date=dt.date(2020, 5, 22),
        )
        quotes = [quote.excerpt for quote in Quote.objects.all()]
        call_command("render_report", "--fiscal-year", "2019/20", "--language", language, str(path))
        transaction.set_rollback(True)
    return language, path, quotes


def test_every_section_in_the_language(report_pdf):
    language, path, _quotes = report_pdf
    expected = EXPECTED[language]
    text = flat(pdf_text(path))
    for title in expected["titles"]:
        assert title in text, title
    questionnaire, signatory_title = expected["office"]
    assert questionnaire in text  # Appendix 1, in the language
    assert expected["texts"]["foreword"] in text and signatory_title in text  # staff text, the office's title
    assert expected["ordinal"] in text


def test_no_english_wording_of_the_product(report_pdf):
    language, path, quotes = report_pdf
    text = flat(pdf_text(path))
    for quote in quotes:  # quotes stay as written (the demo's are English): they are not the product's wording
        assert flat(quote) in text
        text = text.replace(flat(quote), " ")
    assert english_in(text, language) == []
    for word in ENGLISH_WORDS:
        assert word not in text, word


def test_numbers_and_dates_in_the_language(report_pdf):
    language, path, _quotes = report_pdf
    text = pdf_text(path)
    assert EXPECTED[language]["month"] in text  # the publication date on the cover
    # "70 %": a (narrow) no-break space before the sign (pdftotext reads it as a space); never "70%"
    assert re.search(r"\d[ \u202f\u00a0]%", text)
    assert not re.search(r"\d%", text)
    assert EXPECTED[language]["fiscal_year"] in text


# The Arabic report's headings (pdftotext reads Arabic with marks and a ligature of its own: tests/languages.py).
ARABIC_TITLES = (
    "المحتويات",
    "التمهيد والشكر والتقدير",
    "الملخص التنفيذي",
    "المقدمة",
    "وتحليل استقصاء",  # 2. (Summation: a lam-alef) and Analysis of the Survey
    "إجراءات المتابعة المتخذة",
    "تطبيق الدروس المستفادة من ورش العمل",
    "(أ) التحسين التشغيلي",
    "تحقيق الآثار المباشرة"[:5],  # تحقيق: the rest has a lam-alef
    "تحسين كفاءة العمل وفعاليته",
    "بدء مشاريع التحديث",
    "نظرة إحصائية",
    "الخاتمة",
    "أعداد الردود",
    "مختصرات أسماء",
    "تقرير الممارسات الجيدة للسنة المالية",
)


@pytest.fixture(scope="module")
def arabic_report_pdf(django_db_setup, django_db_blocker, tmp_path_factory) -> tuple[str, list[str]]:
    """The demo report rendered in Arabic by the command (a staff language of the Asia/Pacific office, right to
    left), read back as plain Arabic, with the quotes it printed (written in English)."""
    from django.db import transaction

    from reports.demo import add_demo_quotes
    from surveys.imports.workbook import import_workbook

    path = tmp_path_factory.mktemp("report-ar") / "report.pdf"
    with django_db_blocker.unblock(), transaction.atomic():
        seed_rows()
        with DEMO_WORKBOOK.open("rb") as handle:
            import_workbook(handle)
        add_demo_quotes()
        ReportEdition.objects.filter(fiscal_year=2019).update(
            foreword="نشكر جميع المشاركين.", signatory_name="A. Head", signatory_title="", conclusion="نجحت ورش العمل."
        )
        quotes = [quote.excerpt for quote in Quote.objects.all()]
        call_command("render_report", "--fiscal-year", "2019/20", "--language", "ar", str(path))
        transaction.set_rollback(True)
    return plain_arabic(flat(pdf_text(path))), quotes


def without_pieces_of(text: str, quote: str) -> str:
    """The text without the quote, taken out piece by piece: pdftotext moves the end of an English line whose
    attribution holds an Arabic name after it, so a quote is read back in runs of words, each taken out whole."""
    words, start = quote.split(), 0
    while start < len(words):
        end = len(words)
        while end > start and " ".join(words[start:end]) not in text:
            end -= 1
        if end == start:
            start += 1
            continue
        text = text.replace(" ".join(words[start:end]), " ", 1)
        start = end
    return text


def test_the_arabic_report_has_every_section_and_no_english_wording(arabic_report_pdf):
    text, quotes = arabic_report_pdf
    for title in ARABIC_TITLES:
        assert plain_arabic(title) in text, title
    assert "نشكر جميع المشاركين." in text and "نجحت ورش العمل." in text  # the staff's texts, as typed
    assert plain_arabic("رئيس المكتب") in text  # the office's signatory title, from its [ar] table
    for quote in quotes:  # quotes stay as written (the demo's are English): they are not the product's wording
        assert " ".join(flat(quote).split()[:5]) in text
        text = without_pieces_of(text, flat(quote))
    assert english_in(text, "ar") == []
    for word in ENGLISH_WORDS:
        assert word not in text, word


def test_the_arabic_report_writes_numbers_as_cldr_does(arabic_report_pdf):
    """Latin digits, the per cent sign right after the figure (CLDR's Arabic), a decimal point (not Django's comma)."""
    text, _quotes = arabic_report_pdf
    assert re.search(r"\b\d{1,3}%", text)
    assert re.search(r"\b0\.\d{3}\b", text) and not re.search(r"\b0,\d{3}\b", text)  # Table 8's p-values
    assert not re.search("[\u0660-\u0669]", text)  # no Arabic-Indic digit


def test_a_spanish_edition_is_rendered_in_spanish(demo_data, tmp_path):
    """A report edition written in Spanish (a staff language of an office that lists it) renders in Spanish without
    --language: its choices offer Spanish, and the PDF takes the edition's language."""
    from reports.pdf import render_pdf

    edition = ReportEdition(fiscal_year=2019, language="es")
    edition.full_clean(exclude=["foreword", "conclusion", "contact", "signatory_name", "publication_date"])
    edition.save()
    path = tmp_path / "informe.pdf"
    path.write_bytes(render_pdf(2019))
    text = flat(pdf_text(path))
    assert "Cuadro 1 – Número de respuestas" in text and "Resumen ejecutivo" in text
    assert english_in(text, "es") == []


def test_the_command_refuses_an_unknown_language(tmp_path):
    from django.core.management import CommandError

    with pytest.raises((CommandError, SystemExit)):
        call_command("render_report", "--fiscal-year", "2019/20", "--language", "de", str(tmp_path / "r.pdf"))
