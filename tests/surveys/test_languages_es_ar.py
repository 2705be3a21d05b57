"""Participants in Spanish and Arabic: the questionnaire, its errors, the thank-you, closed, invalid-link and opt-out
pages and the four e-mail kinds, each with no English wording of the product, Arabic right to left; the import's
language column takes es and ar. (The same for French: test_languages.py; in Chromium: tests/browser.)"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from surveys.imports.cells import CellError, parse_language
from surveys.mail.emails import build_email
from surveys.mail.optout import optout_url, participant_for_signature
from surveys.mail.sending import run_pass
from surveys.models import Message, MessageKind, Response, Status
from tests.helpers import FEEDBACK, INVITATION, MAIL_KIND_DAYS, answers, at, replied
from tests.languages import english_in, visible_text

pytestmark = pytest.mark.django_db

KINDS = {MessageKind(kind): day for kind, day in MAIL_KIND_DAYS.items()}

# Data the tests give the workshop: nothing English on the pages can come from the fixtures.
TITLE = {"es": "Taller regional sobre gestión de riesgos", "ar": "ورشة العمل الإقليمية بشأن إدارة المخاطر"}
NAME = {"es": "Lucía Pérez", "ar": "ليلى حسن"}

# Sentences each page must carry, in each language (the WCO's customs vocabulary among them).
QUESTIONNAIRE = {
    "es": [
        "Cuestionario de la ORFC A/P sobre las acciones de seguimiento",
        "Administración de Aduanas",
        "Secretaría de la OMA",
        "proyecto de modernización",
        "Responda a más tardar el",
        "Guardar el borrador",
    ],
    "ar": [
        "بشأن إجراءات المتابعة المتخذة بعد المشاركة في ورشة العمل الإقليمية لمنظمة الجمارك العالمية",
        "إدارة الجمارك",
        "مشروع تحديث",
        "يرجى الإجابة بحلول",
        "حفظ المسودة",
    ],
}
ERRORS = {
    # The last one is Django's own, from Django's catalogue.
    "es": [
        "No se pudo enviar su respuesta: revise 3 respuestas",
        "Responda a la pregunta Q3",
        "número entero",
        "Introduzca una dirección de correo electrónico válida.",
    ],
    "ar": ["تعذر إرسال إجابتك", "يرجى الإجابة عن السؤال Q3", "عددًا صحيحًا", "أدخِل عنوان بريد إلكتروني صحيح."],
}
PAGES = {
    "thanks": {"es": "Gracias por su respuesta", "ar": "شكرًا على إجابتك"},
    "yes": {"es": "Sí", "ar": "نعم"},
    "opt_out": {"es": "No enviarme más correos", "ar": "لا ترسلوا إليّ مزيدًا من الرسائل الإلكترونية"},
    "closed": {"es": "Esta ronda de la encuesta está cerrada", "ar": "جولة الاستبيان هذه مغلقة"},
    "invalid": {"es": "Este enlace no es válido", "ar": "هذا الرابط غير صالح"},
}
DIRECTION = {"es": "ltr", "ar": "rtl"}


@pytest.fixture(params=["es", "ar"])
def participant(request, participant_factory, workshop_factory):
    language = request.param
    workshop = workshop_factory(
        title=TITLE[language], venue="Manila", due_date_override=timezone.localdate() + dt.timedelta(days=10)
    )
    return participant_factory(workshop=workshop, name=NAME[language], administration="TH", language=language)


def shown(response) -> str:
    return visible_text(response.content.decode())


def test_the_questionnaire_in_spanish_and_in_arabic(client, participant):
    language = participant.language
    response = client.get(reverse("surveys:questionnaire", args=[participant.token]))
    html = response.content.decode()
    assert response["Content-Language"] == language
    assert f'<html lang="{language}" dir="{DIRECTION[language]}">' in html
    text = visible_text(html)
    for sentence in QUESTIONNAIRE[language]:
        assert sentence in text
    assert english_in(text) == []
    # The switch offers the office's other languages, each named in itself.
    for code, name in (("en", "English"), ("fr", "Français"), ("es", "Español"), ("ar", "العربيّة")):
        if code != language:
            assert f'value="{code}" class="btn btn-link btn-sm p-0" lang="{code}">{name}</button>' in html


def test_errors_in_spanish_and_in_arabic(client, participant):
    url = reverse("surveys:questionnaire", args=[participant.token])
    text = shown(client.post(url, answers(q3_direct_effects=None, q1_shared_with="doce", contact_email="no-es-correo")))
    for sentence in ERRORS[participant.language]:
        assert sentence in text
    assert english_in(text) == []


def test_thanks_and_opt_out_pages_in_spanish_and_in_arabic(client, participant):
    language = participant.language
    thanks = client.post(reverse("surveys:questionnaire", args=[participant.token]), answers(), follow=True)
    html = thanks.content.decode()
    assert f'dir="{DIRECTION[language]}"' in html
    text = visible_text(html)
    assert PAGES["thanks"][language] in text and PAGES["yes"][language] in text
    assert english_in(text) == []
    optout = client.get(optout_url(participant).removeprefix("http://127.0.0.1:8000"))
    text = shown(optout)
    assert PAGES["opt_out"][language] in text and english_in(text) == []
    done = client.post(optout_url(participant).removeprefix("http://127.0.0.1:8000"))
    assert english_in(shown(done)) == [] and f'dir="{DIRECTION[language]}"' in done.content.decode()


def test_the_closed_round_page_in_spanish_and_in_arabic(client, participant):
    from surveys.questionnaire import rounds

    Response.objects.create(participant=participant, status=Status.SUBMITTED, submitted_at=timezone.now())
    rounds.close(participant.workshop.fiscal_year)
    text = shown(client.get(reverse("surveys:questionnaire", args=[participant.token])))
    assert PAGES["closed"][participant.language] in text and english_in(text) == []


@pytest.mark.parametrize("language", ["es", "ar"])
def test_unknown_links_in_an_office_that_speaks_spanish_or_arabic_first(client, settings, language):
    settings.OFFICE = settings.OFFICE.__class__(**{**settings.OFFICE.__dict__, "default_language": language})
    response = client.get("/r/not-a-token/")
    assert f'<html lang="{language}" dir="{DIRECTION[language]}">' in response.content.decode()
    text = shown(response)
    assert PAGES["invalid"][language] in text and english_in(text) == []


def test_the_switch_takes_spanish_and_arabic(client, participant_factory):
    participant = participant_factory(language="en")
    switch = reverse("surveys:language", args=[participant.token])
    for language in ("ar", "es"):
        client.post(switch, {"language": language, "next": "questionnaire"})
        participant.refresh_from_db()
        assert participant.language == language


# --- e-mails -----------------------------------------------------------------------------------------------

# One sentence each kind's e-mail must carry, in each language.
EXPECTED = {
    MessageKind.INVITATION: {"es": "responda a cinco breves preguntas", "ar": "يرجى الإجابة عن خمسة أسئلة قصيرة"},
    MessageKind.REMINDER_1: {"es": "Aún no hemos recibido su respuesta", "ar": "لم نتلقَّ بعد إجابتك"},
    MessageKind.LINK: {"es": "le enviamos de nuevo su enlace personal", "ar": "إليك مرة أخرى رابطك الشخصي"},
    MessageKind.FEEDBACK: {"es": "participantes. Lo que hicieron tras el taller", "ar": "مشاركًا. ما قاموا به"},
}
OFFICE = {"es": "ORFC A/P", "ar": "المكتب الإقليمي لبناء القدرات لآسيا والمحيط الهادئ"}


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_email_kind_in_spanish_and_in_arabic(participant, participant_factory, kind, settings):
    settings.FEEDBACK_MIN_REPLIES = 1  # the one reply below is enough for the results e-mail to show its figures
    language = participant.language
    replied(participant_factory(workshop=participant.workshop, language="en"))
    email = build_email(Message.objects.create(participant=participant, kind=kind), KINDS[kind])
    html = email.alternatives[0][0]
    assert email.extra_headers["Content-Language"] == language
    assert EXPECTED[kind][language] in email.body and EXPECTED[kind][language] in visible_text(html)
    assert english_in(email.subject) == [] and english_in(email.body) == [] and english_in(visible_text(html)) == []
    assert f'<html lang="{language}" dir="{DIRECTION[language]}">' in html
    assert OFFICE[language] in email.body and "ROCB A/P" not in email.subject + email.body + html
    own_link = reverse("surveys:questionnaire", args=[participant.token])
    if kind != MessageKind.FEEDBACK:  # the feedback mail carries the link only to who has not replied yet
        assert own_link in email.body and own_link in html
    # The participant's own opt-out link (signed anew each time, so read back rather than compared).
    for text in (email.body, html):
        (signed,) = set(re.findall(r"/o/([^/\s\"]+)/", text))
        assert participant_for_signature(signed) == participant


def test_dates_counts_and_results_in_spanish_and_arabic_emails(participant_factory, workshop_factory, settings):
    settings.FEEDBACK_MIN_REPLIES = 1  # the one reply below is enough for the results e-mail to show its figures
    workshop = workshop_factory(title=TITLE["es"])
    spanish = participant_factory(workshop=workshop, name=NAME["es"], language="es")
    arabic = participant_factory(workshop=workshop, name=NAME["ar"], language="ar")
    run_pass(at(INVITATION), in_process=True)
    invitation = {m.to[0]: m for m in mail.outbox}
    replied(spanish)
    assert "2-5 de diciembre de 2019" in invitation[spanish.email].body  # the dates as Spanish writes them (CLDR)
    assert "ديسمبر" in invitation[arabic.email].body
    mail.outbox.clear()
    run_pass(at(FEEDBACK), in_process=True)
    feedback = {m.to[0]: m.body for m in mail.outbox}
    assert "Respondió 1 de 2 participantes" in feedback[spanish.email]
    assert "Elaboración/actualización de manuales de operaciones, etc." in feedback[spanish.email]
    assert "Efectos directos observados: Sí 1, No 0" in feedback[spanish.email]
    assert "أجاب 1 من أصل 2 مشاركًا" in feedback[arabic.email]
    assert "آثار مباشرة ملحوظة: نعم 1، لا 0" in feedback[arabic.email]
    assert english_in(feedback[arabic.email]) == [] and english_in(feedback[spanish.email]) == []


@pytest.mark.parametrize(
    ("days", "arabic"),
    [
        (1, "يتبقى يوم واحد (1)"),
        (2, "يتبقى يومان (2)"),
        (5, "تتبقى 5 أيام"),
        (11, "يتبقى 11 يومًا"),
        (100, "يتبقى 100 يوم"),
    ],
)
def test_the_reminder_counts_days_as_arabic_does(days, arabic):
    """Arabic has six plural forms (one, two, a few, many, other...): the reminder's days follow them."""
    from django.utils import translation

    singular = "There is %(counter)s day left: the survey is due on %(day)s."
    plural = "There are %(counter)s days left: the survey is due on %(day)s."
    with translation.override("ar"):
        sentence = translation.ngettext(singular, plural, days) % {"counter": days, "day": "5 ديسمبر 2019"}
    assert sentence.startswith(arabic)


