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


def test_a_workshop_of_the_tables_is_named_by_its_title_in_the_active_language():
    import datetime as dt

    from reports.cells import WorkshopLabel

    label = WorkshopLabel("WCO Regional Workshop on AEO", dt.date(2019, 12, 2), {"fr": "Atelier régional sur l'OEA"})
    assert label == "WCO Regional Workshop on AEO (Dec. 2019)"  # what the code compares and sorts
    with translation.override("fr"):
        assert wording.cell_text(label) == "Atelier régional sur l'OEA (déc. 2019)"
    with translation.override("es"):
        assert wording.cell_text(label) == "WCO Regional Workshop on AEO (dic 2019)"  # no Spanish title given
    with translation.override("en"):
        assert wording.cell_text(label) == "WCO Regional Workshop on AEO (Dec. 2019)"
