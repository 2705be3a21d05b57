"""Making the report final in Chromium: the confirmation page states the round it publishes, then the edition is
final and its round closed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.helpers import finish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-password-1"


@pytest.fixture
def edition(django_user_model):
    from reports.models import ReportEdition
    from surveys.models import Response, Status
    from workshops.models import MemberAdministration, Participant, Workshop

    django_user_model.objects.create_superuser("head", "head@example.org", PASSWORD)
    workshop = Workshop.objects.create(
        code="FY19-RM",
        title="Regional Workshop on Risk Management",
        scope="regional",
        start_date=dt.date(2019, 10, 14),
        end_date=dt.date(2019, 10, 18),
    )
    administration, _ = MemberAdministration.objects.get_or_create(code="FJ", defaults={"name": "Fiji"})
    for number in range(4):
        participant = Participant.objects.create(
            workshop=workshop, name=f"P{number}", email=f"p{number}@example.org", administration=administration
        )
        if number < 3:
            Response.objects.create(participant=participant, status=Status.SUBMITTED, submitted_at=timezone.now())
    return finish(ReportEdition.objects.create(fiscal_year=2019))


def test_the_confirmation_states_the_round_then_the_round_is_closed(
    browser, browser_context_args, live_server, edition
):
    from surveys.questionnaire import rounds

    context = browser.new_context(**browser_context_args, locale="en")
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "head")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(live_server.url + reverse("admin:reports_reportedition_change", args=[edition.pk]))
    page.get_by_role("link", name="Make final").click()
    figures = page.locator("table.round-figures")
    rows = [" ".join(text.split()) for text in figures.locator("tr").all_inner_texts()]
    assert rows == ["Participants 4", "Replies 3", "Reply rate 75%", "Surveys still open none"]
    assert not rounds.is_closed(2019)
    page.get_by_role("button", name="Yes, make final").click()
    page.get_by_text("is final; the round of FY2019/20 is closed.").wait_for()
    assert rounds.is_closed(2019)
    context.close()
