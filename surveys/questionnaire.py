"""The office's questionnaire, word for word (docs/questionnaire.md). The web form, the admin, the e-mails and the
report's Appendix 1 all take the wording from here."""

from __future__ import annotations

from dataclasses import dataclass

TITLE = "ROCB A/P Questionnaire on the Follow-Up Actions taken after the participation in the WCO Regional Workshop"

NOTES = (
    "This questionnaire is intended to collect pertinent information on the follow-up actions taken at your home "
    "administration in the wake of the participation in the captioned workshop. Please kindly provide your "
    "inputs/information on the follow-up actions taken after the workshop and up till today.",
    "This questionnaire is never intended to evaluate and/or criticise any of the reporting or recommendations you "
    "have made, but rather to take a snapshot of the impact of the technical cooperation, which the ROCB A/P has "
    "initiated in cooperation with the WCO Secretariat.",
)

CLOSING = "Thank you for your cooperation — ROCB A/P"


@dataclass(frozen=True)
class Question:
    number: str  # "Q1", "Q1bis", ...
    text: str
    hint: str = ""
    options: tuple[tuple[str, str], ...] = ()  # (field, wording) of boxes or Yes/No choices
    fields: tuple[str, ...] = ()  # every model field that holds the answer, in order


Q1 = Question(
    "Q1",
    "After you have come back from the Workshop, what specific follow-up actions you have done up till today?",
    "Please tick applicable answer(s) and/or fill in additional information, as appropriate.",
    options=(
        (
            "q1_shared_materials",
            "Circulated/shared training materials with colleagues "
            "(Please specify the number of colleagues with whom you shared the training materials.)",
        ),
        ("q1_submitted_report", "Submitted a mission report to superiors"),
        ("q1_made_recommendations", "Made some recommendations to management officials for consideration"),
        ("q1_inhouse_workshop", "Organized an in-house workshop to cascade-down lessons learned"),
        ("q1_manuals", "Developed/updated operation manuals, etc."),
        ("q1_others", "Others (Please describe below)"),
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
    "In case you have circulated/shared training materials you have brought back, how many of your colleagues "
    "have learned from them?",
    "Please estimate approximate number.",
    fields=("q1bis_colleagues_learned",),
)
Q2 = Question(
    "Q2",
    "How are the lessons learned at the Workshop being utilized at your administration in general?",
    "Please briefly describe.",
    fields=("q2_utilization",),
)
Q3 = Question(
    "Q3",
    "Have you observed any direct effects realized from the application of techniques acquired/shared with "
    "frontline colleagues (e.g. change of management approach, seizures at the border)?",
    options=(("yes", "Yes (please briefly describe the effects realized, where possible)"), ("no", "No")),
    fields=("q3_direct_effects", "q3_text"),
)
Q4 = Question(
    "Q4",
    "Do you consider that the Workshop has contributed or will contribute to improve efficiency/effectiveness of "
    "your administration's work?",
    options=(
        ("yes", "Yes (please briefly describe how it contributed / will contribute)"),
        ("no", "No (please briefly describe)"),
    ),
    fields=("q4_contributed", "q4_text"),
)
Q5 = Question(
    "Q5",
    "As a result of the Workshop and lessons learned, has any new modernization project been initiated at your "
    "administration level?",
    options=(("yes", "Yes (please briefly describe the project(s) initiated, where possible)"), ("no", "No")),
    fields=("q5_new_project", "q5_text"),
)

QUESTIONS = (Q1, Q1BIS, Q2, Q3, Q4, Q5)

# The labels of the number and text boxes, as the participant reads them beside each question's own words.
FIELD_LABELS = {
    "q1_shared_with": "Number of colleagues with whom you shared the training materials",
    "q1_others_text": "Description of the other actions",
    "q1bis_colleagues_learned": "Approximate number of colleagues",
    "q2_utilization": "Your description",
    "q3_text": "The effects realized (optional)",
    "q4_text": "How it contributed / will contribute, or why not (optional)",
    "q5_text": "The project(s) initiated (optional)",
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