# --- the import's language column ----------------------------------------------------------------------------


def test_the_imports_language_column_takes_spanish_and_arabic(settings):
    assert parse_language("es") == "es" and parse_language(" AR ") == "ar"
    # An office that does not offer a language refuses it, naming those it offers.
    settings.LANGUAGES = [("en", "English"), ("fr", "Français")]
    with pytest.raises(CellError, match="expected one of en, fr or blank"):
        parse_language("ar")


# --- dates as each language writes them (CLDR: rocbap.formats.day_long) ------------------------------------

# The factory's workshop (2-5 December 2019), due 28 April 2020 (once told 30 April): April because Django's Arabic
# catalogue wrote it "إبريل" where CLDR writes "أبريل"; December because Spanish writes "de diciembre de".
DATES = {
    "en": ("2-5 December 2019", "28 April 2020", "30 April 2020"),
    "fr": ("2-5 décembre 2019", "28 avril 2020", "30 avril 2020"),
    "es": ("2-5 de diciembre de 2019", "28 de abril de 2020", "30 de abril de 2020"),
    "ar": ("2-5 ديسمبر 2019", "28 أبريل 2020", "30 أبريل 2020"),
}
# Each kind on a day it is sent, with the dates its text names: the workshop's, the due date, the one told before.
DATED_KINDS = {
    MessageKind.INVITATION: (dt.date(2020, 4, 6), (0, 1)),
    MessageKind.REMINDER_1: (dt.date(2020, 4, 21), (0, 1)),
    MessageKind.LINK: (dt.date(2020, 4, 9), (0, 1)),
    MessageKind.FEEDBACK: (dt.date(2020, 4, 29), (0,)),
    MessageKind.CORRECTION: (dt.date(2020, 4, 10), (0, 1, 2)),
}


