"""Logs name no participant: e-mails and personal-link tokens are masked; LOG_FORMAT=json writes JSON lines."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time

import pytest

from rocbap.logs import mask
from tests.helpers import ROOT

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
log = logging.getLogger("surveys.mail.sending")
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
    assert lines[0]["logger"] == "surveys.mail.sending"
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


# --- the servers' own logs: gunicorn (access and error log) and the development server -------------------------

ADDRESS = "jane.doe@customs.gov.fj"


def _prepared_environment(tmp_path) -> dict[str, str]:
    """A migrated SQLite database and collected static files (the 404 page links the stylesheets)."""
    env = {
        **os.environ,
        "VAR_DIR": str(tmp_path / "var"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_FORMAT": "plain",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=120)
    return env


def _serve_and_visit(command: list[str], env: dict[str, str], tmp_path) -> str:
    """Start the server, send a guessed link with an address in its query, and a request line gunicorn refuses
    (it quotes the line in its error log), then stop it; returns everything it logged."""
    import socket
    import urllib.error
    import urllib.request

    from tests.integration.servers import free_port, wait_for

    port = free_port()
    log = tmp_path / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [*command, f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        try:

            def ready() -> bool:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                        return True
                except OSError:
                    return process.poll() is not None

            wait_for(ready, 60, "the server")
            assert process.poll() is None, log.read_text()
            with pytest.raises(urllib.error.HTTPError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}/r/{TOKEN}/?from={ADDRESS}", timeout=10)
            with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
                raw.sendall(f"GET /r/x/ {TOKEN} {ADDRESS}\r\nHost: 127.0.0.1\r\n\r\n".encode())
                raw.recv(4096)
            time.sleep(0.5)  # let the lines reach the file
        finally:
            process.terminate()
            process.wait(20)
    return log.read_text()


def test_gunicorn_access_and_error_logs_are_masked(tmp_path):
    env = _prepared_environment(tmp_path)
    command = [sys.executable, "-m", "gunicorn", "rocbap.wsgi", "-c", "deploy/gunicorn.conf.py", "--workers", "1"]
    output = _serve_and_visit([*command, "--bind"], env, tmp_path)
    # The lines are there (access: the request and its 404; error: the refused request line), masked.
    # (An address's local part may hold / ? and =, so the mask takes the path before it as well.)
    assert re.search(r'gunicorn\.access .*"GET [^"]*\[email\] HTTP/1\.1" 404', output), output
    assert re.search(r"gunicorn\.error Invalid request .*\[token\] \[email\]", output), output
    assert TOKEN not in output
    assert ADDRESS not in output


def test_development_server_log_is_masked(tmp_path):
    env = _prepared_environment(tmp_path)
    for debug in ("false", "true"):
        command = [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks"]
        output = _serve_and_visit(command, {**env, "DEBUG": debug}, tmp_path)
        assert re.search(r'django\.server "GET [^"]*\[email\] HTTP/1\.1" 404', output), output
        assert re.search(r"django\.server .*\[token\] \[email\]\" 400", output), output
        assert TOKEN not in output
        assert ADDRESS not in output
