"""The questionnaire as a web form (docs/questionnaire.md, "The rules of the form").

A draft only needs answers of the right type; submitting applies every rule. The rules live in
`QuestionnaireForm.submission_errors`, nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from surveys import instrument
from surveys.models import ANSWER_FIELDS, COUNTS, FREE_TEXTS, Q1_ACTIONS, TEXT_MAX_LENGTH, YES_NO_QUESTIONS, Response

YES, NO = "yes", "no"


def _yes_no(value: str) -> bool:
    return value == YES


class PlainTextField(forms.CharField):
    """Free text as typed. Browsers send line breaks as CR LF but count them as one character; counting them
    as one here too keeps the browser's 5,000-character limit and ours the same."""

    def __init__(self, **kwargs) -> None:
        super().__init__(max_length=TEXT_MAX_LENGTH, required=False, widget=forms.Textarea, **kwargs)

    def to_python(self, value: Any) -> str:
        return (super().to_python(value) or "").replace("\r\n", "\n")


_WHOLE = {"invalid": _("Enter a whole number, e.g. 12.")}
_INCOMPLETE = _(
    "The form arrived incomplete, so nothing was saved. Please check your answers below and press the button again."
)


def _yes_no_field(question: instrument.Question) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        # Lazy: the label is read in the language of the page that shows it.
        label=cast("str", question.text),
        choices=question.options,
        coerce=_yes_no,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


# The largest count the database stores (a positive integer column on PostgreSQL).
COUNT_MAX = 2_147_483_647


def _model_field(name: str) -> forms.Field:
    """The form field Django derives from the reply's model field (type, label, length, not required)."""
    field = Response._meta.get_field(name)
    assert isinstance(field, models.Field)
    form_field = field.formfield()
    assert form_field is not None
    return form_field


def _count_field() -> forms.IntegerField:
    return forms.IntegerField(min_value=0, max_value=COUNT_MAX, required=False, error_messages=_WHOLE)


class QuestionnaireForm(forms.Form):
    """One participant's answers. `submit=True` applies the rules of a submitted reply on top of the types.

    A plain form over the reply (`instance`), not a ModelForm: its fields check everything the model's would
    (types, lengths, the count range), and surveys.questionnaire.replies stores the answers. A ModelForm would also run
    the model's full_clean, every field validated again and each constraint as a query: a quarter of a submit's time.
    """

    # The revision of the reply the page was rendered from: a mismatch means the reply changed since. Without a
    # valid one (a body that is not the page's form) nothing is saved: the page comes back for the participant
    # to check, with the stored revision.
    revision = forms.IntegerField(
        min_value=0,
        widget=forms.HiddenInput,
        error_messages=dict.fromkeys(("required", "invalid", "min_value"), _INCOMPLETE),
    )

    contact_email = _model_field("contact_email")
    q1_shared_materials = _model_field("q1_shared_materials")
    q1_shared_with = _count_field()
    q1_submitted_report = _model_field("q1_submitted_report")
    q1_made_recommendations = _model_field("q1_made_recommendations")
    q1_inhouse_workshop = _model_field("q1_inhouse_workshop")
    q1_manuals = _model_field("q1_manuals")
    q1_others = _model_field("q1_others")
    q1_others_text = PlainTextField()
    q1bis_colleagues_learned = _count_field()
    q2_utilization = PlainTextField()
    q3_direct_effects = _yes_no_field(instrument.Q3)
    q3_text = PlainTextField()
    q4_contributed = _yes_no_field(instrument.Q4)
    q4_text = PlainTextField()
    q5_new_project = _yes_no_field(instrument.Q5)
    q5_text = PlainTextField()

    def __init__(self, data: Any = None, *, instance: Response | None = None, submit: bool = False) -> None:
        self.instance = Response() if instance is None else instance
        initial: dict[str, Any] = {name: getattr(self.instance, name) for name in ("contact_email", *ANSWER_FIELDS)}
        for name in YES_NO_QUESTIONS:
            initial[name] = {True: YES, False: NO}.get(initial[name])
        initial["revision"] = self.instance.revision
        super().__init__(data, initial=initial)
        self.submit = submit

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.submit:
            for field, message in self.submission_errors(data):
                if field not in self.errors:
                    self.add_error(field, message)
        return data

    @staticmethod
    def submission_errors(data: dict) -> list[tuple[str, str]]:
        """The rules a submitted reply must follow (a draft may break them)."""
        errors = []
        if data.get("q1_others") and not data.get("q1_others_text"):
            errors.append(("q1_others_text", gettext("Q1: you ticked Others: please describe the other actions.")))
        if data.get("q1_shared_with") is not None and not data.get("q1_shared_materials"):
            errors.append(
                (
                    "q1_shared_with",
                    gettext(
                        "Q1: tick “Circulated/shared training materials” to give the number of colleagues, "
                        "or leave the number empty."
                    ),
                )
            )
        if data.get("q1bis_colleagues_learned") is not None and not data.get("q1_shared_materials"):
            errors.append(
                (
                    "q1bis_colleagues_learned",
                    gettext(
                        "Q1bis: this number is asked only when you circulated/shared training materials "
                        "(first box of Q1)."
                    ),
                )
            )
        for name, number in zip(YES_NO_QUESTIONS, ("Q3", "Q4", "Q5"), strict=True):
            if data.get(name) is None:
                errors.append((name, gettext("Please answer %(number)s: choose Yes or No.") % {"number": number}))
        return errors

    def answers(self) -> dict:
        """The cleaned answers, by model field, ready to store."""
        return {name: self.cleaned_data.get(name) for name in ("contact_email", *ANSWER_FIELDS)}


