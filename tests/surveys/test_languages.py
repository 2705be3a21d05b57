"""Participants in their language: the questionnaire and its pages, the switch kept on the participant, the e-mails
of every kind for an English and a French participant of the same workshop."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from surveys.mail.emails import build_email
from surveys.mail.sending import run_pass
from surveys.models import Message, MessageKind, Response, Status
from tests.helpers import FEEDBACK, INVITATION, MAIL_KIND_DAYS, answers, at, replied
from tests.languages import english_in, visible_text

pytestmark = pytest.mark.django_db

# Data the tests give the workshop, in French: nothing English on a French page can come from the fixtures.
TITLE_FR = "Atelier régional sur la gestion des risques"


@pytest.fixture
def french(participant_factory, workshop_factory):
    workshop = workshop_factory(
        title=TITLE_FR, venue="Abidjan", due_date_override=timezone.localdate() + dt.timedelta(days=10)
    )
    return participant_factory(workshop=workshop, name="Awa Koné", administration="TH", language="fr")


def page(client, url, **kwargs):
    response = client.get(url, **kwargs) if not kwargs.get("data") else client.post(url, **kwargs)
    return response, response.content.decode()


def test_new_participant_gets_the_offices_language(participant_factory, settings):
    assert participant_factory().language == settings.OFFICE.default_language == "en"


def test_the_questionnaire_of_a_french_participant_is_french_throughout(client, french):
    response, html = page(client, reverse("surveys:questionnaire", args=[french.token]))
    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    assert '<html lang="fr" dir="ltr">' in html
    text = visible_text(html)
    assert "Questionnaire du BRRC A/P sur les actions de suivi" in text
    assert "projet de modernisation" in text and "actions de suivi" in text
    assert "Veuillez répondre d'ici le" in text
    assert "Envoyer" in text and "Enregistrer le brouillon" in text
    assert english_in(text) == []
    # The switch names the other language in that language.
    assert re.search(r'<button[^>]*name="language" value="en"[^>]*>English</button>', html)


def test_errors_are_in_french(client, french):
    url = reverse("surveys:questionnaire", args=[french.token])
    response = client.post(url, answers(q3_direct_effects=None, q1_shared_with="douze"))
    text = visible_text(response.content.decode())
    assert "Votre réponse n'a pas pu être envoyée" in text
    assert "Veuillez répondre à Q3" in text
    assert "Saisissez un nombre entier" in text
    assert english_in(text) == []


def test_thanks_closed_and_opt_out_pages_are_french(client, french):
    url = reverse("surveys:questionnaire", args=[french.token])
    thanks = client.post(url, answers(), follow=True)
    text = visible_text(thanks.content.decode())
    assert "Merci de votre réponse" in text and "Vos réponses" in text and "Oui" in text
    assert english_in(text) == []
    from surveys.mail.optout import optout_url

    optout = client.get(optout_url(french).removeprefix("http://127.0.0.1:8000"))
    text = visible_text(optout.content.decode())
    assert "Ne plus m'envoyer de courriel" in text and english_in(text) == []


def test_closed_round_page_is_french(client, french):
    from surveys.questionnaire import rounds

    Response.objects.create(participant=french, status=Status.SUBMITTED, submitted_at=timezone.now())
    rounds.close(french.workshop.fiscal_year)
    text = visible_text(client.get(reverse("surveys:questionnaire", args=[french.token])).content.decode())
    assert "Ce cycle d'enquête est clos" in text and english_in(text) == []


def test_unknown_links_are_in_the_offices_language(client, settings):
    settings.OFFICE = settings.OFFICE.__class__(**{**settings.OFFICE.__dict__, "default_language": "fr"})
    text = visible_text(client.get("/r/not-a-token/").content.decode())
    assert "Ce lien n'est pas valide" in text and english_in(text) == []
    text = visible_text(client.get("/o/not-signed/").content.decode())
    assert "Ce lien n'est pas valide" in text


def test_the_switch_keeps_the_choice_on_the_participant(client, french):
    switch = reverse("surveys:language", args=[french.token])
    response = client.post(switch, {"language": "en", "next": "questionnaire"})
    assert response.status_code == 302 and response["Location"] == reverse("surveys:questionnaire", args=[french.token])
    french.refresh_from_db()
    assert french.language == "en"
    # A new client (no cookie) gets English too: the choice is the participant's, not the browser's.
    client.cookies.clear()
    html = client.get(reverse("surveys:questionnaire", args=[french.token])).content.decode()
    assert '<html lang="en"' in html and "Submit" in html
    assert english_in(visible_text(html))  # the check finds the product's English where it is
    # An unknown language changes nothing; a GET changes nothing.
    client.post(switch, {"language": "xx"})
    assert client.get(switch).status_code == 405
    french.refresh_from_db()
    assert french.language == "en"


def test_switch_needs_a_valid_link(client):
    assert client.post("/r/not-a-token/language/", {"language": "fr"}).status_code == 404


# --- e-mails -----------------------------------------------------------------------------------------------


@pytest.fixture
def pair(workshop_factory, participant_factory):
    """An English and a French participant of the same workshop (the factory's: it ends 5 Dec 2019)."""
    workshop = workshop_factory(title=TITLE_FR)
    english = participant_factory(workshop=workshop, name="Somchai", language="en")
    french = participant_factory(workshop=workshop, name="Awa", language="fr")
    return english, french


KINDS = {MessageKind(kind): day for kind, day in MAIL_KIND_DAYS.items()}
# One sentence each kind's e-mail must carry, in each language.
EXPECTED = {
    MessageKind.INVITATION: ("Please answer five short questions", "Veuillez répondre à cinq brèves questions"),
    MessageKind.REMINDER_1: ("We have not yet received your reply", "Nous n'avons pas encore reçu votre réponse"),
    MessageKind.LINK: ("here is again your personal link", "voici de nouveau votre lien personnel"),
    MessageKind.FEEDBACK: ("participants replied", "participant sur"),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_email_kind_in_english_and_in_french(pair, kind, settings):
    settings.FEEDBACK_MIN_REPLIES = 1  # the one reply below is shown (the threshold: tests/surveys/test_emails.py)
    english, _french = pair
    replied(english)
    day = KINDS[kind]
    for participant, (sentence_en, sentence_fr) in zip(pair, [EXPECTED[kind]] * 2, strict=True):
        message = Message.objects.create(participant=participant, kind=kind)
        email = build_email(message, day)
        html = email.alternatives[0][0]
        assert email.extra_headers["Content-Language"] == participant.language
        if participant.language == "fr":
            assert sentence_fr in email.body and sentence_fr in visible_text(html)
            assert english_in(email.subject) == [] and english_in(email.body) == []
            assert english_in(visible_text(html)) == []
            assert '<html lang="fr"' in html and "BRRC A/P" in email.body
            assert "ROCB A/P" not in email.body + html + email.subject
        else:
            assert sentence_en in email.body and sentence_en in visible_text(html)
            assert "ROCB A/P" in email.body and "BRRC" not in email.body


def test_dates_and_results_in_the_french_email(pair, settings):
    settings.FEEDBACK_MIN_REPLIES = 1  # the one reply below is shown (the threshold: tests/surveys/test_emails.py)
    english, french = pair
    replied(english)
    run_pass(at(INVITATION), in_process=True)
    invitation = next(m for m in mail.outbox if m.to == [french.email])
    assert "2-5 décembre 2019" in invitation.body  # the workshop's dates, in French
    mail.outbox.clear()
    run_pass(at(FEEDBACK), in_process=True)
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert "1 participant sur 2 a répondu" in by_recipient[french.email].body
    assert "Élaboration/mise à jour de manuels opérationnels, etc." in by_recipient[french.email].body
    assert "Effets directs observés\u00a0: Oui 1, Non 0" in by_recipient[french.email].body
    # The same batch, the same counts, the English participant's labels in English.
    assert "Developed/updated operation manuals, etc." in by_recipient[english.email].body
