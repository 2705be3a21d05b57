"""The questionnaire page: the parts that do not depend on the participant rendered once and kept (issue 15).

Most of the page is the same for every participant of a workshop who reads it in the same language: the office's
words, the workshop's heading, the notes, the due date, the labels of the language switch. Its template,
templates/surveys/questionnaire.html, is an ordinary template in which the participant's parts (their name and
administration, their answers and errors, the notices, the link's token, the CSRF token) are marked
{% fresh %} ... {% endfresh %} (surveys/templatetags/kept.py).

`keep` renders such a template once, with the kept values only: the HTML between the fresh parts is kept, and the
fresh parts' template code is handed over. `KeptPage.render` then renders only the fresh parts on each request,
with the request's values only, and joins them with the kept HTML. The page is the one the ordinary render of the
template (every value at once) gives, byte for byte (tests/surveys/test_pages.py).

The kept pages are kept per process, under a key made of what their kept parts show: the language and the
workshop's title, dates, venue and due date. The kept render reads these from the key itself (never from the
workshop's row), so a kept page cannot show a value that is not in its key, and a workshop whose title or dates
change gets another key: a kept page is never stale. The office, the catalogues, the templates and the static
files' names stay as they are for the life of a process; a changed setting (the tests do it) or a template or
catalogue reloaded by the development server empties the store.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Context, Template
from django.template.base import NodeList
from django.template.loader import get_template
from django.utils import translation
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString

from rocbap.languages import office_names, page_context
from surveys import instrument
from workshops.models import Workshop

# The context variable of a kept render: the list the fresh parts are collected in (surveys/templatetags/kept.py).
FRESH_PARTS = "kept_page_fresh_parts"
# The context variable of a request's render: the kept page whose fresh parts are rendered.
KEPT_PAGE = "kept_page"


class FreshParts(list[NodeList]):
    """The fresh parts of a kept render, in the page's order, and the markers that hold their places in the HTML.
    A marker holds a random word drawn for this render: no text of the page (a workshop's title) can forge one."""

    def __init__(self) -> None:
        super().__init__()
        self.mark = f"\x00fresh-{secrets.token_hex(8)}-"

    def marker(self, index: int) -> str:
        return f"{self.mark}{index}\x00"

    def split(self, html: str) -> list[str]:
        """The kept HTML between the markers (one piece more than there are fresh parts)."""
        pieces = re.split(re.escape(self.mark) + r"(\d+)\x00", html)
        if [int(index) for index in pieces[1::2]] != list(range(len(self))):
            # A filter or a tag around a fresh part changed or dropped its marker.
            raise ImproperlyConfigured("a {% fresh %} part's place was lost in the kept render")
        return pieces[0::2]


@dataclass(frozen=True)
class KeptPage:
    kept: tuple[str, ...]  # the kept HTML: before, between and after the fresh parts
    fresh: tuple[NodeList, ...]

    def render(self, context: dict[str, Any]) -> SafeString:
        """The page for one request: `context` holds the fresh parts' values (and only theirs)."""
        return _request_template().render(Context({**context, KEPT_PAGE: self}))

    def fill(self, context: Context) -> str:
        pieces = [self.kept[0]]
        for nodelist, kept in zip(self.fresh, self.kept[1:], strict=True):
            pieces += (nodelist.render(context), kept)
        return "".join(pieces)


@cache
def _request_template() -> Template:
    # The fresh parts are rendered inside a template of their own: Template.render binds the context to a template,
    # which tags such as include need (and a missing variable, to be rendered as the engine says).
    return Template("{% load kept %}{% kept_page %}")


def keep(template_name: str, context: dict[str, Any]) -> KeptPage:
    """Render a template with its kept values only: its kept HTML, and its fresh parts to render per request."""
    parts = FreshParts()
    html = get_template(template_name).render({**context, FRESH_PARTS: parts})
    return KeptPage(tuple(parts.split(html)), tuple(parts))


# --- The questionnaire ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionnaireKey:
    """Everything the kept parts of a questionnaire page show, besides the office and the catalogues."""

    language: str
    title: str
    start_date: dt.date
    end_date: dt.date
    venue: str
    due: dt.date

    @classmethod
    def of(cls, workshop: Workshop, due: dt.date) -> QuestionnaireKey:
        language = translation.get_language()
        return cls(language, workshop.title_in(language), workshop.start_date, workshop.end_date, workshop.venue, due)

    def context(self) -> dict[str, Any]:
        """The kept values of the page, from the key alone: the workshop is one made of the key's fields."""
        office = office_names(self.language).short_name
        workshop = Workshop(title=self.title, start_date=self.start_date, end_date=self.end_date, venue=self.venue)
        return {
            **page_context(),
            "workshop": workshop,
            "due": self.due,
            "questionnaire_title": instrument.with_office(instrument.TITLE, office),
            "notes": [instrument.with_office(note, office) for note in instrument.NOTES],
            "closing": instrument.with_office(instrument.CLOSING, office),
        }


# Some hundred workshops and two languages in a year's rounds; a kept page is some 15 KB.
KEPT_QUESTIONNAIRES = 512


def questionnaire_page(workshop: Workshop, due: dt.date) -> KeptPage:
    """The questionnaire page of a workshop in the active language, rendered once and kept."""
    return _kept_questionnaire(QuestionnaireKey.of(workshop, due))


@lru_cache(maxsize=KEPT_QUESTIONNAIRES)
def _kept_questionnaire(key: QuestionnaireKey) -> KeptPage:
    with translation.override(key.language):
        return keep("surveys/questionnaire.html", key.context())


@receiver(setting_changed)
@receiver(file_changed)
def forget_kept_pages(**kwargs: Any) -> None:
    """A setting changed (tests), or a template or catalogue the development server reloads without restarting."""
    _kept_questionnaire.cache_clear()
    _request_template.cache_clear()
