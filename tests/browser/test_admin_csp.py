"""The admin works under the Content-Security-Policy: its scripts run and the browser reports no violation."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_scripts_run_and_nothing_is_blocked(page, live_server, django_user_model):
    django_user_model.objects.create_user(
        "admin", "a@example.org", "browser-password-1", is_staff=True, is_superuser=True
    )
    violations: list[str] = []
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
    assert violations == []
