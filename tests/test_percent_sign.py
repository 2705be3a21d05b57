from django.utils import translation

from rocbap.percentages import percent_sign


def test_the_per_cent_sign_as_each_language_writes_it():
    assert percent_sign(70, "en") == "70%"
    assert percent_sign(70, "fr") == "70\u202f%"
    with translation.override("fr"):
        assert percent_sign(5) == "5\u202f%"
    with translation.override("en"):
        assert percent_sign(5) == "5%"


def test_other_languages_write_it_as_cldr_does():
    """Spanish as CLDR (Babel) writes it: a no-break space before the sign ("70 %"), so it never starts a line."""
    assert percent_sign(70, "es") == "70\u00a0%"
    with translation.override("es"):
        assert percent_sign("0,5") == "0,5\u00a0%"
    assert percent_sign(70, "ar") == "70%"  # CLDR's Arabic pattern (Latin digits): no space
