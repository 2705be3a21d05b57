"""Logs name no participant: e-mails and personal-link tokens are masked; LOG_FORMAT=json writes JSON lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from rocbap.logs import mask
from tests.conftest import ROOT

TOKEN = "Qx7_-a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuVwXyZ01"  # 43 characters, as new_token() makes them


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sent invitation to jane.doe+fy19@customs.gov.fj", "sent invitation to [email]"),
        ("Not Found: /r/" + TOKEN + "/", "Not Found: /r/[token]/"),
        ("Not Found: /r/short-guess/", "Not Found: /r/[token]/"),
        ("link https://survey.example.org/r/" + TOKEN + "/?x=1", "link https://survey.example.org/r/[token]/?x=1"),
        ("token " + TOKEN + " revoked", "token [token] revoked"),
        ("participant 42 replied (workshop FY19-AEO)", "participant 42 replied (workshop FY19-AEO)"),
    ],
)
def test_mask(text, expected):
    assert mask(text) == expected


def _run(code: str, tmp_path, **environment) -> subprocess.CompletedProcess:
    env = {**os.environ, "VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "rocbap.settings", **environment}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_json_lines_with_masked_message_and_traceback(tmp_path):
    code = f"""
import logging
log = logging.getLogger("surveys.dispatch")
log.warning("could not mail %s (link /r/%s/)", "someone@example.org", "{TOKEN}")
try:
    raise ValueError("bad address someone@example.org")
except ValueError:
    log.exception("send failed")
"""
    result = _run(code, tmp_path, LOG_FORMAT="json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert [line["message"] for line in lines] == ["could not mail [email] (link /r/[token]/)", "send failed"]
    assert lines[0]["level"] == "WARNING"
    assert lines[0]["logger"] == "surveys.dispatch"
    assert lines[0]["time"].endswith("+00:00")
    assert "ValueError: bad address [email]" in lines[1]["exception"]
    assert "someone@example.org" not in result.stderr
    assert TOKEN not in result.stderr


def test_django_request_log_of_a_guessed_link_hides_the_token(tmp_path, collected_static):
    code = f"""
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
print(Client().get("/r/{TOKEN}/").status_code)
"""
    # The 404 page links the stylesheets: the collected files' manifest names them.
    result = _run(code, tmp_path, LOG_FORMAT="plain", ALLOWED_HOSTS="testserver", STATIC_ROOT=str(collected_static))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("404")
    assert "Not Found: /r/[token]/" in result.stderr
    assert TOKEN not in result.stderr
