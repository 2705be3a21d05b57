"""Throttling of token guessing: after too many unknown tokens from one client address within a window, that
address gets 429 for the rest of the window. Counts live in Django's cache, shared by every worker."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from rocbap.security import client_ip


def _key(request: HttpRequest) -> str:
    # The same client address as the staff-login lockout counts: behind the production proxy, the one it appended.
    return "token-misses:" + (client_ip(request) or "unknown")


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
