"""The admin works under the Content-Security-Policy: its scripts run and the browser reports no violation."""

from __future__ import annotations

import os

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def test_admin_scripts_run_and_nothing_is_blocked(live_server, django_user_model, tmp_path, monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, os.environ.get(name) or str(tmp_path))
    django_user_model.objects.create_user(
        "admin", "a@example.org", "browser-password-1", is_staff=True, is_superuser=True
    )
    violations: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on(
                "console",
                lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
            )
            page.goto(f"{live_server.url}/admin/login/")
            page.fill("#id_username", "admin")
            page.fill("#id_password", "browser-password-1")
            page.click("input[type=submit]")
            page.wait_for_url(f"{live_server.url}/admin/")
            page.goto(f"{live_server.url}/admin/workshops/workshop/add/")
            # inlines.js adds this link and calendar.js the date shortcuts: both only exist if the scripts ran.
            assert page.locator(".add-row a").count() == 1
            assert page.locator(".datetimeshortcuts").count() >= 2
            page.goto(f"{live_server.url}/admin/workshops/participant/")
        finally:
            browser.close()
    assert violations == []
