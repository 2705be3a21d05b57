"""The participant's pages, reached by the personal link only (no account)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_http_methods

from rocbap.languages import normalized, office_names
from surveys import instrument
from surveys.models import Response
from surveys.questionnaire import throttle
from surveys.questionnaire.forms import QuestionnaireForm, answer_summary, reply_sections, sections
from surveys.questionnaire.links import participant_for_token
from surveys.questionnaire.pages import questionnaire_page
from surveys.questionnaire.rendering import questions_html
from surveys.questionnaire.replies import RoundClosed, round_is_closed, save_reply
from surveys.questionnaire.schedule import schedule_for
from workshops.models import Participant

# A personal link is a credential: keep the page out of caches and search engines (SECURE_REFERRER_POLICY keeps
# it out of other sites' logs).
TOKEN_PAGE_HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"}


def token_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Resolve the token to its participant; unknown tokens get a 404 that reveals nothing, and a client that
    keeps guessing gets 429 for its unknown tokens until its window ends. The participant's pages are in the
    participant's language; the others in the office's (rocbap.languages)."""

    # Compressed: a questionnaire of ~13 KB travels as ~4 KB to participants on slow lines (issue 15; the static
    # files come precompressed from whitenoise). Only these pages: staff downloads (PDF, Excel) gain nothing from
    # it. Django pads each compressed response with random bytes against BREACH, and the CSRF token is masked
    # anew on every page.
    @gzip_page
    @wraps(view)
    def wrapper(request: HttpRequest, token: str) -> HttpResponse:
        participant = participant_for_token(token)
        if participant is not None:
            # A valid 256-bit token cannot be guessed, so only misses are counted and refused: the cache stays
            # off the path of every real participant.
            language = normalized(participant.language)
            with translation.override(language):
                response = view(request, participant)
            response["Content-Language"] = language
        elif throttle.is_blocked(request):
            response = render(request, "surveys/too_many_attempts.html", status=429)
        else:
            throttle.record_miss(request)
            response = render(request, "surveys/link_not_found.html", status=404)
        for header, value in TOKEN_PAGE_HEADERS.items():
            response[header] = value
        return response

    return wrapper


def keep_key(participant: Participant) -> str:
    """The name under which static/surveys/keep.js keeps a participant's typing in their browser: derived from the
    link, so that the link itself (a credential) is never written into the browser's storage."""
    return salted_hmac("surveys.keep", participant.token).hexdigest()[:24]


def _stored_reply(participant: Participant) -> Response:
    try:
        return participant.response
    except Response.DoesNotExist:
        return Response(participant=participant, contact_email=participant.email)


def _closing() -> str:
    return instrument.with_office(instrument.CLOSING, office_names().short_name)


def questionnaire_context(
    request: HttpRequest, participant: Participant, reply: Response, form: QuestionnaireForm | None = None, **extra
) -> dict[str, Any]:
    """The participant's values of the questionnaire page, what its fresh parts show: the stored reply as it is (no
    form), or a submitted form with its errors. The rest of the page is kept per workshop and language
    (surveys.questionnaire.pages)."""
    due = schedule_for(participant.workshop).due
    if form is None:
        form_sections = reply_sections(reply)
        errors: dict = {}
        contact_email: object = reply.contact_email
        revision: object = reply.revision
    else:
        reply = form.instance
        form_sections = sections(form)
        errors = form.errors
        contact_email = form["contact_email"].value()
        # A body without a valid revision gets the stored one back (QuestionnaireForm.revision).
        revision = reply.revision if "revision" in errors else form["revision"].value()
    return {
        "request": request,
        "csrf_token": get_token(request),
        "participant": participant,
        "due": due,
        "past_due": timezone.localdate() > due,
        "errors": bool(errors),
        "submit": form is not None and form.submit,
        "bound": form is not None,  # typed answers (not the stored reply): keep.js keeps them
        "sections": form_sections,
        "questions_html": questions_html(form_sections),
        "contact_email": contact_email,
        "contact_email_errors": errors.get("contact_email", []),
        "revision": revision,
        # Errors that belong to no question: an incomplete body (revision), and any error of the form as a whole.
        "other_errors": [*errors.get("revision", []), *errors.get(NON_FIELD_ERRORS, [])],
        "reply": reply,
        "error_count": sum(len(field_errors) for field_errors in errors.values()),
        "keep_key": keep_key(participant),
        **extra,
    }


def _page(
    request: HttpRequest, participant: Participant, reply: Response, form: QuestionnaireForm | None = None, **extra
) -> HttpResponse:
    context = questionnaire_context(request, participant, reply, form, **extra)
    return HttpResponse(questionnaire_page(participant.workshop, context["due"]).render(context))


def _closed(request: HttpRequest, participant: Participant) -> HttpResponse:
    reply = _stored_reply(participant)
    context = {
        "participant": participant,
        "workshop": participant.workshop,
        "reply": reply,
        "summary": answer_summary(reply) if reply.pk else None,
        "closing": _closing(),
        "keep_key": keep_key(participant),
    }
    return render(request, "surveys/closed.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@token_page
def questionnaire(request: HttpRequest, participant: Participant) -> HttpResponse:
    if round_is_closed(participant):
        return _closed(request, participant)
    reply = _stored_reply(participant)
    if request.method != "POST":
        return _page(request, participant, reply, saved=request.GET.get("saved"))

    submit = "submit" in request.POST or reply.is_reply
    form = QuestionnaireForm(request.POST, instance=reply, submit=submit)
    if not form.is_valid():
        return _page(request, participant, reply, form)
    try:
        outcome = save_reply(participant, form.answers(), submit=submit, revision=form.cleaned_data["revision"])
    except RoundClosed:
        return _closed(request, participant)
    if outcome.conflicts:
        # Keep what the participant typed, now on top of the newer revision, for them to confirm.
        data = request.POST.copy()
        data["revision"] = str(outcome.response.revision)
        form = QuestionnaireForm(data, instance=outcome.response, submit=submit)
        form.is_valid()
        return _page(request, participant, outcome.response, form, conflicts=outcome.conflicts)
    if submit:
        return redirect("surveys:thanks", token=participant.token)
    return redirect(request.path + "?saved=draft")


@require_http_methods(["GET", "HEAD"])
@token_page
def thanks(request: HttpRequest, participant: Participant) -> HttpResponse:
    reply = _stored_reply(participant)
    if not reply.is_reply:
        return redirect("surveys:questionnaire", token=participant.token)
    context = {
        "participant": participant,
        "workshop": participant.workshop,
        "reply": reply,
        "summary": answer_summary(reply),
        "closed": round_is_closed(participant),
        "closing": _closing(),
        "keep_key": keep_key(participant),
    }
    return render(request, "surveys/thanks.html", context)


# Where the language switch returns to: the page it was on.
LANGUAGE_NEXT = {"questionnaire": "surveys:questionnaire", "thanks": "surveys:thanks"}


@require_http_methods(["POST"])
@token_page
def switch_language(request: HttpRequest, participant: Participant) -> HttpResponse:
    """The participant chose another language on their page: it is kept on the participant, so the page and every
    later e-mail are in it (not a cookie: the next message must know it too)."""
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES) and language != participant.language:
        Participant.objects.filter(pk=participant.pk).update(language=language)
    return redirect(LANGUAGE_NEXT.get(request.POST.get("next", ""), "surveys:questionnaire"), token=participant.token)
