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

The markup of a page without errors (every page but a refused submit) differs from one participant to the next only
in the values typed and the boxes ticked: it is written once per language (`_kept_questions`, the words and the
markup) and each page fills in its values. A page with errors is written out whole.
"""

from __future__ import annotations

import html
import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString, mark_safe

from surveys.models import TEXT_MAX_LENGTH, Response
from surveys.questionnaire.forms import Control, Section, reply_sections


def escape(value: object) -> str:
    """What django.utils.html.escape does (the same five characters), without its check for lazy strings, which
    costs more than the escaping itself over the sixty-odd values of a page."""
    return html.escape(str(value))


class _Hole(str):
    """A control's state while the kept markup is written: its marker stands where the value or the checked attribute
    goes (a NUL and a number: no word of the instrument holds a NUL)."""


def _checked(chosen: object) -> str:
    if isinstance(chosen, _Hole):
        return chosen
    return " checked" if chosen else ""


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
        checked = _checked(control.value)
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
            f'id="{choice_id}" value="{escape(value)}"{_checked(chosen)}{aria}>'
            f'<label class="form-check-label" for="{choice_id}" id="{choice_id}_label">{escape(text)}</label></div>'
        )
    return f'<div class="mb-3 yes-no">{"".join(choices)}{_error(control)}</div>'


def questions_html(sections: list[Section]) -> SafeString:
    """The questions' controls with their values and errors."""
    if any(section.errors for section in sections):
        return whole_questions_html(sections)
    return _kept_questions(translation.get_language()).fill(sections)


def whole_questions_html(sections: list[Section]) -> SafeString:
    """The questions written out whole: a page with errors, and the kept markup (with holes for the states)."""
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


def _states(sections: list[Section]) -> list[str]:
    """Each control's state as its markup writes it, in the markup's order: the value of a box, the checked
    attribute of a tick box and of each choice."""
    states = []
    for section in sections:
        for control in section.controls:
            if control.kind == "radio":
                states += [_checked(chosen) for _value, _label, chosen in control.choices]
            elif control.kind == "checkbox":
                states.append(_checked(control.value))
            else:
                states.append(escape(control.value))
    return states


_HOLE = re.compile("\x00\\d+\x00")


@dataclass(frozen=True)
class _KeptQuestions:
    pieces: tuple[str, ...]  # the markup before, between and after the controls' states

    def fill(self, sections: list[Section]) -> SafeString:
        pieces = [self.pieces[0]]
        for state, piece in zip(_states(sections), self.pieces[1:], strict=True):
            pieces += (state, piece)
        return mark_safe("".join(pieces))  # noqa: S308 - the kept markup is escaped, and so is every state


@lru_cache(maxsize=8)
def _kept_questions(language: str) -> _KeptQuestions:
    """The markup of a page without errors in a language, each control's state a hole."""
    sections = reply_sections(Response())
    holes = (_Hole(f"\x00{number}\x00") for number in itertools.count())
    for section in sections:
        for control in section.controls:
            if control.kind == "radio":
                control.choices = [(value, label, next(holes)) for value, label, _chosen in control.choices]
            else:
                control.value = next(holes)
    markup = whole_questions_html(sections)
    if _HOLE.findall(markup) != _states(sections):
        raise ImproperlyConfigured("the questions' markup writes a control's state other than _states reads it")
    return _KeptQuestions(tuple(_HOLE.split(markup)))


@receiver(setting_changed)
@receiver(file_changed)
def forget_kept_questions(**kwargs: Any) -> None:
    """A setting changed (tests), or a catalogue the development server reloads without restarting."""
    _kept_questions.cache_clear()
