"""Who is asking: the client's address as the lockout of staff logins and the throttle of link guessing count it."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind the production proxy (HTTPS=true) the address it appended to X-Forwarded-For.

    Only the last entry is the proxy's own: anything before it was sent by the client and can be forged.
    """
    if settings.HTTPS:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")


def refuse_nul_in_query(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Middleware: a query string with a NUL character gets 400 Bad Request.

    No page of the site has a use for it, and PostgreSQL refuses it in any text it is given: an admin filter or
    search with a NUL would otherwise end in a 500.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            raise BadRequest("The address contains a NUL character.")
        return get_response(request)

    return middleware
