"""/healthz answers 200 when the database (and Redis, when configured) answer, 503 naming what failed."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

from tests.helpers import ROOT


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db
def test_healthy_with_the_database(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}
    assert "no-cache" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_unreachable_redis_gives_503_naming_it(client, settings):
    settings.REDIS_URL = f"redis://:secret-password@127.0.0.1:{_closed_port()}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failed"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"].startswith("failed: ")
    assert "secret-password" not in response.content.decode()


def test_unreachable_database_gives_503(tmp_path):
    # A real process whose PostgreSQL does not answer (nobody listens on the port).
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code, r.content.decode())"
    )
    environment = {
        **os.environ,
        "VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "rocbap.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{_closed_port()}/rocbap",
        "ALLOWED_HOSTS": "testserver",
        "REDIS_URL": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503"
    assert json.loads(body)["checks"]["database"].startswith("failed: ")


def test_only_get(client):
    assert client.post("/healthz").status_code == 405
