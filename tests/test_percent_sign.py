from django.utils import translation

from rocbap.percentages import percent_sign


def test_the_per_cent_sign_as_each_language_writes_it():
    assert percent_sign(70, "en") == "70%"
    assert percent_sign(70, "fr") == "70\u202f%"
    with translation.override("fr"):
        assert percent_sign(5) == "5\u202f%"
    with translation.override("en"):
        assert percent_sign(5) == "5%"
