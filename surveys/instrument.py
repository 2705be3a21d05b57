"""The office's questionnaire, word for word (docs/questionnaire.md). The web form, the admin, the e-mails and the
report's Appendix 1 all take the wording from here.

Every wording is marked for translation (gettext_lazy): it is read in the language active where it is shown, the
participant's on their page and in their e-mails, the edition's in the report. The French catalogue holds the
office's instrument in French (locale/fr). `%(office)s` is the office's short name (rocbap.office): fill it with
`with_office`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TITLE = _(
    "%(office)s Questionnaire on the Follow-Up Actions taken after the participation in the WCO Regional Workshop"
)

NOTES = (
    _(
        "This questionnaire is intended to collect pertinent information on the follow-up actions taken at your home "
        "administration in the wake of the participation in the captioned workshop. Please kindly provide your "
        "inputs/information on the follow-up actions taken after the workshop and up till today."
    ),
    _(
        "This questionnaire is never intended to evaluate and/or criticise any of the reporting or recommendations "
        "you have made, but rather to take a snapshot of the impact of the technical cooperation, which the "
        "%(office)s has initiated in cooperation with the WCO Secretariat."
    ),
)

CLOSING = _("Thank you for your cooperation — %(office)s")


def with_office(wording: str | Promise, office_short_name: str) -> str:
    """A wording of the instrument in the active language, with the office's short name in it."""
    return str(wording) % {"office": office_short_name}


@dataclass(frozen=True)
class Question:
    number: str  # "Q1", "Q1bis", ...
    text: str | Promise
    hint: str | Promise = ""
    options: tuple[tuple[str, str | Promise], ...] = ()  # (field, wording) of boxes or Yes/No choices
    fields: tuple[str, ...] = ()  # every model field that holds the answer, in order


Q1 = Question(
    "Q1",
    _("After you have come back from the Workshop, what specific follow-up actions you have done up till today?"),
    _("Please tick applicable answer(s) and/or fill in additional information, as appropriate."),
    options=(
        (
            "q1_shared_materials",
            _(
                "Circulated/shared training materials with colleagues "
                "(Please specify the number of colleagues with whom you shared the training materials.)"
            ),
        ),
        ("q1_submitted_report", _("Submitted a mission report to superiors")),
        ("q1_made_recommendations", _("Made some recommendations to management officials for consideration")),
        ("q1_inhouse_workshop", _("Organized an in-house workshop to cascade-down lessons learned")),
        ("q1_manuals", _("Developed/updated operation manuals, etc.")),
        ("q1_others", _("Others (Please describe below)")),
    ),
    fields=(
        "q1_shared_materials",
        "q1_shared_with",
        "q1_submitted_report",
        "q1_made_recommendations",
        "q1_inhouse_workshop",
        "q1_manuals",
        "q1_others",
        "q1_others_text",
    ),
)
Q1BIS = Question(
    "Q1bis",
    _(
        "In case you have circulated/shared training materials you have brought back, how many of your colleagues "
        "have learned from them?"
    ),
    _("Please estimate approximate number."),
    fields=("q1bis_colleagues_learned",),
)
Q2 = Question(
    "Q2",
    _("How are the lessons learned at the Workshop being utilized at your administration in general?"),
    _("Please briefly describe."),
    fields=("q2_utilization",),
)
Q3 = Question(
    "Q3",
    _(
        "Have you observed any direct effects realized from the application of techniques acquired/shared with "
        "frontline colleagues (e.g. change of management approach, seizures at the border)?"
    ),
    options=(("yes", _("Yes (please briefly describe the effects realized, where possible)")), ("no", _("No"))),
    fields=("q3_direct_effects", "q3_text"),
)
Q4 = Question(
    "Q4",
    _(
        "Do you consider that the Workshop has contributed or will contribute to improve efficiency/effectiveness "
        "of your administration's work?"
    ),
    options=(
        ("yes", _("Yes (please briefly describe how it contributed / will contribute)")),
        ("no", _("No (please briefly describe)")),
    ),
    fields=("q4_contributed", "q4_text"),
)
Q5 = Question(
    "Q5",
    _(
        "As a result of the Workshop and lessons learned, has any new modernization project been initiated at your "
        "administration level?"
    ),
    options=(("yes", _("Yes (please briefly describe the project(s) initiated, where possible)")), ("no", _("No"))),
    fields=("q5_new_project", "q5_text"),
)

QUESTIONS = (Q1, Q1BIS, Q2, Q3, Q4, Q5)

# The labels of the number and text boxes, as the participant reads them beside each question's own words.
FIELD_LABELS = {
    "q1_shared_with": _("Number of colleagues with whom you shared the training materials"),
    "q1_others_text": _("Description of the other actions"),
    "q1bis_colleagues_learned": _("Approximate number of colleagues"),
    "q2_utilization": _("Your description"),
    "q3_text": _("The effects realized (optional)"),
    "q4_text": _("How it contributed / will contribute, or why not (optional)"),
    "q5_text": _("The project(s) initiated (optional)"),
}

# The answer fields by kind, named as the model's fields and the frame's columns. They live here, free of
# Django, so that the pure counting rules (reports.tables) use the very same names as the model.
# The six Q1 boxes in the questionnaire's order.
Q1_ACTIONS = tuple(name for name, _wording in Q1.options)
# Q3-Q5: Yes / No, blank in imported data when not answered.
YES_NO_QUESTIONS = tuple(question.fields[0] for question in (Q3, Q4, Q5))
FREE_TEXTS = ("q1_others_text", "q2_utilization", "q3_text", "q4_text", "q5_text")
COUNTS = ("q1_shared_with", "q1bis_colleagues_learned")
# Every answer field in the questionnaire's order (the import format's column order too).
ANSWER_FIELDS = tuple(name for question in QUESTIONS for name in question.fields)
