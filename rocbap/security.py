"""Who is asking: the client's address as the lockout of staff logins and the throttle of link guessing count it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


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
