"""The questionnaire in a real browser on a phone-sized screen (360 x 740)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"


@pytest.fixture
def participant():
    from django.core.cache import cache

    from workshops.models import MemberAdministration, Participant, Workshop

    cache.clear()
    workshop = Workshop.objects.create(
        code="FY19-RISK",
        title="WCO Regional Workshop on Risk Management and Post-Clearance Audit",
        scope="regional",
        start_date=dt.date(2019, 12, 2),
        end_date=dt.date(2019, 12, 5),
        venue="Vientiane, Lao PDR",
        due_date_override=timezone.localdate() + dt.timedelta(days=10),
    )
    # Transactional tests empty the tables afterwards, the migrated member administrations included.
    administration, _ = MemberAdministration.objects.get_or_create(code="LA", defaults={"name": "Lao PDR"})
    return Participant.objects.create(
        workshop=workshop, name="Khamphet Vongsa", email="khamphet@customs.example.org", administration=administration
    )


@pytest.fixture
def page_url(live_server, participant):
    return live_server.url + reverse("surveys:questionnaire", args=[participant.token])


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"questionnaire-{name}.png"), full_page=True)


def no_sideways_scrolling(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def answer_all(page) -> None:
    page.get_by_label("Circulated/shared training materials", exact=False).check()
    page.get_by_label("Number of colleagues with whom you shared the training materials", exact=True).fill("15")
    page.get_by_label("Submitted a mission report to superiors").check()
    page.get_by_label("Approximate number of colleagues").fill("9")
    page.get_by_label("Your description").fill("ການຄຸ້ມຄອງຄວາມສ່ຽງ — risk profiles reviewed weekly.")
    page.locator("#id_q3_direct_effects_0").check()
    page.get_by_label("The effects realized (optional)").fill("Two seizures at Thanaleng.")
    page.locator("#id_q4_contributed_0").check()
    page.locator("#id_q5_new_project_1").check()


def reply_of(participant):
    from surveys.models import Response

    return Response.objects.get(participant=participant)


def test_fill_and_submit_on_a_phone(page, page_url, participant):
    page.goto(page_url)
    no_sideways_scrolling(page)
    shot(page, "empty")
    answer_all(page)
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url("**/thanks/")
    assert page.get_by_role("heading", name="Thank you for your reply").is_visible()
    assert "ການຄຸ້ມຄອງຄວາມສ່ຽງ" in page.content()
    no_sideways_scrolling(page)
    shot(page, "thanks")
    reply = reply_of(participant)
    assert reply.is_reply
    assert reply.q1_shared_with == 15
    assert reply.q2_utilization.startswith("ການຄຸ້ມຄອງຄວາມສ່ຽງ")


def test_missing_q3_shows_the_error_and_keeps_the_text(page, page_url, participant):
    page.goto(page_url)
    answer_all(page)
    page.evaluate("document.querySelectorAll('[name=q3_direct_effects]').forEach(r => r.checked = false)")
    page.get_by_role("button", name="Submit").click()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert "Please answer Q3" in summary.inner_text()
    assert page.get_by_label("Your description").input_value().startswith("ການຄຸ້ມຄອງຄວາມສ່ຽງ")
    count = page.get_by_label("Number of colleagues with whom you shared the training materials", exact=True)
    assert count.input_value() == "15"
    no_sideways_scrolling(page)
    shot(page, "error")
    summary.get_by_role("link").first.click()
    assert page.evaluate("location.hash") == "#id_q3_direct_effects_0"
    from surveys.models import Response

    assert not Response.objects.filter(participant=participant).exists()


def test_save_a_draft_and_resume(page, page_url, participant):
    page.goto(page_url)
    page.get_by_label("Your description").fill("Half-written 海关 answer")
    page.get_by_role("button", name="Save draft").click()
    assert page.get_by_text("Your draft is saved").is_visible()
    page.goto(page_url)  # the same link later
    assert page.get_by_label("Your description").input_value() == "Half-written 海关 answer"
    assert reply_of(participant).status == "draft"


def test_change_a_submitted_reply(page, page_url, participant):
    page.goto(page_url)
    answer_all(page)
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url("**/thanks/")
    page.get_by_role("link", name="Change your reply").click()
    assert page.get_by_text("You submitted your reply").is_visible()
    page.locator("#id_q5_new_project_0").check()
    page.get_by_label("The project(s) initiated (optional)").fill("Single window pilot")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url("**/thanks/")
    assert "Single window pilot" in page.content()
    reply = reply_of(participant)
    assert reply.q5_new_project is True
    assert reply.revision == 2


def test_keyboard_only_completion(page, page_url, participant):
    page.goto(page_url)
    # Tab from the top of the page to the first box of Q1, then answer with Space, typing and arrow keys.
    page.keyboard.press("Tab")  # skip link
    focused = lambda: page.evaluate("document.activeElement.id || document.activeElement.name")  # noqa: E731
    for _ in range(40):
        page.keyboard.press("Tab")
        if focused() == "id_q1_shared_materials":
            break
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.type("7")
    while focused() != "id_q2_utilization":
        page.keyboard.press("Tab")
    page.keyboard.type("Used in daily targeting.")
    for name in ("id_q3_direct_effects_0", "id_q4_contributed_0", "id_q5_new_project_0"):
        while focused() != name:
            page.keyboard.press("Tab")
        page.keyboard.press("ArrowDown")  # moves to and selects "No"
        page.keyboard.press("ArrowUp")  # back to "Yes", selected
    while page.evaluate("document.activeElement.textContent") != "Submit":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/thanks/")
    reply = reply_of(participant)
    assert reply.is_reply
    assert reply.q1_shared_materials is True
    assert reply.q1_shared_with == 7
    assert (reply.q3_direct_effects, reply.q4_contributed, reply.q5_new_project) == (True, True, True)


def axe_violations(page) -> list[dict]:
    # Evaluated through the DevTools protocol rather than added as a <script>: the site's Content-Security-Policy
    # rightly refuses inline scripts, and the check must look at the page with that policy in force.
    page.evaluate(AXE.read_text() + "\n;undefined")
    result = json.loads(page.evaluate("async () => JSON.stringify(await axe.run(document))"))
    assert any(rule["id"] == "color-contrast" for rule in result["passes"])  # axe did run its checks
    serious = [rule for rule in result["violations"] if rule["impact"] in ("serious", "critical")]
    return [(rule["id"], [node["target"] for node in rule["nodes"]]) for rule in serious]


def test_accessibility_of_the_pages(page, page_url, participant):
    page.goto(page_url)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Submit").click()  # nothing answered: the error state
    assert page.locator("#error-summary").is_visible()
    assert axe_violations(page) == []
    answer_all(page)
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url("**/thanks/")
    assert axe_violations(page) == []
