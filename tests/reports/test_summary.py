"""The report's sentences (reports.summary) against the demo round and a FY2023/24-like round: a stray workshop of
the previous FY, an accreditation workshop, a national workshop, two replies from one administration."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from reports import summary
from reports.figures import previous_round, reply_rate_trend, report_data
from reports.models import EarlierRound, ReportEdition
from reports.summary import response_sentences, sentences
from reports.tables import RankedAction
from surveys.models import Response, Status
from tests.helpers import finish

pytestmark = pytest.mark.django_db


def reply(participant, **answers):
    return Response.objects.create(
        participant=participant, status=Status.SUBMITTED, submitted_at=timezone.now(), **answers
    )


def deepest_bracket(text: str) -> int:
    depth = deepest = 0
    for character in text:
        if character == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif character == ")":
            depth -= 1
    return deepest


def all_sentences(data) -> list[str]:
    openings = [sentence for found in summary.section_openings(data).values() for sentence in found]
    ranking = summary.ranking_sentence(data.figures.action_ranking)
    return [*sentences(data), *response_sentences(data), *openings, *([ranking] if ranking else [])]


def test_sentences_carry_this_rounds_figures_and_the_previous_ones(demo_data):
    data = report_data(2019)
    text = " ".join(sentences(data))
    assert "organized a total of 4 regional/sub-regional workshops, excluding the accreditation workshops; 4 of" in text
    assert "sixth round" in text
    assert "is 28, a reply rate of 70% (54% in the previous round)" in text
    assert (
        "sharing training materials (82%), submitting reports to superiors (68%) and making recommendations to "
        "management (54%)" in text
    )
    # Table 4's bottom line with the published previous round's (86% in the Survey 2019), in one pair of brackets.
    assert "Of the respondents who realized direct effects, 10 (77%; 86% in the previous round) had shared" in text
    assert "Of the respondents who initiated new projects, 13 (68%) had submitted" in text
    assert "50% reported direct effects (Q3); 100% reported better efficiency and effectiveness (Q4); 73%" in text
    assert all(deepest_bracket(sentence) <= 1 for sentence in all_sentences(data))


def test_2_1_states_the_same_facts_in_other_words(demo_data):
    data = report_data(2019)
    section, summary_text = response_sentences(data), sentences(data)
    assert not set(section) & set(summary_text)
    text = " ".join(section)
    assert "Of their 40 participants, 28 replied: a reply rate of 70% (54% in the previous round)." in text
    assert "89% from the participants of sub-regional workshops and 55% from those of regional workshops" in text


def test_sections_open_with_their_finding_and_the_colleagues_reached(demo_data):
    openings = summary.section_openings(report_data(2019))
    assert openings["2.2"][0] == (
        "Sharing training materials was the most common follow-up action, taken by 82% of the respondents."
    )
    assert re.search(
        r"shared the training materials with \d+ colleagues in all, a median of [\d.]+ each \(Q1\); "
        r"by their estimate \d+ colleagues learned from them, a median of [\d.]+ each \(Q1bis\)\.",
        openings["2.2"][1],
    )
    # The demo's 28 replies all describe the lessons' use (the published report quotes them).
    assert re.fullmatch(
        r"(\d+) of the 28 respondents \((\d+)%\) described how the lessons learnt at the workshop are utilized in "
        r"their administration \(Q2\)\.",
        openings["2.3"][0],
    )
    assert openings["2.4"] == [
        "50% of the respondents who answered Q3 realized direct effects from the application of what they learnt."
    ]
    assert openings["2.5"][0].startswith("100% of the respondents who answered Q4")
    assert openings["2.6"][0].startswith("73% of the respondents who answered Q5")


def test_without_an_earlier_round_no_previous_figure_is_invented(demo_data):
    EarlierRound.objects.filter(fiscal_year=2018).delete()
    text = " ".join(sentences(report_data(2019)))
    assert "a reply rate of 70%." in text
    assert "previous round" not in text


def test_ties_are_ranked_as_ties_and_actions_named_as_a_reader_says_them():
    ranking = [
        RankedAction("Share training materials", 9, 90),
        RankedAction("Submit reports", 7, 70),
        RankedAction("Make recommendations", 7, 70),
        RankedAction("Organize in-house workshop", 3, 30),
        RankedAction("Develop operational manuals", 2, 20),
        RankedAction("Others", 0, 0),
    ]
    assert [rank for rank, _ in summary.ranked(ranking)] == [1, 2, 2, 4, 5, 6]
    assert summary.ranking_sentence(ranking) == (
        "The ranking of the follow-up actions is (1) sharing training materials; (2) submitting reports to "
        "superiors and making recommendations to management, equally often; (4) organizing in-house workshops; "
        "(5) developing or updating operational manuals."
    )
    # The three most common take in every action tied with the third.
    assert [action.name for action in summary.top_actions(ranking[:1] + ranking[1:3] + [ranking[3]], 2)] == [
        "Share training materials",
        "Submit reports",
        "Make recommendations",
    ]


def test_the_summary_claims_no_more_than_section_2_7(demo_data):
    from reports.stats import association_sentences

    data = report_data(2019)
    text = " ".join(sentences(data))
    statistics = " ".join(association_sentences(data.tables["associations"]))
    # The demo's clearest raw p (sharing vs direct effects, 0.039) does not survive the adjustment for 18 pairings:
    # neither text may then call anything unlikely to be chance.
    assert "No pairing reaches an adjusted p below 0.05" in statistics
    assert "no association between a follow-up action and an outcome that chance alone could not explain" in text
    for word in ("proven", "caused", "because"):
        assert word not in text


# --- A FY2023/24-like round ----------------------------------------------------------------------------------


@pytest.fixture
def round_2023(workshop_factory, participant_factory):
    """FY2023/24: two surveyed regional/sub-regional workshops, one more not surveyed, an accreditation workshop,
    a national workshop; two replies from Fiji in one workshop; and a stray workshop of FY2022/23 with replies, a
    year whose report was never made (no edition, no published figures)."""

    def on(day: dt.date, **fields):
        return workshop_factory(start_date=day, end_date=day + dt.timedelta(days=3), **fields)

    regional = on(dt.date(2023, 8, 7), title="WCO Regional Workshop on AEO")
    subregional = on(dt.date(2023, 10, 2), title="WCO Sub-regional Workshop on RM", scope="sub-regional")
    on(dt.date(2023, 11, 6), title="WCO Regional Workshop on HS", surveyed=False)
    on(dt.date(2024, 1, 8), title="WCO Accreditation Workshop for Trainers", accreditation=True, surveyed=False)
    national = on(dt.date(2024, 3, 4), title="WCO National Workshop on PCA", scope="national")
    for administration, answers in (
        ("FJ", {"q1_shared_materials": True, "q3_direct_effects": True}),
        ("FJ", {"q1_shared_materials": True, "q3_direct_effects": False}),
        ("TO", {"q1_submitted_report": True}),
    ):
        reply(participant_factory(workshop=regional, administration=administration), **answers)
    participant_factory(workshop=regional, administration="WS")  # did not reply
    reply(participant_factory(workshop=subregional, administration="VU"), q1_submitted_report=True)
    participant_factory(workshop=subregional, administration="PG")
    reply(participant_factory(workshop=national, administration="TH"), q1_manuals=True)
    stray = on(dt.date(2023, 3, 6), title="WCO Regional Workshop held before the round")
    reply(participant_factory(workshop=stray, administration="MY"), q1_others=True)
    participant_factory(workshop=stray, administration="ID")
    participant_factory(workshop=stray, administration="IN")


def test_a_fy2023_24_like_round(round_2023):
    data = report_data(2023)
    text = " ".join(all_sentences(data))
    # Accreditation workshop left out of N; the unsurveyed regional one counted; national stated on its own.
    assert "organized a total of 3 regional/sub-regional workshops, excluding the accreditation workshops; 2 of" in text
    assert "The Survey also covered 1 national workshop, counted on its own." in text
    # Every scope present in the reply-rate sentence: regional 3 of 4, sub-regional 1 of 2, national 1 of 1.
    assert (
        "The reply rate was 50% from the participants of sub-regional workshops, 75% from those of regional "
        "workshops and 100% from those of national workshops." in text
    )
    # Tied actions share their rank; actions nobody took are not ranked.
    assert summary.ranking_sentence(data.figures.action_ranking) == (
        "The ranking of the follow-up actions is (1) sharing training materials and submitting reports to "
        "superiors, equally often; (3) developing or updating operational manuals."
    )
    assert "Sharing training materials and submitting reports to superiors were equally the most common" in text
    # Two replies from one administration are two replies.
    assert "Of their 7 participants, 5 replied: a reply rate of 71%." in text
    # The stray FY2022/23 workshop is no round: no previous figure, and no "Survey 2023" in the reply-rate chart.
    assert previous_round(2023) is None
    assert "previous round" not in text
    assert "Survey 2023" not in [entry.label for entry in reply_rate_trend(until=2023)]
    assert all(deepest_bracket(sentence) <= 1 for sentence in all_sentences(data))


def test_the_previous_round_comes_from_the_record_until_its_edition_is_final(round_2023):
    EarlierRound.objects.create(
        fiscal_year=2022, survey_year=2023, round_number=9, reply_rate_percent=41, q3_yes_percent=58
    )
    assert previous_round(2023).source == "published"
    text = " ".join(all_sentences(report_data(2023)))
    assert "a reply rate of 71% (41% in the previous round)" in text
    assert "(58% in the previous round)" in text  # Q3's Yes share, from the record
    trend = {entry.label: entry for entry in reply_rate_trend(until=2023)}
    assert (trend["Survey 2023"].reply_rate, trend["Survey 2023"].source) == (41, "published")
    # Once FY2022/23's edition is final, its replies in the database are the round (1 of 3 replied).
    finish(ReportEdition.objects.create(fiscal_year=2022)).make_final()
    assert (previous_round(2023).source, previous_round(2023).reply_rate) == ("database", 33)
    trend = {entry.label: entry for entry in reply_rate_trend(until=2023)}
    assert (trend["Survey 2023"].reply_rate, trend["Survey 2023"].source) == (33, "database")