def display_value(name: str, value) -> str:
    """An answer as the participant reads it on the thank-you page and in the conflict notice."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    return str(value)


def differences(stored: Response, answers: dict) -> list[tuple[str, str, str]]:
    """(field label, saved value, typed value) for every answer that differs from the stored reply."""
    changed = []
    for name, typed in answers.items():
        saved = getattr(stored, name)
        if saved != typed:
            label = Response.answer_label(name)
            changed.append((label, display_value(name, saved), display_value(name, typed)))
    return changed


# --- What the templates render -------------------------------------------------------------------------------
# The questionnaire page renders every control from these plain records in one hand-written template: the
# instrument's fieldsets and labels need it anyway, and it spares some sixty widget template renders per page.


@dataclass
class Control:
    name: str
    kind: str  # checkbox, number, textarea, radio
    # The words as the instrument has them (lazy): read in the active language only where the markup is written,
    # which for a page without errors is once per language (surveys.questionnaire.rendering).
    label: str | Promise
    value: object = None
    errors: list[str] = field(default_factory=list)
    choices: list[tuple[str, str | Promise, object]] = field(default_factory=list)  # radio: (value, label, checked)

    @property
    def id(self) -> str:
        return f"id_{self.name}"

    @property
    def error_id(self) -> str:
        return f"id_{self.name}_error"

    @property
    def target(self) -> str:
        """The element an error summary links to."""
        return f"{self.id}_0" if self.kind == "radio" else self.id


@dataclass
class Section:
    question: instrument.Question
    controls: list[Control]

    @property
    def errors(self) -> bool:
        return any(control.errors for control in self.controls)


def sections(form: QuestionnaireForm) -> list[Section]:
    """The controls of a submitted form: what the participant typed, with its errors."""
    return _sections(lambda name: form[name].value(), lambda name: [str(error) for error in form[name].errors])


def reply_sections(reply: Response) -> list[Section]:
    """The controls of a stored (or blank) reply, as the unbound form would show them. A page that is only shown
    needs no form: building one copies its eighteen fields and their widgets."""
    return _sections(lambda name: getattr(reply, name), lambda name: [])


def _sections(value_of: Callable[[str], Any], errors_of: Callable[[str], list[str]]) -> list[Section]:
    option_labels = dict(instrument.Q1.options)
    result = []
    for question in instrument.QUESTIONS:
        controls = []
        for name in question.fields:
            value, errors = value_of(name), errors_of(name)
            if name in Q1_ACTIONS:
                controls.append(Control(name, "checkbox", option_labels[name], bool(value), errors))
            elif name in COUNTS:
                label = instrument.FIELD_LABELS[name]
                controls.append(Control(name, "number", label, "" if value is None else value, errors))
            elif name in FREE_TEXTS:
                controls.append(Control(name, "textarea", instrument.FIELD_LABELS[name], value or "", errors))
            else:
                value = {True: YES, False: NO}.get(value, value)
                choices: list[tuple[str, str | Promise, object]] = [
                    (key, label, key == value) for key, label in question.options
                ]
                controls.append(Control(name, "radio", question.text, value, errors, choices))
        result.append(Section(question, controls))
    return result


def answer_summary(response: Response) -> list[tuple[instrument.Question, list[tuple[str, str]]]]:
    """Each question with (label, answer) lines, for the thank-you page and the read-only view."""
    option_labels = dict(instrument.Q1.options)
    summary = []
    for question in instrument.QUESTIONS:
        lines = []
        for name in question.fields:
            value = getattr(response, name)
            if name in Q1_ACTIONS:
                if value:
                    lines.append((gettext("Ticked"), str(option_labels[name])))
            elif name in YES_NO_QUESTIONS:
                lines.append((gettext("Answer"), display_value(name, value)))
            elif value not in (None, ""):
                lines.append((str(instrument.FIELD_LABELS[name]), display_value(name, value)))
        if question is instrument.Q1 and not any(getattr(response, n) for n in Q1_ACTIONS):
            lines.insert(0, (gettext("Ticked"), gettext("no box")))
        summary.append((question, lines))
    return summary
