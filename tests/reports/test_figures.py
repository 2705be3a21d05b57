"""Report data, from the database."""

from __future__ import annotations

import datetime as dt

from reports.figures import previous_round, reply_rate_trend, report_data, round_number
from reports.models import EarlierRound, ReportEdition
from tests.helpers import finish


def test_demo_figures_with_the_published_previous_round(demo_data):
    figures = report_data(2019).figures
    assert (figures.round_number, figures.survey_year, figures.fiscal_year_label) == (6, 2020, "2019/20")
    assert (figures.workshops_organized, figures.workshops_surveyed) == (4, 4)
    assert (figures.participants, figures.replies, figures.reply_rate) == (40, 28, 70)
    assert (figures.subregional_rate, figures.regional_rate) == (89, 55)
    assert figures.top_actions == [
        ("Share training materials", 23, 82),
        ("Submit reports", 19, 68),
        ("Make recommendations", 15, 54),
    ]
    assert str(figures.effects_attributed) == "10 (77%)"
    assert str(figures.projects_attributed) == "13 (68%)"
    assert figures.yes_shares == {"q3_direct_effects": 50, "q4_contributed": 100, "q5_new_project": 73}
    assert figures.previous.source == "published"
    assert (figures.previous.fiscal_year, figures.previous.round_number, figures.previous.reply_rate) == (2018, 5, 54)
    assert figures.previous.effects_attributed == 86  # Table 4's bottom line as the FY2019/20 report printed it
    assert figures.previous.projects_attributed is None  # which it did not give for Table 7


def test_previous_round_from_the_database_once_its_edition_is_final(demo_data):
    # Move the demo round one year on: FY2019/20 in the database is then the previous round of FY2020/21, once its
    # edition is final; until then the published figures stand.
    assert EarlierRound.objects.filter(fiscal_year=2019).exists()
    assert previous_round(2020).source == "published"
    finish(ReportEdition.objects.create(fiscal_year=2019)).make_final()
    previous = previous_round(2020)
    assert previous.source == "database"
    assert (previous.reply_rate, previous.replies, previous.participants) == (70, 28, 40)
    assert previous.projects_attributed == 68
    assert previous.rates_by_scope == {"sub-regional": 89, "regional": 55}
    assert previous.yes_shares["q5_new_project"] == 73


def test_no_previous_round(db):
    # Survey 2018 (FY2017/18) was never published: FY2018/19 has no previous round to compare with.
    assert previous_round(2018) is None
    assert previous_round(2016).reply_rate == 47
    assert round_number(2019) == 6
    assert round_number(2022) == 9


def test_workshops_organized_counts_the_unsurveyed_too_but_not_accreditation_workshops(demo_data, workshop_factory):
    workshop_factory(title="WCO Regional Workshop on HS", surveyed=False)
    workshop_factory(title="WCO Accreditation Workshop", surveyed=False, accreditation=True)
    workshop_factory(title="WCO National Workshop", scope="national")
    data = report_data(2019)
    assert (data.workshops_organized, data.workshops_surveyed, data.figures.national_surveyed) == (5, 4, 1)
    assert data.association_sentences and "not proof" in data.association_sentences[0]


def test_the_reply_rate_trend_of_a_report_stops_at_its_round(demo_data, workshop_factory, participant_factory):
    later = workshop_factory(start_date=dt.date(2021, 9, 6), end_date=dt.date(2021, 9, 9))
    participant_factory(workshop=later)
    assert 2021 in [r.fiscal_year for r in reply_rate_trend(until=2021)]  # its own report's round
    assert 2021 not in [r.fiscal_year for r in reply_rate_trend()]  # no round yet: no edition, nothing published
    assert max(r.fiscal_year for r in reply_rate_trend(until=2019)) == 2019
    assert [r.label for r in reply_rate_trend(until=2019)][-2:] == ["Survey 2019", "Survey 2020"]
