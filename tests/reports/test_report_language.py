"""The report in French, read back from the PDF: every section present, no English wording of the product, numbers
and dates as French writes them; quotes stay as they were written."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from reports.models import Quote, ReportEdition
from tests.helpers import DEMO_WORKBOOK, pdf_text, seed_rows
from tests.languages import english_in

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


def flat(text: str) -> str:
    """The text without its line breaks, a word broken at a hyphen at the end of a line joined again."""
    return " ".join(re.sub(r"-\n\s*", "-", text).split())


@pytest.fixture(scope="module")
def french_pdf(django_db_setup, django_db_blocker, tmp_path_factory) -> tuple[Path, list[str]]:
    """The demo report rendered in French by the command, with the quotes it printed (written in English)."""
    from django.db import transaction

    from reports.demo import add_demo_quotes
    from surveys.imports.workbook import import_workbook

    path = tmp_path_factory.mktemp("french-report") / "rapport.pdf"
    with django_db_blocker.unblock(), transaction.atomic():
        seed_rows()
        with DEMO_WORKBOOK.open("rb") as handle:
            import_workbook(handle)
        add_demo_quotes()
        ReportEdition.objects.filter(fiscal_year=2019).update(
            foreword="Nous remercions les Membres.",
            signatory_name="A. Chef",
            signatory_title="",  # the office's, in the report's language
            conclusion="Cela a fonctionné.",
            publication_date=dt.date(2020, 5, 22),
        )
        quotes = [quote.excerpt for quote in Quote.objects.all()]
        call_command("render_report", "--fiscal-year", "2019/20", "--language", "fr", str(path))
        transaction.set_rollback(True)
    return path, quotes


def test_every_section_in_french(french_pdf):
    path, _quotes = french_pdf
    text = flat(pdf_text(path))
    for title in SECTION_TITLES_FR:
        assert title in text, title
    assert "Questionnaire du BRRC A/P sur les actions de suivi entreprises" in text  # Appendix 1, in French
    assert "Nous remercions les Membres." in text and "Chef du BRRC A/P" in text  # staff text, office's title


def test_no_english_wording_of_the_product(french_pdf):
    path, quotes = french_pdf
    text = flat(pdf_text(path))
    for quote in quotes:  # quotes stay as written (the demo's are English): they are not the product's wording
        assert flat(quote) in text
        text = text.replace(flat(quote), " ")
    assert english_in(text) == []
    for word in ("Table ", "Appendix", "Survey 20", "respondents", "workshops", "Reply rate", "FY2019", "of replies"):
        assert word not in text, word


def test_numbers_and_dates_in_french(french_pdf):
    path, _quotes = french_pdf
    text = pdf_text(path)
    assert "mai 2020" in text  # the publication date on the cover
    # "70 %": a narrow no-break space before the sign (pdftotext reads it as a space); never "70%"
    assert re.search(r"\d[ \u202f\u00a0]%", text)
    assert not re.search(r"\d%", text)
    assert "exercice 2019/20" in text


def test_the_command_refuses_an_unknown_language(tmp_path):
    from django.core.management import CommandError

    with pytest.raises((CommandError, SystemExit)):
        call_command("render_report", "--fiscal-year", "2019/20", "--language", "de", str(tmp_path / "r.pdf"))
