"""Which language a request is answered in, and the office's names in it.

Participant pages follow the participant (surveys.questionnaire.views switches to the participant's language around
each view: English, French, Spanish or Arabic, as the office offers them); the staff pages (/staff/) and the admin
(/admin/, Django's own words from Django's catalogues, the product's from ours) follow the staff user's browser
(Accept-Language, the office's staff languages only: English, French, Spanish, Arabic; the office's first of those
for a browser that asks for none of them), with
`Vary: Accept-Language` so that no cache hands one staff user's language to another; every other page (an unknown
link, a bad request) is in the office's default language. The language is set for each request and the thread's own
restored afterwards, so that no request (nor a test after it) inherits another's. What staff start in the background
(a workbook import) records the language it was started in and runs in it (surveys.imports.jobs).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

from rocbap.office import Office, OfficeNames

ADMIN_PREFIX = "/admin/"
STAFF_PREFIX = "/staff/"


def office() -> Office:
    return settings.OFFICE


def office_names(language: str | None = None) -> OfficeNames:
    """The office's names in a language; by default in the active one."""
    return settings.OFFICE.in_language(language or translation.get_language())


def normalized(language: str | None) -> str:
    """A language the product speaks ("fr-CA" -> "fr"); the office's default for anything else."""
    code = (language or "").split("-")[0].lower()
    return code if code in dict(settings.LANGUAGES) else settings.OFFICE.default_language


def is_staff_path(path: str) -> bool:
    """The pages of staff (the staff pages and the admin): in the staff user's language."""
    return path.startswith((STAFF_PREFIX, ADMIN_PREFIX))


def staff_language(language: str | None) -> str:
    """A language the staff pages, the admin and the report are written in (English, French, Spanish, Arabic) and the
    office offers; the office's first such language for anything else (a language with no staff pages; a staff
    language the office does not list)."""
    code = (language or "").split("-")[0].lower()
    return code if code in settings.OFFICE.staff_languages else settings.OFFICE.staff_default_language


def browser_language(request: HttpRequest) -> str:
    """The first of the browser's languages (Accept-Language, in its order of preference) that the staff pages are
    written in; the office's default staff language when it asks for none of them. (Django's
    get_language_from_request would answer LANGUAGE_CODE, English, which a French-first office's staff did not ask
    for either.)"""
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        try:
            supported = normalized(translation.get_supported_language_variant(code))
        except LookupError:
            continue
        if supported in settings.OFFICE.staff_languages:
            return supported
    return settings.OFFICE.staff_default_language


def request_language(request: HttpRequest) -> str:
    if is_staff_path(request.path_info):
        return browser_language(request)
    return settings.OFFICE.default_language


class OfficeLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request_language(request)
        request.LANGUAGE_CODE = language
        # Restored afterwards: the thread (a worker, a test) goes on in the language it had.
        with translation.override(language):
            response = self.get_response(request)
            # A view may have switched (the participant's language): the header names what the page is in.
            response.headers.setdefault("Content-Language", translation.get_language() or language)
        if is_staff_path(request.path_info):
            patch_vary_headers(response, ["Accept-Language"])
        return response


def office_context(request: HttpRequest) -> dict[str, Any]:
    """The office and the page's language for every template: `lang` and `dir` on <html>, the office's names."""
    return page_context()


def page_context() -> dict[str, Any]:
    """What office_context gives, for a page rendered without a request (a kept page, surveys.questionnaire.pages)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "office": office_names(language),
        "office_logo": settings.OFFICE.logo,
        "page_language": language,
        "page_direction": "rtl" if translation.get_language_bidi() else "ltr",
    }


def language_choices() -> list[tuple[str, str]]:
    """The choices of a language field (a callable, so that adding a language needs no migration)."""
    return list(settings.LANGUAGES)


def default_language() -> str:
    """The default of a language field: the office's first language."""
    return str(settings.OFFICE.default_language)


def staff_language_choices() -> list[tuple[str, str]]:
    """The choices of a language field that staff write and read in (a report edition's): the office's staff
    languages (English, French, Spanish, Arabic as it lists them)."""
    return [(code, name) for code, name in settings.LANGUAGES if code in settings.OFFICE.staff_languages]


def default_staff_language() -> str:
    """The default of such a field: the office's first staff language."""
    return str(settings.OFFICE.staff_default_language)


def default_signatory_title() -> str:
    """A new report edition's signatory title: the office's, in its first language (staff may change it)."""
    return settings.OFFICE.in_language(settings.OFFICE.default_language).signatory_title
