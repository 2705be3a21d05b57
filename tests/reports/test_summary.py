import pytest

from reports.summary import response_sentences, round_number, sentences
from tests.reports.conftest import small_report_data

pytestmark = pytest.mark.django_db


def test_round_numbers_follow_the_published_rounds():
    assert round_number(2019) == 6
    assert round_number(2022) == 9
    assert round_number(2010) is None


def test_sentences_carry_this_rounds_figures_and_the_previous_rate(demo_data):
    text = " ".join(sentences(2019, small_report_data()))
    assert "organized 4 regional/sub-regional workshops, 4 of which" in text
    assert "sixth round" in text
    assert "is 28, a reply rate of 70% (54% in the previous round)" in text
    assert "89% from the participants of sub-regional workshops, and 55% from the participants of regional" in text
    assert "share training materials (92%), submit reports (83%), others (25%)" in text
    assert "Of the respondents who realized direct effects, 2 (100%) had shared" in text
    assert "100% reported better efficiency (Q4)" in text
    assert response_sentences(2019, small_report_data())[0] in text
