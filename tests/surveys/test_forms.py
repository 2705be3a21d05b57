from __future__ import annotations

import pytest

from surveys.models import Response
from surveys.questionnaire.forms import QuestionnaireForm, answer_summary
from tests.helpers import answers


def form(submit=True, **overrides):
    return QuestionnaireForm(answers(**overrides), instance=Response(), submit=submit)


@pytest.mark.django_db
class TestSubmissionRules:
    def test_complete_reply_is_valid(self):
        bound = form()
        assert bound.is_valid(), bound.errors
        assert bound.cleaned_data["q3_direct_effects"] is True
        assert bound.cleaned_data["q5_new_project"] is False
        assert bound.cleaned_data["q1_shared_with"] == 12

    def test_q1_may_be_left_without_any_box(self):
        bound = form(q1_shared_materials=None, q1_shared_with="", q1_submitted_report=None, q1bis_colleagues_learned="")
        assert bound.is_valid(), bound.errors

    def test_others_needs_its_description(self):
        bound = form(q1_others="on", q1_others_text="  ")
        assert not bound.is_valid()
        assert "describe the other actions" in bound.errors["q1_others_text"][0]
        assert form(q1_others="on", q1_others_text="Briefed the director").is_valid()

    @pytest.mark.parametrize("field", ["q1_shared_with", "q1bis_colleagues_learned"])
    def test_numbers_only_with_materials_shared(self, field):
        bound = form(q1_shared_materials=None, **{field: "3"})
        assert not bound.is_valid()
        assert field in bound.errors

    @pytest.mark.parametrize("value", ["-1", "2.5", "twelve"])
    def test_numbers_are_whole_and_not_negative(self, value):
        bound = form(q1_shared_with=value)
        assert not bound.is_valid()
        assert "q1_shared_with" in bound.errors

    @pytest.mark.parametrize("field", ["q3_direct_effects", "q4_contributed", "q5_new_project"])
    def test_yes_or_no_required_on_submit(self, field):
        bound = form(**{field: None})
        assert not bound.is_valid()
        assert "choose Yes or No" in bound.errors[field][0]

    def test_descriptions_are_optional(self):
        assert form(q3_text="", q4_text="", q5_text="").is_valid()

    def test_draft_needs_only_right_types(self):
        bound = form(submit=False, q3_direct_effects=None, q1_others="on", q1_shared_materials=None)
        assert bound.is_valid(), bound.errors
        assert not form(submit=False, q1_shared_with="abc").is_valid()

    def test_free_text_limit_is_5000_characters_counting_line_breaks_once(self):
        text = "ก" * 4998 + "\r\nx"  # 5,000 characters once CR LF counts as one line break
        bound = form(q2_utilization=text)
        assert bound.is_valid(), bound.errors
        assert bound.cleaned_data["q2_utilization"] == "ก" * 4998 + "\nx"
        assert not form(q2_utilization="x" * 5001).is_valid()


def test_summary_lists_ticked_boxes_and_answers():
    reply = Response(q1_shared_materials=True, q1_shared_with=4, q3_direct_effects=False, q2_utilization="ນະໂຍບາຍ")
    summary = {question.number: lines for question, lines in answer_summary(reply)}
    assert ("Ticked", summary["Q1"][0][1]) == summary["Q1"][0]
    assert summary["Q1"][0][1].startswith("Circulated/shared training materials")
    assert ("Number of colleagues with whom you shared the training materials", "4") in summary["Q1"]
    assert summary["Q2"] == [("Your description", "ນະໂຍບາຍ")]
    assert summary["Q3"] == [("Answer", "No")]
    assert summary["Q4"] == [("Answer", "—")]


@pytest.mark.django_db
def test_free_texts_are_stored_without_surrounding_whitespace():
    # The report counts a Q2 text that is not empty as an answer (reports.frames): whitespace alone is no answer.
    bound = form(q2_utilization=" \r\n\t\u00a0 ", q1_others_text="  Trained the port staff.\n")
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["q2_utilization"] == ""
    assert bound.cleaned_data["q1_others_text"] == "Trained the port staff."
