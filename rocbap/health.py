"""/healthz: can this process serve? The database answers, and Redis when it is configured."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _redis() -> None:
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


def checks() -> dict[str, str]:
    """Each configured dependency -> "ok" or what failed (the exception's class, never a password in a URL)."""
    probes = {"database": _database}
    if settings.REDIS_URL:
        probes["redis"] = _redis
    results = {}
    for name, probe in probes.items():
        try:
            probe()
        except Exception as exc:  # any failure of the dependency makes the process unhealthy
            logger.warning("health check: %s failed: %s", name, type(exc).__name__)
            results[name] = f"failed: {type(exc).__name__}"
        else:
            results[name] = "ok"
    return results


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    results = checks()
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse({"status": "ok" if healthy else "failed", "checks": results}, status=200 if healthy else 503)
