"""The staff page of a fiscal year read in French on a 1280 px screen (issue 24): the reply-progress table fits,
with no scrolling sideways, for both bundled offices' demos (the West and Central Africa office's own, in French;
the Asia/Pacific one's long English titles)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from rocbap.office import OFFICES_DIR, load_office
from tests.helpers import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-password-1"


@pytest.fixture(params=["west-central-africa", "asia-pacific"])
def office_demo(request, settings, django_user_model):
    settings.OFFICE = load_office(OFFICES_DIR / f"{request.param}.toml")
    # The demo the office's bin/demo loads: its members, its survey, and the workshop whose survey runs now.
    call_command("load_demo", "--username", "demo-staff", stdout=io.StringIO())
    django_user_model.objects.create_user("staffer", "s@example.org", PASSWORD, is_staff=True, is_superuser=True)
    return request.param


def test_the_reply_progress_table_fits_a_1280_px_screen_in_french(
    browser, browser_context_args, live_server, office_demo
):
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": 1280, "height": 900}}, locale="fr-FR"
    )
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/admin/login/?next=/staff/reports/2019/")
        page.fill("#id_username", "staffer")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/staff/reports/2019/")
        assert page.evaluate("document.documentElement.lang") == "fr"
        progress = page.locator("#progress")
        assert progress.locator("tbody tr").count() >= 3
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"staff-progress-fr-{office_demo}.png"), full_page=True)
        # Nothing wider than its box: neither the page nor the table's own scrolling box scrolls sideways.
        widths = page.evaluate(
            """() => {
                const box = document.querySelector('#progress').closest('.table-responsive');
                return {page: document.documentElement.scrollWidth, viewport: window.innerWidth,
                        table: box.scrollWidth, box: box.clientWidth};
            }"""
        )
        assert widths["page"] <= widths["viewport"], widths
        assert widths["table"] <= widths["box"], widths
    finally:
        context.close()