@pytest.fixture
def april_workshop(workshop_factory):
    return workshop_factory(
        venue="Manila",
        invitation_date_override=dt.date(2020, 4, 6),
        due_date_override=dt.date(2020, 4, 28),
    )


@pytest.mark.parametrize("kind", list(DATED_KINDS))
def test_each_email_kind_writes_dates_as_the_readers_language_does(april_workshop, participant_factory, kind):
    from surveys.mail.emails import Drafts

    today, named = DATED_KINDS[kind]
    replied(participant_factory(workshop=april_workshop, language="en"))
    # Two readers per language in one batch: the second one's texts come from the draft rendered once per
    # workshop and language, so the dates in the shared context must be the language's too.
    drafts = Drafts()
    for language, dates in DATES.items():
        for _ in range(2):
            participant = participant_factory(workshop=april_workshop, language=language)
            message = Message.objects.create(
                participant=participant,
                kind=kind,
                due_was=dt.date(2020, 4, 30) if kind == MessageKind.CORRECTION else None,
            )
            email = build_email(message, today, drafts=drafts)
            html = email.alternatives[0][0]
            for index in named:
                assert dates[index] in email.body and dates[index] in visible_text(html), (language, dates[index])
            if kind in (MessageKind.REMINDER_1, MessageKind.CORRECTION):  # the subjects that name the due date
                assert dates[1] in email.subject
            if language == "ar":  # set apart from the Arabic sentence around them, in the text part with isolates
                assert f"<bdi>{dates[0]}</bdi>" in html and f"<bdi>{dates[named[-1]]}</bdi>" in html
                for index in named:
                    assert f"\u2068{dates[index]}\u2069" in email.body, dates[index]
                if kind in (MessageKind.REMINDER_1, MessageKind.CORRECTION):
                    assert f"\u2068{dates[1]}\u2069" in email.subject
            else:
                assert "<bdi>" not in html
                assert "\u2068" not in email.body + email.subject and "\u2069" not in email.body + email.subject
    assert "de diciembre de" in DATES["es"][0]  # what the Spanish checks above look for


