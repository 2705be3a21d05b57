"""The admin page of the office's e-mail wording (surveys/admin/wording.py): a new wording starts from the files',
nothing is saved before staff saw its preview with a real participant's values, a test goes to the staff user,
refusals say why and keep what was typed; survey managers may edit it."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from surveys.models import EmailWording
from tests.languages import visible_text

pytestmark = pytest.mark.django_db

ADD = reverse("admin:surveys_emailwording_add")
TEXT = (
    "Bonjour {{ participant.name }},\n\nVotre lien : {{ link }}\n\n"
    "Pour ne plus recevoir de courriel : {{ optout_link }}\n"
)
HTML = '<p>Bonjour {{ participant.name }}, <a href="{{ link }}">répondre</a>. <a href="{{ optout_link }}">Stop</a></p>'


def posted(participant, **changes) -> dict[str, str]:
    return {
        "kind": "invitation",
        "language": "fr",
        "preview_with": str(participant.pk) if participant else "",
        "subject": "Enquête : {{ workshop.title }}",
        "text": TEXT,
        "html": HTML,
        "previewed": "",
        "_save": "Save",
        **changes,
    }


def digest_of(page: str) -> str:
    found = re.search(r'name="previewed" value="([0-9a-f]+)"', page)
    assert found, "the form keeps what the preview showed"
    return found[1]


def test_a_new_wording_starts_from_the_files(staff_client):
    page = staff_client.get(ADD + "?kind=reminder").content.decode()
    assert "We have not yet received your reply to the follow-up survey" in page  # the reminder's file, as it is
    assert '<option value="reminder" selected>' in page
    listing = staff_client.get(reverse("admin:surveys_emailwording_changelist")).content.decode()
    assert f'href="{ADD}?kind=feedback"' in listing


def test_nothing_is_saved_before_the_preview_was_seen(staff_client, participant):
    first = staff_client.post(ADD, posted(participant))
    page = first.content.decode()
    assert first.status_code == 200 and not EmailWording.objects.exists()
    assert f"check the e-mail below, as {participant.name} would receive it, then save" in page
    text = visible_text(page)
    assert f"Preview: the e-mail as {participant.name} would receive it" in text
    # The HTML e-mail is a document of its own in a sandboxed frame; the page keeps the site's strict policy.
    assert '<iframe sandbox title="The e-mail in HTML" src="/admin/surveys/emailwording/preview/' in page
    assert "frame-ancestors 'none'" in first["Content-Security-Policy"]
    assert "unsafe-inline" not in first["Content-Security-Policy"]
    assert f"Enquête : {participant.workshop.title}" in text and f"Bonjour {participant.name}," in text
    # Saved as it was shown: the second press saves.
    second = staff_client.post(ADD, posted(participant, previewed=digest_of(page), text=TEXT.replace("\n", "\r\n")))
    assert second.status_code == 302
    wording = EmailWording.objects.get()
    assert (wording.kind, wording.language, wording.text) == ("invitation", "fr", TEXT)


def test_a_wording_changed_after_its_preview_is_previewed_again(staff_client, participant):
    page = staff_client.post(ADD, posted(participant)).content.decode()
    changed = posted(participant, previewed=digest_of(page), subject="Autre : {{ workshop.title }}")
    assert "Autre : " in visible_text(staff_client.post(ADD, changed).content.decode())
    assert not EmailWording.objects.exists()


def test_the_preview_button_saves_nothing(staff_client, participant):
    page = staff_client.post(ADD, posted(participant)).content.decode()
    staff_client.post(ADD, {**posted(participant, previewed=digest_of(page)), "_preview": "Preview"})
    assert not EmailWording.objects.exists()


def test_a_test_email_goes_to_the_staff_user(staff_client, participant):
    response = staff_client.post(ADD, {**posted(participant), "_test_send": "Send"}, follow=True)
    (message,) = mail.outbox
    assert message.to == ["staffer@example.org"] and message.subject == f"Enquête : {participant.workshop.title}"
    assert f"Bonjour {participant.name}," in message.body
    assert "A test e-mail went to staffer@example.org." in response.content.decode()
    assert not EmailWording.objects.exists()


def test_a_staff_user_without_an_address_is_told(staff_client, participant):
    staff_client.user.email = ""
    staff_client.user.save()
    page = staff_client.post(ADD, {**posted(participant), "_test_send": "Send"}).content.decode()
    assert "Your user has no e-mail address to send the test to" in page and mail.outbox == []


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"text": TEXT + "{% if days_left %}"}, "This template does not render"),
        ({"text": TEXT.replace("{{ link }}", "")}, "The personal link ({{ link }}) is missing."),
        ({"html": HTML.replace('<a href="{{ optout_link }}">Stop</a>', "")}, "The opt-out line"),
    ],
)
def test_a_refused_wording_says_why_and_keeps_what_was_typed(staff_client, participant, changes, said):
    page = staff_client.post(ADD, posted(participant, **changes)).content.decode()
    assert said in visible_text(page) and not EmailWording.objects.exists()
    assert "Bonjour {{ participant.name }}" in page  # what was typed is still there, to correct


def test_without_any_participant_the_wording_cannot_be_checked(staff_client):
    page = staff_client.post(ADD, posted(None)).content.decode()
    assert "There is no participant yet whose values the wording can be checked with" in page
    assert not EmailWording.objects.exists()


def test_survey_managers_may_word_the_emails(client, django_user_model):
    from django.contrib.auth.models import Group

    from workshops.roles import REPORT_VIEWERS, SURVEY_MANAGERS

    for group, allowed in ((SURVEY_MANAGERS, 200), (REPORT_VIEWERS, 403)):
        user = django_user_model.objects.create_user(
            group, f"{len(group)}@example.org", "pw-long-enough", is_staff=True
        )
        user.groups.add(Group.objects.get(name=group))
        client.force_login(user)
        assert client.get(ADD).status_code == allowed


def test_the_preview_shows_the_participant_chosen(staff_client, participant, participant_factory):
    newer = participant_factory(name="Newest Participant", language="fr")
    by_default = visible_text(staff_client.post(ADD, posted(None)).content.decode())
    assert f"Bonjour {newer.name}," in by_default  # the latest in the wording's language
    chosen = visible_text(staff_client.post(ADD, posted(participant)).content.decode())
    assert f"Bonjour {participant.name}," in chosen and f"Bonjour {newer.name}," not in chosen


def frame_source(page: str) -> str:
    found = re.search(r'<iframe sandbox title="The e-mail in HTML" src="([^"]+)"', page)
    assert found, "the preview's HTML is framed from its own address"
    return found[1]


def test_the_html_preview_is_its_own_document_with_its_own_policy(staff_client, participant, client, django_user_model):
    url = frame_source(staff_client.post(ADD, posted(participant)).content.decode())
    response = staff_client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert f"<p>Bonjour {participant.name}, <a href=" in response.content.decode()  # the e-mail as sent
    policy = response["Content-Security-Policy"]
    # Its inline styles apply and the wording page may frame it; nothing in it runs or loads from elsewhere.
    for directive in ("default-src 'none'", "style-src 'unsafe-inline'", "frame-ancestors 'self'", "sandbox"):
        assert directive in policy, directive
    assert "script-src" not in policy and response["X-Frame-Options"] == "SAMEORIGIN"
    assert staff_client.get(url.replace("/preview/", "/preview/x")).status_code == 404
    # Another staff user's session has no such preview (it names a real participant); a stranger is sent to log in.
    # (staff_client is the test's client logged in: it changes hands here.)
    other = django_user_model.objects.create_user("other", "o@example.org", "pw-long-enough", is_staff=True)
    other.is_superuser = True
    other.save()
    client.force_login(other)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
