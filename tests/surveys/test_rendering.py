"""The questions' markup kept per language (surveys.questionnaire.rendering): the same markup as the questions written
out whole,
whatever the answers; in the page's language; written out whole when a control has an error."""

from __future__ import annotations

import pytest
from django.utils import translation

from surveys.instrument import Q1_ACTIONS, QUESTIONS
from surveys.models import Response
from surveys.questionnaire import rendering
from surveys.questionnaire.forms import QuestionnaireForm, reply_sections, sections
from tests.helpers import answers

REPLIES = {
    "blank": {},
    "every box ticked, every answer yes": {
        **dict.fromkeys(Q1_ACTIONS, True),
        "q1_shared_with": 12,
        "q1bis_colleagues_learned": 0,
        "q1_others_text": "Briefed the director",
        "q2_utilization": '\nStarts with a line break, holds <b>tags</b> & "quotes" ສະບາຍດີ',
        "q3_direct_effects": True,
        "q3_text": "Two seizures.",
        "q4_contributed": True,
        "q5_new_project": True,
        "q5_text": "x" * 5000,
    },
    "some boxes, every answer no": {
        "q1_submitted_report": True,
        "q1_manuals": True,
        "q1bis_colleagues_learned": 2_147_483_647,
        "q3_direct_effects": False,
        "q4_contributed": False,
        "q4_text": "Not yet.",
        "q5_new_project": False,
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("reply", REPLIES.values(), ids=REPLIES.keys())
def test_the_kept_markup_is_the_markup_written_out_whole(language, reply):
    with translation.override(language):
        stored = reply_sections(Response(**reply))
        assert rendering.questions_html(stored) == rendering.whole_questions_html(stored)
        typed = QuestionnaireForm(answers(q1_others="on", q1_others_text="<i>typed</i>"), instance=Response())
        assert typed.is_valid(), typed.errors
        assert rendering.questions_html(sections(typed)) == rendering.whole_questions_html(sections(typed))


def test_the_values_are_filled_in():
    html = rendering.questions_html(reply_sections(Response(**REPLIES["every box ticked, every answer yes"])))
    assert html.count(" checked") == len(Q1_ACTIONS) + 3  # six boxes and three Yes
    assert 'name="q1_shared_with" id="id_q1_shared_with" value="12"' in html
    assert "Starts with a line break, holds &lt;b&gt;tags&lt;/b&gt; &amp; &quot;quotes&quot;" in html
    assert "\x00" not in html
    assert rendering.questions_html(reply_sections(Response())).count(" checked") == 0


HINT = {"en": "Please estimate approximate number.", "fr": "Veuillez indiquer un nombre approximatif."}


def test_each_language_has_its_own_words():
    for language in ("en", "fr", "en", "fr"):
        with translation.override(language):
            html = rendering.questions_html(reply_sections(Response()))
        assert HINT[language] in html
        assert HINT["fr" if language == "en" else "en"] not in html


def test_a_form_with_errors_is_written_out_whole():
    form = QuestionnaireForm(answers(q3_direct_effects=None), instance=Response(), submit=True)
    assert not form.is_valid()
    html = rendering.questions_html(sections(form))
    assert 'aria-invalid="true"' in html and 'id="id_q3_direct_effects_error"' in html
    assert html.count("<fieldset") + html.count('<div class="question') == len(QUESTIONS)
