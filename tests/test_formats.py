"""Dates and language names as each language writes them (rocbap.formats, CLDR through Babel)."""

import datetime as dt
import zoneinfo

from django.template import Context, Template
from django.utils import translation

from rocbap.formats import day_label, day_month_label, language_label, moment_label, month_label

JUNE, JULY, DECEMBER = dt.date(2020, 6, 12), dt.date(2020, 7, 3), dt.date(2026, 12, 6)


def test_days_in_english_and_french():
    assert [day_label(day, "en") for day in (JUNE, JULY, DECEMBER)] == ["12 Jun 2020", "3 Jul 2020", "6 Dec 2026"]
    # Django's "M" gave "12 Jui 2020" for June and "3 Jul 2020" for July, "6 Déc 2026" for December.
    assert [day_label(day, "fr") for day in (JUNE, JULY, DECEMBER)] == ["12 juin 2020", "3 juil. 2020", "6 déc. 2026"]
    assert day_month_label(JULY, "fr") == "3 juil." and month_label(DECEMBER, "fr") == "déc. 2026"
    with translation.override("fr"):
        assert day_label(JUNE) == "12 juin 2020"  # the active language by default
    assert day_label(None) == ""


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
