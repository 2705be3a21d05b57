"""The office's own wording of the e-mails (surveys/mail/wording.py, surveys/mail/wording_checks.py): refused when it
does not render, drops the personal link or the opt-out line, or does more with a participant's values than print
them; used by the dispatch once saved, for its kind and language only."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from surveys.mail.sending import run_pass
from surveys.mail.wording import file_sources
from surveys.mail.wording_checks import check, misused_own_values, send_test
from surveys.models import EmailWording
from tests.helpers import INVITATION, REMINDER_1, at

pytestmark = pytest.mark.django_db

SUBJECT = "Enquête de suivi : {{ workshop.title }}"
TEXT = """Bonjour {{ participant.name }},

Merci de répondre à nos cinq questions : {{ link }}

Pour ne plus recevoir de courriel : {{ optout_link }}
"""
HTML = """<!doctype html><html lang="fr"><body><p>Bonjour {{ participant.name }},</p>
<p><a href="{{ link }}">Répondre</a></p>
<p><a href="{{ optout_link }}">Ne plus recevoir de courriel</a></p></body></html>"""


def sources(**changes: str) -> dict[str, str]:
    return {"subject": SUBJECT, "text": TEXT, "html": HTML, **changes}


def refused(participant, **changes: str) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        check("invitation", "fr", sources(**changes), participant)
    return error.value.message_dict if hasattr(error.value, "error_dict") else {"__all__": error.value.messages}


def test_a_good_wording_is_previewed_with_the_participants_values(participant):
    from surveys.questionnaire.links import questionnaire_url

    preview = check("invitation", "fr", sources(), participant)
    assert preview.texts.subject == f"Enquête de suivi : {participant.workshop.title}"
    assert f"Bonjour {participant.name}," in preview.texts.text
    assert questionnaire_url(participant) in preview.texts.text and questionnaire_url(participant) in preview.texts.html


def test_the_files_wording_passes_its_own_checks(participant):
    for kind in ("invitation", "reminder", "link", "feedback"):
        for language in ("en", "fr", "es", "ar"):
            check(kind, language, file_sources(kind), participant)


def test_a_template_that_does_not_parse_is_refused(participant):
    errors = refused(participant, text=TEXT + "{% if days_left %}no end")
    assert "This template does not render" in errors["text"][0] and "endif" in errors["text"][0]
    assert "does not render" in refused(participant, subject="{{ workshop.title|nosuchfilter }}")["subject"][0]


def test_a_template_that_fails_when_rendered_is_refused(participant):
    errors = refused(participant, text=TEXT + '{% include "emails/nowhere.txt" %}')
    assert f"This wording does not render for {participant.name}" in errors["__all__"][0]


def test_a_wording_without_the_personal_link_is_refused(participant):
    errors = refused(participant, text=TEXT.replace("{{ link }}", "(voir le site)"))
    assert errors == {"text": ["The personal link ({{ link }}) is missing."]}
    errors = refused(participant, html=HTML.replace('<p><a href="{{ link }}">Répondre</a></p>', ""))
    assert errors == {"html": ["The personal link ({{ link }}) is missing."]}


def test_a_wording_without_the_opt_out_line_is_refused(participant):
    errors = refused(participant, text=TEXT.replace("Pour ne plus recevoir de courriel : {{ optout_link }}", ""))
    assert errors == {"text": ["The opt-out line ({{ optout_link }}, or the footer that has it) is missing."]}
    html = HTML.replace('<p><a href="{{ optout_link }}">Ne plus recevoir de courriel</a></p>', "")
    assert "The opt-out line" in refused(participant, html=html)["html"][0]


def test_a_link_hidden_behind_a_condition_is_refused(participant):
    """What a batch fills in must be printed only: a draft cannot test a participant's values."""
    errors = refused(participant, text=TEXT.replace("{{ link }}", "{% if link %}{{ link }}{% endif %}"))
    assert "may only be printed" in errors["text"][0] and "if link" in errors["text"][0]
    assert "participant.name|upper" in refused(participant, subject="{{ participant.name|upper }}")["subject"][0]
    assert "participant.email" in refused(participant, text=TEXT + "{{ participant.email }}")["text"][0]


def test_the_static_rule_names_what_a_batch_could_not_fill_in():
    lax = (
        "{{ participant.name|upper }} {% if link %}{{ link }}{% endif %} {% blocktranslate with n=participant.email %}"
    )
    assert misused_own_values(lax) == ["participant.name|upper", "if link", "blocktranslate with n=participant.email"]
    assert misused_own_values(TEXT + '{% translate "Your link" %}') == []


def test_the_feedback_wording_keeps_the_link_for_whoever_has_not_replied(participant):
    """The files' feedback e-mail gives the link only to who has not replied: a wording that never gives it is
    refused; one that gives it in both cases passes."""
    feedback = file_sources("feedback")
    without = feedback["text"].replace("{{ link }}", "")
    with pytest.raises(ValidationError, match="personal link"):
        check("feedback", "en", {**feedback, "text": without}, participant)
    check("feedback", "en", feedback, participant)


def test_the_saved_wording_is_what_the_dispatch_sends(workshop_factory, participant_factory):
    workshop = workshop_factory()
    french = [participant_factory(workshop=workshop, language="fr", name=f"Awa {n}") for n in range(3)]
    english = participant_factory(workshop=workshop, language="en")
    EmailWording.objects.create(kind="invitation", language="fr", **sources())
    run_pass(at(INVITATION), in_process=True)
    sent = {message.to[0]: message for message in mail.outbox}
    for participant in french:  # a batch: drafted once, each participant's values filled in
        from surveys.questionnaire.links import questionnaire_url

        message = sent[participant.email]
        assert message.subject == f"Enquête de suivi : {workshop.title}"
        assert f"Bonjour {participant.name}," in message.body and questionnaire_url(participant) in message.body
        assert f'<a href="{questionnaire_url(participant)}">Répondre</a>' in message.alternatives[0][0]
    # Other languages and kinds keep the files' wording.
    assert sent[english.email].subject.startswith("Follow-up survey:")
    mail.outbox.clear()
    run_pass(at(REMINDER_1), in_process=True)
    reminders = {message.to[0]: message.subject for message in mail.outbox}
    assert reminders[french[0].email].startswith("Rappel") and reminders[english.email].startswith("Reminder")


def test_a_test_email_goes_to_the_staff_user_only(participant):
    preview = check("invitation", "fr", sources(), participant)
    send_test(preview, "staffer@example.org")
    (message,) = mail.outbox
    assert message.to == ["staffer@example.org"] and message.subject == preview.texts.subject
    assert message.body == preview.texts.text and message.alternatives[0][0] == preview.texts.html