def test_the_questionnaire_thanks_and_closed_pages_write_dates_as_the_readers_language_does(
    client, participant_factory, workshop_factory
):
    from rocbap.formats import day_long
    from surveys.questionnaire import rounds

    today = timezone.localdate()
    due = today + dt.timedelta(days=10)
    workshop = workshop_factory(venue="Manila", due_date_override=due)
    expected_due = {language: day_long(due, language) for language in DATES}
    # The due date's month written as CLDR writes it, Django's "j F Y" having differed in Spanish.
    assert " de " in expected_due["es"]
    for language, dates in DATES.items():
        participant = participant_factory(workshop=workshop, language=language)
        url = reverse("surveys:questionnaire", args=[participant.token])
        html = client.get(url).content.decode()
        text = visible_text(html)
        assert dates[0] in text and expected_due[language] in text, language
        if language == "ar":
            # The Arabic comma between the dates and the venue, each set apart.
            assert f"<bdi>{dates[0]}</bdi>، <bdi>Manila</bdi>" in html and f"<bdi>{expected_due['ar']}</bdi>" in html
            assert '<bdi><time id="keep-time"></time></bdi>' in html  # the browser writes the last typing's moment
        else:
            assert "<bdi>" not in html
        thanks = visible_text(client.post(url, answers(), follow=True).content.decode())
        received = day_long(timezone.now(), language)
        assert received in thanks, language
        if language == "es":
            assert re.search(r"\d{1,2} de \w+ de \d{4}", thanks)
    rounds.close(workshop.fiscal_year)
    for participant in workshop.participants.all():
        closed = visible_text(client.get(reverse("surveys:questionnaire", args=[participant.token])).content.decode())
        assert day_long(timezone.now(), participant.language) in closed, participant.language
