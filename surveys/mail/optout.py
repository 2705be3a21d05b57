"""Opting out of e-mail: a signed link in every message and the small page it opens.

The link carries the participant's id signed with SECRET_KEY (no lookup table, nothing to guess). A GET shows
a confirmation button; a POST opts out. Mail clients that implement one-click unsubscribe (RFC 8058,
List-Unsubscribe-Post) POST to the same address without a CSRF token, hence csrf_exempt: the signature is the
credential.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from rocbap.languages import normalized
from workshops.models import Participant

_SALT = "rocbap.surveys.mail.optout"


def optout_url(participant: Participant) -> str:
    signed = signing.dumps(participant.pk, salt=_SALT, compress=True)
    return settings.SITE_URL + reverse("surveys:opt_out", args=[signed])


def participant_for_signature(signed: str) -> Participant | None:
    try:
        participant_id = signing.loads(signed, salt=_SALT)
    except signing.BadSignature:
        return None
    return Participant.objects.select_related("workshop").filter(pk=participant_id).first()


def opt_out(participant: Participant) -> None:
    """From now on the participant receives nothing more (the dispatch checks this at send time)."""
    Participant.objects.filter(pk=participant.pk, opted_out_at__isnull=True).update(opted_out_at=timezone.now())


@csrf_exempt
@require_http_methods(["GET", "POST"])
def opt_out_view(request: HttpRequest, signed: str) -> HttpResponse:
    participant = participant_for_signature(signed)
    if participant is None:
        # In the office's language, as every page of no known participant.
        return render(request, "surveys/link_not_found.html", status=404)
    if request.method == "POST":
        opt_out(participant)
        participant.refresh_from_db(fields=["opted_out_at"])
    language = normalized(participant.language)
    with translation.override(language):
        response = render(
            request,
            "surveys/opt_out.html",
            {"participant": participant, "office_email": settings.OFFICE_EMAIL},
        )
    response["Content-Language"] = language
    return response
