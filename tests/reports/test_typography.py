"""French typography and one-language wording of the report (reports.typography, reports.wording, reports.pdf): the
no-break spaces before ; : ? !, names never broken at their slash, the true minus sign, months as CLDR abbreviates
them, the signatory's title and the administrations' names in the report's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from reports import pdf, typography, wording
from reports.display import display_table
from reports.models import ReportEdition
from reports.tables import Table


def test_french_puts_no_break_spaces_before_the_high_signs():
    html = "<p>Résultats : 3 ; et ? oui !</p><style>p { color: red; }</style>"
    typeset = typography.typeset(html, "fr")
    assert "Résultats\u00a0: 3\u202f; et\u202f? oui\u202f!" in typeset
    assert "color: red;" in typeset  # the stylesheet is not text
    assert typography.typeset(html, "en").startswith("<p>Résultats : 3 ; et ? oui !</p>")


def test_a_slashed_name_never_breaks_at_its_slash():
    typeset = typography.typeset("<p>les ateliers de l'Asie/Pacifique, https://example.org/a</p>", "fr")
    assert '<span class="nowrap">l\'Asie/Pacifique</span>' in typeset
    assert "https://example.org/a" in typeset  # an address is left as written


def test_a_negative_figure_takes_the_minus_sign():
    table = Table("associations", "A", ["Follow-up action", "Phi"], [["x", -0.12]], totals=None)
    assert str(display_table(table).rows[0][1].html) == "\u22120.12"


def test_months_as_cldr_abbreviates_them_in_french():
    with translation.override("fr"):
        assert wording.workshop_label("WCO Regional Workshop on AEO (Jan. 2020)") == (
            "WCO Regional Workshop on AEO (janv. 2020)"
        )
        assert wording.workshop_label("WCO Regional Workshop on AEO (Feb. 2020)").endswith("(févr. 2020)")


@pytest.mark.django_db
def test_the_signatorys_title_is_the_office_files_in_the_reports_language(settings):
    english = settings.OFFICE.in_language("en").signatory_title
    french = settings.OFFICE.in_language("fr").signatory_title
    assert english != french
    edition = ReportEdition(fiscal_year=2019, signatory_title=english)
    assert pdf.signatory_title(edition, settings.OFFICE.in_language("fr")) == french
    edition.signatory_title = "Acting Head"  # staff's own words stay as written
    assert pdf.signatory_title(edition, settings.OFFICE.in_language("fr")) == "Acting Head"


def test_the_administrations_name_comes_through_one_function():
    class Named:
        name = "Indonesia"

        def name_in(self, language):
            return {"fr": "Indonésie"}.get(language, self.name)

    with translation.override("fr"):
        assert wording.administration_name(Named()) == "Indonésie"


def test_a_right_to_left_language_holds_its_slashes_with_word_joiners():
    """Arabic: no span that does not wrap (WeasyPrint broke such an Arabic line after its first word), the slash
    held by invisible word joiners instead; French keeps its span."""
    from reports.typography import WORD_JOINER, typeset

    arabic = typeset("<p>قد تقاسموا مواد ورشة العمل و/أو نظّموا ورش عمل داخلية</p>", "ar")
    assert f"و{WORD_JOINER}/{WORD_JOINER}أو" in arabic and "nowrap" not in arabic
    assert '<span class="nowrap">régional/sous-régional</span>' in typeset("<p>régional/sous-régional</p>", "fr")
