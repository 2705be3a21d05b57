import pytest

from reports.figures import report_data
from reports.models import EarlierRound
from reports.summary import response_sentences, sentences

pytestmark = pytest.mark.django_db


def test_sentences_carry_this_rounds_figures_and_the_previous_rate(demo_data):
    text = " ".join(sentences(report_data(2019)))
    assert "organized 4 regional/sub-regional workshops, 4 of which" in text
    assert "sixth round" in text
    assert "is 28, a reply rate of 70% (54% in the previous round)" in text
    assert "89% from the participants of sub-regional workshops, and 55% from the participants of regional" in text
    assert "share training materials (82%), submit reports (68%), make recommendations (54%)" in text
    assert "Of the respondents who realized direct effects, 10 (77%) had shared" in text
    assert "Of the respondents who initiated new projects, 13 (68%) had submitted" in text
    assert "50% reported direct effects (Q3); 100% reported better efficiency and effectiveness (Q4); 73%" in text
    assert response_sentences(report_data(2019))[0] in text


def test_without_an_earlier_round_no_previous_figure_is_invented(demo_data):
    EarlierRound.objects.filter(fiscal_year=2018).delete()
    text = " ".join(sentences(report_data(2019)))
    assert "a reply rate of 70%." in text
    assert "previous round" not in text
