"""Production hardening: check --deploy, headers on every page, CSP without inline script, staff login lockout."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.urls import reverse

from tests.helpers import ROOT

PRODUCTION = {
    "DEBUG": "false",
    "HTTPS": "true",
    "SECRET_KEY": "k" * 10 + "a-real-production-secret-key-of-50-characters",
    "ALLOWED_HOSTS": "survey.example.org",
    "SITE_URL": "https://survey.example.org",
}


def _check_deploy(tmp_path, **overrides) -> subprocess.CompletedProcess:
    environment = {**os.environ, **PRODUCTION, **overrides, "VAR_DIR": str(tmp_path)}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by bin/test for Playwright, never in production
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_in_production(tmp_path):
    result = _check_deploy(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_names_what_a_plain_http_run_lacks(tmp_path):
    # HTTPS=false is the switch for a local run: the deploy check then says exactly what is off.
    result = _check_deploy(tmp_path, HTTPS="false")
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def _pages(staff_client, participant_factory):
    participant = participant_factory()
    return [
        ("anonymous", reverse("admin:login")),
        ("anonymous", "/healthz"),
        ("anonymous", "/r/not-a-token/"),
        ("anonymous", reverse("surveys:questionnaire", args=[participant.token])),
        ("staff", reverse("admin:index")),
        ("staff", reverse("admin:workshops_workshop_changelist")),
        ("staff", reverse("admin:workshops_workshop_add")),
        ("staff", reverse("admin:workshops_participant_change", args=[participant.pk])),
        ("staff", reverse("admin:workshops_workshop_import")),
    ]


def test_every_page_sends_the_security_headers(client, staff_client, participant_factory):
    anonymous = client.__class__()
    for who, url in _pages(staff_client, participant_factory):
        response = (staff_client if who == "staff" else anonymous).get(url)
        assert response.status_code < 500, url
        policy = response.headers.get("Content-Security-Policy", "")
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
        assert directives.get("script-src") == "'self'", (url, policy)
        assert directives.get("style-src") == "'self'", (url, policy)
        assert directives.get("frame-ancestors") == "'none'", (url, policy)
        assert directives.get("object-src") == "'none'", (url, policy)
        assert response.headers.get("X-Content-Type-Options") == "nosniff", url
        assert response.headers.get("Referrer-Policy") == "same-origin", url
        assert response.headers.get("X-Frame-Options") == "DENY", url


def test_admin_pages_have_no_inline_script_or_style(staff_client, participant_factory):
    # script-src/style-src 'self' would block them: every script must be a file from this site.
    for who, url in _pages(staff_client, participant_factory):
        if who != "staff":
            continue
        html = staff_client.get(url).content.decode()
        inline_scripts = [tag for tag in re.findall(r"<script\b[^>]*>", html) if "src=" not in tag]
        assert inline_scripts == [], url
        assert " style=" not in html, url
        assert re.search(r"\son[a-z]+=", html) is None, url  # no inline event handlers


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user("officer", "officer@example.org", "right-password-123", is_staff=True)


def _login(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password}, REMOTE_ADDR=address, follow=False
    )


@pytest.mark.django_db
def test_staff_login_locks_after_repeated_failures(client, staff_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "officer", "wrong").status_code == 200  # the form again, with its error
    locked = _login(client, "officer", "wrong")
    assert locked.status_code == 429
    assert "Sign-in locked" in locked.content.decode()
    assert "30 minutes" in locked.content.decode()
    # Even the right password is refused while locked, and it shows the same clear page.
    again = _login(client, "officer", "right-password-123")
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_is_per_username_and_address(client, staff_user, settings, django_user_model):
    django_user_model.objects.create_user("colleague", "c@example.org", "colleague-password-1", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "officer", "wrong")
    assert _login(client, "officer", "right-password-123").status_code == 429
    # The same user from another address, and a colleague from the same address, still sign in.
    assert _login(client.__class__(), "officer", "right-password-123", address="10.0.0.2").status_code == 302
    assert _login(client.__class__(), "colleague", "colleague-password-1").status_code == 302


@pytest.mark.django_db
def test_successful_login_resets_the_failure_count(client, staff_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "officer", "wrong")
    assert _login(client, "officer", "right-password-123").status_code == 302
    fresh = client.__class__()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(fresh, "officer", "wrong").status_code == 200


def test_client_ip_behind_the_proxy_takes_the_address_the_proxy_added(rf, settings):
    from rocbap.security import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="172.18.0.5")
    settings.HTTPS = True
    assert client_ip(request) == "203.0.113.9"
    settings.HTTPS = False
    assert client_ip(request) == "172.18.0.5"
