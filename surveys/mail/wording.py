"""Which wording an e-mail is rendered from: the office's own for its kind and language (surveys.models.EmailWording,
edited in the admin: surveys/admin/wording.py), else the files under templates/emails/<kind>/, which are the
defaults. Both are templates with the same values (surveys.mail.emails.context_for); an edited subject and plain
text are rendered without HTML escaping, as the files are (their {% autoescape off %})."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.template import engines
from django.template.loader import get_template

from surveys.models import EmailWording

# The parts of an e-mail, as the files under templates/emails/<kind>/ name them.
PARTS = {"subject": "subject.txt", "text": "body.txt", "html": "body.html"}


@dataclass(frozen=True)
class Wording:
    """An e-mail's three templates, ready to render."""

    subject: Any
    text: Any
    html: Any


def file_sources(folder: str) -> dict[str, str]:
    """The default wording of a kind: its files' sources, by part (the admin starts an office's wording from them)."""
    return {
        part: get_template(f"emails/{folder}/{name}").template.source  # type: ignore[attr-defined]
        for part, name in PARTS.items()
    }


def _plain(source: str) -> str:
    # A plain text is no HTML: "&" stays "&", as in the files' {% autoescape off %}.
    return "{% autoescape off %}" + source + "{% endautoescape %}"


@functools.lru_cache(maxsize=64)
def compiled(subject: str, text: str, html: str) -> Wording:
    """An edited wording, compiled (TemplateSyntaxError when it does not parse); kept, as the files' templates are."""
    engine = engines["django"]
    return Wording(engine.from_string(_plain(subject)), engine.from_string(_plain(text)), engine.from_string(html))


def default_wording(folder: str) -> Wording:
    return Wording(*(get_template(f"emails/{folder}/{name}") for name in PARTS.values()))


def wording_for(folder: str, language: str, kept: dict[tuple[str, str], Wording] | None = None) -> Wording:
    """The wording of a kind of e-mail (a folder of templates/emails/) in a language: the office's, else the files'.
    `kept` keeps what was looked up for a batch (one query per kind and language, not per message)."""
    key = (folder, language)
    if kept is not None and key in kept:
        return kept[key]
    row = EmailWording.objects.filter(kind=folder, language=language).first()
    wording = default_wording(folder) if row is None else compiled(row.subject, row.text, row.html)
    if kept is not None:
        kept[key] = wording
    return wording
