"""The questions' HTML, written out in Python.

Rendering the twenty-odd controls through the template engine cost about 7 ms a page (some 13,000 node renders),
most of the page's time; the same markup built here takes a fraction of a millisecond. Every value passes through
escape(): answers are plain text, never HTML.

Every control's accessible name carries its question (issue 15: a screen reader landing in the Q2 box must hear the
question, not "Your description"):
* a question answered in one box (Q1bis, Q2) is that box's own label;
* a question with several controls (Q1, Q3-Q5) is a fieldset whose legend is the question, and each control is
  named by the legend followed by its own label (aria-labelledby), so it is heard even when reached out of order;
* the question's hint and the control's error describe it (aria-describedby); a control with an error is
  aria-invalid.
"""

from __future__ import annotations

import html

from django.utils.safestring import SafeString, mark_safe

from surveys.forms import Control, Section
from surveys.models import TEXT_MAX_LENGTH


def escape(value: object) -> str:
    """What django.utils.html.escape does (the same five characters), without its check for lazy strings, which
    costs more than the escaping itself over the sixty-odd values of a page."""
    return html.escape(str(value))


def _ids(*ids: str) -> str:
    return " ".join(i for i in ids if i)


def _aria(control: Control, named_by: str, hint_id: str) -> str:
    """The ARIA attributes of one control: its name (when grouped), description and error state."""
    attrs = f' aria-labelledby="{named_by}"' if named_by else ""
    described = _ids(hint_id, control.error_id if control.errors else "")
    if described:
        attrs += f' aria-describedby="{described}"'
    if control.errors:
        attrs += ' aria-invalid="true"'
    return attrs


def _error(control: Control) -> str:
    if not control.errors:
        return ""
    text = escape(" ".join(str(error) for error in control.errors))
    return f'<div class="invalid-feedback" id="{control.error_id}">{text}</div>'


def _box(control: Control, label: str, aria: str, css: str = "") -> str:
    """A number or text box, its label given as HTML (the control's words or the question)."""
    invalid = " is-invalid" if control.errors else ""
    if control.kind == "number":
        field = (
            f'<input class="form-control count-input{invalid}" type="number" min="0" step="1" inputmode="numeric" '
            f'name="{control.name}" id="{control.id}" value="{escape(control.value)}"{aria}>'
        )
    else:
        # A newline right after <textarea> is dropped by the HTML parser: one is written so that a text
        # starting with a line break keeps it.
        field = (
            f'<textarea class="form-control{invalid}" name="{control.name}" id="{control.id}" rows="4" '
            f'maxlength="{TEXT_MAX_LENGTH}" dir="auto"{aria}>\n{escape(control.value)}</textarea>'
        )
    return f'<div class="mb-3{css}">{label}{field}{_error(control)}</div>'


def _grouped(control: Control, question_id: str, hint_id: str, indent: str) -> str:
    """A control inside a question's fieldset: named by the question's legend and its own label."""
    invalid = " is-invalid" if control.errors else ""
    label_id = f"{control.id}_label"
    if control.kind == "checkbox":
        checked = " checked" if control.value else ""
        aria = _aria(control, _ids(question_id, label_id), hint_id)
        return (
            f'<div class="form-check mb-2"><input class="form-check-input{invalid}" type="checkbox" '
            f'name="{control.name}" id="{control.id}"{checked}{aria}>'
            f'<label class="form-check-label" for="{control.id}" id="{label_id}">{escape(control.label)}</label></div>'
        )
    if control.kind in ("number", "textarea"):
        aria = _aria(control, _ids(question_id, label_id), hint_id)
        label = f'<label class="form-label" for="{control.id}" id="{label_id}">{escape(control.label)}</label>'
        return _box(control, label, aria, indent)
    choices = []
    for index, (value, text, chosen) in enumerate(control.choices):
        choice_id = f"{control.id}_{index}"
        aria = _aria(control, _ids(question_id, f"{choice_id}_label"), hint_id)
        choices.append(
            f'<div class="form-check"><input class="form-check-input{invalid}" type="radio" name="{control.name}" '
            f'id="{choice_id}" value="{escape(value)}"{" checked" if chosen else ""}{aria}>'
            f'<label class="form-check-label" for="{choice_id}" id="{choice_id}_label">{escape(text)}</label></div>'
        )
    return f'<div class="mb-3 yes-no">{"".join(choices)}{_error(control)}</div>'


def questions_html(sections: list[Section]) -> SafeString:
    parts = []
    for section in sections:
        question = section.question
        anchor = question.number.lower()
        question_id = f"{anchor}_question"
        hint_id = f"{anchor}_hint" if question.hint else ""
        hint = f'<p class="form-text mt-0" id="{hint_id}">{escape(question.hint)}</p>' if question.hint else ""
        words = f"{escape(question.number)}. {escape(question.text)}"
        if len(section.controls) == 1 and section.controls[0].kind in ("number", "textarea"):
            control = section.controls[0]
            label = f'<label class="question-text" for="{control.id}" id="{question_id}">{words}</label>'
            parts.append(
                f'<div class="question mb-4" id="{anchor}">'
                f"{_box(control, label + hint, _aria(control, '', hint_id))}</div>"
            )
            continue
        indent = " ms-4" if question.number == "Q1" else ""
        controls = "".join(_grouped(control, question_id, hint_id, indent) for control in section.controls)
        parts.append(
            f'<fieldset class="question mb-4" id="{anchor}">'
            f'<legend class="question-text" id="{question_id}">{words}</legend>'
            f"{hint}{controls}</fieldset>"
        )
    return mark_safe("\n".join(parts))  # noqa: S308 - every value above is escaped
