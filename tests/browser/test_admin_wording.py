"""A survey manager words the French invitation in Chromium: starts from the files' wording, changes a sentence,
sees the preview with a real participant's values, saves; the next invitation carries the new sentence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.helpers import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-password-1"


def test_a_survey_manager_words_the_french_invitation(browser, browser_context_args, live_server, django_user_model):
    from django.contrib.auth.models import Group

    from surveys.models import EmailWording, Message
    from workshops.models import MemberAdministration, Participant, Workshop
    from workshops.roles import SURVEY_MANAGERS

    user = django_user_model.objects.create_user("manager", "m@example.org", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=SURVEY_MANAGERS))
    workshop = Workshop.objects.create(
        code="AOC19-GR",
        title="Atelier régional sur la gestion des risques",
        scope="regional",
        start_date=dt.date(2019, 10, 14),
        end_date=dt.date(2019, 10, 18),
        venue="Abidjan",
    )
    administration, _ = MemberAdministration.objects.get_or_create(code="CI", defaults={"name": "Côte d'Ivoire"})
    participant = Participant.objects.create(
        workshop=workshop,
        name="Awa Koné",
        email="awa@douanes.example.org",
        administration=administration,
        language="fr",
    )

    context = browser.new_context(**{**browser_context_args, "viewport": {"width": 1280, "height": 900}}, locale="en")
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "manager")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(live_server.url + reverse("admin:surveys_emailwording_changelist"))
    page.get_by_role("link", name="Word the Invitation e-mail").click()
    page.select_option("#id_language", "fr")
    text = page.locator("#id_text")
    assert '{% include "emails/_footer.txt" %}' in text.input_value()  # the files' wording, to change
    text.fill("Un mot du bureau.\n" + text.input_value())
    page.get_by_role("button", name="Save", exact=True).click()
    preview = page.locator("#wording-preview")
    assert (
        "Awa Koné" in preview.inner_text() and "Un mot du bureau." in page.locator("#wording-preview-text").inner_text()
    )
    assert "Bonjour Awa Koné" in page.locator("#wording-preview-text").inner_text()  # French, the files' sentences
    assert EmailWording.objects.count() == 0
    # The HTML e-mail, in a sandboxed frame: shown as it is, the office's styles and all.
    frame = page.frame_locator("#wording-preview-html")
    assert "Bonjour Awa Koné" in frame.locator("body").inner_text()
    button = frame.get_by_role("link", name="Répondre au questionnaire")
    assert button.is_visible()
    # The frame is a document of its own with its own policy: the e-mail's inline styles apply there (the button
    # has its colour), while the page around it allows none.
    assert button.evaluate("link => getComputedStyle(link).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin-email-wording-preview.png"), full_page=True)
    # A full-page picture leaves a frame of another origin blank: the frame's own picture shows the e-mail.
    page.locator("#wording-preview-html").screenshot(path=str(ARTIFACTS / "admin-email-wording-preview-html.png"))
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/surveys/emailwording/")
    assert EmailWording.objects.get().language == "fr"

    from surveys.mail.emails import build_email

    email = build_email(Message.objects.create(participant=participant, kind="invitation"), dt.date(2020, 4, 18))
    assert email.body.startswith("Un mot du bureau.\n") and "Bonjour Awa Koné" in email.body
    context.close()
