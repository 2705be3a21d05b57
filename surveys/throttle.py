"""Throttling of token guessing: after too many unknown tokens from one client address within a window, that
address gets 429 for the rest of the window. Counts live in Django's cache, shared by every worker."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _key(request: HttpRequest) -> str:
    # REMOTE_ADDR is the client as the WSGI server sees it; behind a proxy, the deployment sets it from the
    # proxy's header before Django runs.
    return "token-misses:" + request.META.get("REMOTE_ADDR", "unknown")


def is_blocked(request: HttpRequest) -> bool:
    return (cache.get(_key(request)) or 0) >= settings.TOKEN_GUESS_LIMIT


def record_miss(request: HttpRequest) -> None:
    key = _key(request)
    # add() starts the window; later misses count up within it.
    if not cache.add(key, 1, timeout=settings.TOKEN_GUESS_WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=settings.TOKEN_GUESS_WINDOW)
