"""The questionnaire in a real browser on a phone-sized screen (360 x 740)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.helpers import ARTIFACTS

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


# The words of the questions that have one answer box: that box's label.
Q1BIS_WORDS = "how many of your colleagues have learned from them?"
Q2_WORDS = "How are the lessons learned at the Workshop being utilized"


def shared_with(page):
    return page.get_by_role("spinbutton", name="Number of colleagues with whom you shared the training materials")


def answer_all(page) -> None:
    page.get_by_role("checkbox", name="Circulated/shared training materials").check()
    shared_with(page).fill("15")
    page.get_by_label("Submitted a mission report to superiors").check()
    page.get_by_label(Q1BIS_WORDS).fill("9")
    page.get_by_label(Q2_WORDS).fill("ການຄຸ້ມຄອງຄວາມສ່ຽງ — risk profiles reviewed weekly.")
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
    assert page.get_by_label(Q2_WORDS).input_value().startswith("ການຄຸ້ມຄອງຄວາມສ່ຽງ")
    assert shared_with(page).input_value() == "15"
    no_sideways_scrolling(page)
    shot(page, "error")
    summary.get_by_role("link").first.click()
    assert page.evaluate("location.hash") == "#id_q3_direct_effects_0"
    from surveys.models import Response

    assert not Response.objects.filter(participant=participant).exists()


def test_save_a_draft_and_resume(page, page_url, participant):
    page.goto(page_url)
    page.get_by_label(Q2_WORDS).fill("Half-written 海关 answer")
    page.get_by_role("button", name="Save draft").click()
    assert page.get_by_text("Your draft is saved").is_visible()
    page.goto(page_url)  # the same link later
    assert page.get_by_label(Q2_WORDS).input_value() == "Half-written 海关 answer"
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
    # WCAG 2.2's target size (24 x 24 CSS px) is asked for by name: axe does not run it by default.
    options = "{rules: {'target-size': {enabled: true}}}"
    result = json.loads(page.evaluate(f"async () => JSON.stringify(await axe.run(document, {options}))"))
    assert any(rule["id"] == "color-contrast" for rule in result["passes"])  # axe did run its checks
    assert any(rule["id"] == "target-size" for rule in result["passes"])
    serious = [rule for rule in result["violations"] if rule["impact"] in ("serious", "critical")]
    return [(rule["id"], [node["target"] for node in rule["nodes"]]) for rule in serious]


def test_accessibility_of_the_questionnaire(page, page_url):
    page.goto(page_url)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Submit").click()  # nothing answered: the error state
    assert page.locator("#error-summary").is_visible()
    assert axe_violations(page) == []
    page.get_by_label(Q2_WORDS).fill("Typed, then the tab was closed.")
    page.goto(page_url)  # the offer to put typed answers back
    assert page.locator("#keep-offer").is_visible()
    assert axe_violations(page) == []
    answer_all(page)
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url("**/thanks/")
    assert axe_violations(page) == []


def test_accessibility_of_the_other_participant_pages(page, live_server, participant, settings):
    from surveys.mail.optout import optout_url
    from surveys.questionnaire import rounds

    opt_out = optout_url(participant).replace(settings.SITE_URL, live_server.url)
    page.goto(opt_out)
    assert page.get_by_role("heading", name="Stop e-mail about the survey").is_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send me no more e-mail").click()
    assert page.get_by_role("heading", name="You will receive no more e-mail").is_visible()
    assert axe_violations(page) == []

    unknown = live_server.url + reverse("surveys:questionnaire", args=["x" * 43])
    assert page.goto(unknown).status == 404
    assert axe_violations(page) == []
    settings.TOKEN_GUESS_LIMIT = 1
    assert page.goto(unknown).status == 429
    assert page.get_by_role("heading", name="Too many attempts").is_visible()
    assert axe_violations(page) == []

    # A form sent without the cookie that goes with it (a browser that refuses cookies, a page open for days).
    page.goto(live_server.url + reverse("surveys:questionnaire", args=[participant.token]))
    page.context.clear_cookies()
    page.get_by_role("button", name="Submit").click()
    assert page.get_by_role("heading", name="This form could not be verified").is_visible()
    assert axe_violations(page) == []

    rounds.close(participant.workshop.fiscal_year)
    page.goto(live_server.url + reverse("surveys:questionnaire", args=[participant.token]))
    assert page.get_by_role("heading", name="This survey round is closed").is_visible()
    assert axe_violations(page) == []


def accessibility(page, element_id: str) -> dict[str, str]:
    """The name and description Chromium computes for an element, as a screen reader gets them."""
    cdp = page.context.new_cdp_session(page)
    try:
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": f"#{element_id}"})["nodeId"]
        (ax, *_) = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False})["nodes"]
        return {key: ax.get(key, {}).get("value", "") for key in ("name", "description")}
    finally:
        cdp.detach()


def test_every_control_is_named_by_its_question(page, page_url):
    from surveys import instrument as questionnaire

    page.goto(page_url)
    for question in questionnaire.QUESTIONS:
        controls = page.locator(", ".join(f"[name={name}]" for name in question.fields))
        expected = controls.evaluate_all("els => els.map(e => e.id)")
        assert len(expected) >= len(question.fields)
        # Found by the question's own words, every one of its controls and no other.
        named = page.get_by_label(str(question.text)).evaluate_all("els => els.map(e => e.id)")
        assert named == expected, question.number
        for control_id in expected:
            # What a screen reader announces: the question first, then the hint as the description.
            heard = accessibility(page, control_id)
            assert heard["name"].startswith(f"{question.number}. {question.text}"), heard
            assert str(question.hint) in heard["description"], heard
    assert accessibility(page, "id_q2_utilization")["name"] == f"Q2. {questionnaire.Q2.text}"  # not "Your description"


def test_errors_are_tied_to_their_controls(page, page_url):
    page.goto(page_url)
    page.get_by_role("button", name="Submit").click()
    assert page.get_by_role("alert").first.is_visible()
    yes = page.locator("#id_q3_direct_effects_0")
    assert yes.get_attribute("aria-invalid") == "true"
    assert accessibility(page, "id_q3_direct_effects_0")["description"] == "Please answer Q3: choose Yes or No."


def test_focus_is_visible_and_targets_are_large_enough(page, page_url):
    page.goto(page_url)
    page.locator("#id_q1_manuals").focus()
    page.keyboard.press("Tab")  # keyboard focus, as :focus-visible needs
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    for selector in ("input[type=checkbox]", "input[type=radio]", "button:visible"):
        for box in page.locator(selector).evaluate_all("els => els.map(e => e.getBoundingClientRect().toJSON())"):
            assert box["width"] >= 24 and box["height"] >= 24, (selector, box)


KEPT = "rocbap.answers."


def kept_copies(page) -> list[str]:
    return page.evaluate(f"Object.keys(localStorage).filter(key => key.startsWith({KEPT!r}))")


def test_typed_text_survives_a_dropped_connection(page, context, page_url, participant):
    typed = "Typed on a bus near Suva: ການຄຸ້ມຄອງຄວາມສ່ຽງ\nline two"
    page.goto(page_url)
    page.get_by_label(Q2_WORDS).fill(typed)
    page.locator("#id_q3_direct_effects_0").check()
    assert participant.token not in "".join(kept_copies(page))  # kept under a key derived from the link

    # The browser knows the line is down: the page stays, says so, and keeps the text in place.
    context.set_offline(True)
    page.get_by_role("button", name="Submit").click()
    assert page.get_by_role("alert").filter(has_text="You are offline").is_visible()
    assert page.get_by_label(Q2_WORDS).input_value() == typed

    # The line drops while the reply travels: the browser shows its own error page, the tab is closed.
    context.set_offline(False)
    page.route(
        "**/r/*/",
        lambda route: route.abort("internetdisconnected") if route.request.method == "POST" else route.continue_(),
    )
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url(lambda url: not url.startswith("http"), wait_until="commit")
    page.close()
    from surveys.models import Response

    assert not Response.objects.filter(participant=participant).exists()

    # Later, in a new tab, the same link: the page offers the typed answers back.
    again = context.new_page()
    again.goto(page_url)
    assert again.get_by_label(Q2_WORDS).input_value() == ""
    offer = again.get_by_role("region", name="Answers typed on this device have not been sent yet")
    assert offer.is_visible()
    offer.get_by_role("button", name="Put them back in the form").click()
    assert again.get_by_label(Q2_WORDS).input_value() == typed
    assert again.locator("#id_q3_direct_effects_0").is_checked()
    assert again.evaluate("document.activeElement.id") == "keep-restored"  # focus is not lost with the button

    # Once the server has the reply, the browser forgets the copy.
    again.locator("#id_q4_contributed_0").check()
    again.locator("#id_q5_new_project_1").check()
    again.get_by_role("button", name="Submit").click()
    again.wait_for_url("**/thanks/")
    assert Response.objects.get(participant=participant).q2_utilization == typed
    assert kept_copies(again) == []
    again.goto(page_url)
    assert not again.locator("#keep-offer").is_visible()


def test_a_saved_draft_clears_the_copy_and_later_typing_is_still_kept(page, page_url):
    page.goto(page_url)
    page.get_by_label(Q2_WORDS).fill("Draft text\n")  # stored without its last line break
    assert len(kept_copies(page)) == 1
    page.get_by_role("button", name="Save draft").click()
    assert page.get_by_text("Your draft is saved").is_visible()
    assert kept_copies(page) == []  # the server has it
    page.goto(page_url)
    assert not page.locator("#keep-offer").is_visible()

    # Typing goes on after the draft; the next submit is lost on the way, and the participant comes back to the
    # "draft saved" address the browser still shows: the later typing is offered, not dropped.
    page.goto(page_url + "?saved=draft")
    page.get_by_label(Q2_WORDS).fill("Draft text, and more typed later")
    page.route("**/r/*/", lambda route: route.abort("connectionreset"))
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(lambda url: not url.startswith("http"), wait_until="commit")
    page.unroute("**/r/*/")
    page.goto(page_url + "?saved=draft")
    assert page.get_by_label(Q2_WORDS).input_value() == "Draft text"
    page.get_by_role("button", name="Put them back in the form").click()
    assert page.get_by_label(Q2_WORDS).input_value() == "Draft text, and more typed later"


def test_without_javascript_the_questionnaire_works_as_before(browser, page_url, participant):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.goto(page_url)
        assert not page.locator("#keep-offer").is_visible()
        answer_all(page)
        page.get_by_role("button", name="Submit").click()
        page.wait_for_url("**/thanks/")
        assert reply_of(participant).is_reply
    finally:
        context.close()


def test_copies_older_than_half_a_year_are_forgotten(page, page_url):
    page.goto(page_url)
    page.evaluate(f"""() => {{
        localStorage.setItem("{KEPT}stale", JSON.stringify({{time: Date.now() - 200 * 86400000, fields: {{}}}}));
        localStorage.setItem("{KEPT}recent", JSON.stringify({{time: Date.now() - 100 * 86400000, fields: {{}}}}));
    }}""")
    page.reload()
    assert kept_copies(page) == [f"{KEPT}recent"]
