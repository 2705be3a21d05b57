"""The questions' HTML, written out in Python.

Rendering the twenty-odd controls through the template engine cost about 7 ms a page (some 13,000 node renders),
most of the page's time; the same markup built here takes a fraction of a millisecond. Every value passes through
escape(): answers are plain text, never HTML.
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


def _invalid(control: Control) -> tuple[str, str]:
    """(extra class, extra attributes) of a control with errors."""
    if not control.errors:
        return "", ""
    return " is-invalid", f' aria-invalid="true" aria-describedby="{control.error_id}"'


def _error(control: Control, block: bool = False) -> str:
    if not control.errors:
        return ""
    shown = " d-block" if block else ""
    text = escape(" ".join(str(error) for error in control.errors))
    return f'<div class="invalid-feedback{shown}" id="{control.error_id}">{text}</div>'


def _control(control: Control, indent: str) -> str:
    css, attrs = _invalid(control)
    label = escape(control.label)
    if control.kind == "checkbox":
        checked = " checked" if control.value else ""
        return (
            f'<div class="form-check mb-2"><input class="form-check-input{css}" type="checkbox" '
            f'name="{control.name}" id="{control.id}"{checked}>'
            f'<label class="form-check-label" for="{control.id}">{label}</label></div>'
        )
    if control.kind == "number":
        return (
            f'<div class="mb-3{indent}"><label class="form-label" for="{control.id}">{label}</label>'
            f'<input class="form-control count-input{css}" type="number" min="0" step="1" inputmode="numeric" '
            f'name="{control.name}" id="{control.id}" value="{escape(control.value)}"{attrs}>'
            f"{_error(control)}</div>"
        )
    if control.kind == "textarea":
        # A newline right after <textarea> is dropped by the HTML parser: one is written so that a text
        # starting with a line break keeps it.
        return (
            f'<div class="mb-3{indent}"><label class="form-label" for="{control.id}">{label}</label>'
            f'<textarea class="form-control{css}" name="{control.name}" id="{control.id}" rows="4" '
            f'maxlength="{TEXT_MAX_LENGTH}" dir="auto"{attrs}>\n{escape(control.value)}</textarea>'
            f"{_error(control)}</div>"
        )
    described = f' aria-describedby="{control.error_id}"' if control.errors else ""
    choices = "".join(
        f'<div class="form-check"><input class="form-check-input{css}" type="radio" name="{control.name}" '
        f'id="{control.id}_{index}" value="{escape(value)}"{" checked" if checked else ""}{described}>'
        f'<label class="form-check-label" for="{control.id}_{index}">{escape(text)}</label></div>'
        for index, (value, text, checked) in enumerate(control.choices)
    )
    return f'<div class="mb-3 yes-no"{described}>{choices}{_error(control, block=True)}</div>'


def questions_html(sections: list[Section]) -> SafeString:
    parts = []
    for section in sections:
        question = section.question
        indent = " ms-4" if question.number == "Q1" else ""
        invalid = ' aria-invalid="true"' if section.errors else ""
        hint = f'<p class="form-text mt-0">{escape(question.hint)}</p>' if question.hint else ""
        controls = "".join(_control(control, indent) for control in section.controls)
        parts.append(
            f'<fieldset class="question mb-4" id="{question.number.lower()}"{invalid}>'
            f'<legend class="h6 fw-semibold">{escape(question.number)}. {escape(question.text)}</legend>'
            f"{hint}{controls}</fieldset>"
        )
    return mark_safe("\n".join(parts))  # noqa: S308 - every value above is escaped
