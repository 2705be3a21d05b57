from django.utils import translation

from reports import wording


def test_labels_and_workshop_months_in_french():
    with translation.override("fr"):
        assert wording.label("Others") == "Autres"
        assert (
            wording.workshop_label("Atelier régional sur l'OEA (Dec. 2019)") == "Atelier régional sur l'OEA (déc. 2019)"
        )
        assert wording.cell_text("WCO Workshop (May. 2020)") == "WCO Workshop (mai 2020)"
        assert wording.cell_text("Others") == "Autres"
        assert wording.cell_text("") == ""


def test_english_stays_as_the_tables_write_it():
    with translation.override("en"):
        assert wording.label("Others") == "Others"
        assert wording.cell_text("WCO Workshop (Sep. 2019)") == "WCO Workshop (Sep. 2019)"
