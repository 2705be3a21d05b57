"""Dates and language names as each language writes them (rocbap.formats, CLDR through Babel)."""

import datetime as dt
import zoneinfo

from django.template import Context, Template
from django.utils import translation

from rocbap.formats import (
    day_label,
    day_long,
    day_month_label,
    days_long,
    isolated,
    language_label,
    moment_label,
    moment_long,
    month_label,
    month_long,
)

JUNE, JULY, DECEMBER = dt.date(2020, 6, 12), dt.date(2020, 7, 3), dt.date(2026, 12, 6)
APRIL = dt.date(2026, 4, 6)


def test_days_in_english_and_french():
    assert [day_label(day, "en") for day in (JUNE, JULY, DECEMBER)] == ["12 Jun 2020", "3 Jul 2020", "6 Dec 2026"]
    # Django's "M" gave "12 Jui 2020" for June and "3 Jul 2020" for July, "6 Déc 2026" for December.
    assert [day_label(day, "fr") for day in (JUNE, JULY, DECEMBER)] == ["12 juin 2020", "3 juil. 2020", "6 déc. 2026"]
    assert day_month_label(JULY, "fr") == "3 juil." and month_label(DECEMBER, "fr") == "déc. 2026"
    with translation.override("fr"):
        assert day_label(JUNE) == "12 juin 2020"  # the active language by default
    assert day_label(None) == ""


def test_days_and_months_in_spanish():
    """Spanish is a staff language: the staff pages' days and the report's workshop months as CLDR abbreviates
    them, the cover's month written out ("mayo de 2020", where Django's "F Y" gave "mayo 2020")."""
    assert day_label(DECEMBER, "es") == "6 dic 2026" and month_label(DECEMBER, "es") == "dic 2026"
    assert [month_long(dt.date(2020, 5, 22), code) for code in ("en", "fr", "es")] == [
        "May 2020",
        "mai 2020",
        "mayo de 2020",
    ]
    assert month_long(None) == ""


def test_a_moment_is_shown_in_the_offices_time_zone(settings):
    settings.TIME_ZONE = "Africa/Abidjan"
    moment = dt.datetime(2020, 6, 12, 23, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Bangkok"))
    assert moment_label(moment, "fr") == "12 juin 2020, 16:30"


def test_a_language_named_in_the_readers_language():
    assert language_label("en", "fr") == "anglais" and language_label("fr", "en") == "French"
    assert language_label("", "fr") == "" and language_label("xx-nonsense", "fr") == "xx-nonsense"


def test_the_filters_in_a_template():
    with translation.override("fr"):
        html = Template("{% load formats %}{{ day|day_label }} – {{ code|language_label }}").render(
            Context({"day": DECEMBER, "code": "en"})
        )
    assert html == "6 déc. 2026 – anglais"


def test_a_participant_reads_a_day_written_out_in_their_language():
    assert [day_long(DECEMBER, language) for language in ("en", "fr", "es", "ar")] == [
        "6 December 2026",
        "6 décembre 2026",
        "6 de diciembre de 2026",  # Django's "j F Y" wrote "6 diciembre 2026"
        "6 ديسمبر 2026",
    ]
    assert day_long(APRIL, "ar") == "6 أبريل 2026"  # CLDR's April; Django's catalogue wrote "إبريل"
    with translation.override("es"):
        assert day_long(APRIL) == "6 de abril de 2026"  # the active language by default
    assert day_long(None) == ""


def test_a_moment_written_out_in_the_offices_time_zone(settings):
    settings.TIME_ZONE = "Africa/Abidjan"
    moment = dt.datetime(2020, 6, 12, 23, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Bangkok"))
    assert moment_long(moment, "en") == "12 June 2020, 16:30"
    assert moment_long(moment, "es") == "12 de junio de 2020, 16:30"
    assert moment_long(None) == ""


def test_a_workshops_dates_in_each_participant_language():
    same_month, two_months, two_years = (
        (dt.date(2019, 12, 2), dt.date(2019, 12, 5)),
        (dt.date(2019, 11, 28), dt.date(2019, 12, 2)),
        (dt.date(2019, 12, 30), dt.date(2020, 1, 2)),
    )
    expected = {
        "en": ["2-5 December 2019", "28 November - 2 December 2019", "30 December 2019 - 2 January 2020"],
        "fr": ["2-5 décembre 2019", "28 novembre - 2 décembre 2019", "30 décembre 2019 - 2 janvier 2020"],
        "es": [
            "2-5 de diciembre de 2019",
            "28 de noviembre - 2 de diciembre de 2019",
            "30 de diciembre de 2019 - 2 de enero de 2020",
        ],
        "ar": ["2-5 ديسمبر 2019", "28 نوفمبر - 2 ديسمبر 2019", "30 ديسمبر 2019 - 2 يناير 2020"],
    }
    for language, days in expected.items():
        assert [days_long(start, end, language) for start, end in (same_month, two_months, two_years)] == days
    assert days_long(APRIL, APRIL, "ar") == "6 أبريل 2026"


def test_venues_and_dates_are_isolated_on_right_to_left_pages_only():
    with translation.override("ar"):
        assert isolated("Bangkok, Thailand") == "<bdi>Bangkok, Thailand</bdi>"
        assert isolated("<b>") == "<bdi>&lt;b&gt;</bdi>"  # escaped: a venue is data
        assert isolated("") == ""  # an empty venue stays empty ({% if venue %})
    with translation.override("fr"):
        assert isolated("Bangkok, Thailand") == "Bangkok, Thailand"


def test_plain_text_is_isolated_with_unicode_isolates_on_right_to_left_texts_only():
    from rocbap.formats import isolated_text

    with translation.override("ar"):
        assert isolated_text("Bangkok, Thailand") == "\u2068Bangkok, Thailand\u2069"
        assert isolated_text("") == ""
    with translation.override("fr"):
        assert isolated_text("Bangkok, Thailand") == "Bangkok, Thailand"
