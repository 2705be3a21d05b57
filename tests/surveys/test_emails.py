"""The e-mails as participants read them; the feedback mail's results come from surveys.feedback."""

import datetime as dt
import random
from email import message_from_bytes
from email.errors import HeaderParseError
from email.policy import compat32
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail, signing
from django.template.base import Lexer, TokenType
from django.test.signals import template_rendered

from surveys.mail.emails import HEADER_FOLDING, Drafts, SurveyEmail, build_email
from surveys.mail.sending import run_pass
from surveys.mail.wording_checks import OWN_VALUE, misused_own_values
from surveys.models import Message, MessageKind, Response, Status
from tests.helpers import FEEDBACK, INVITATION, REMINDER_1, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(workshop_factory, participant_factory):
    w = workshop_factory(title="WCO Regional Workshop on AEO <Phase 2>")
    for code in ("FJ", "PG", "WS"):
        participant_factory(workshop=w, administration=code)
    return w


def test_plain_text_is_not_html_escaped_and_html_is(workshop, settings):
    run_pass(at(INVITATION), in_process=True)
    email = mail.outbox[0]
    assert "<Phase 2>" in email.subject and "<Phase 2>" in email.body
    assert "&lt;Phase 2&gt;" in email.alternatives[0][0]
    assert "2-5 December 2019" in email.body
    assert email.reply_to == [settings.OFFICE_EMAIL] and settings.OFFICE_EMAIL in email.body
    assert "Message-ID" in email.extra_headers


def test_feedback_carries_the_workshops_results_and_the_link_to_those_without_a_reply(workshop, settings):
    settings.FEEDBACK_MIN_REPLIES = 2  # the two replies below are enough to show
    run_pass(at(INVITATION), in_process=True)
    first, second, third = workshop.participants.order_by("pk")
    Response.objects.create(
        participant=first,
        status=Status.SUBMITTED,
        submitted_at=at(INVITATION),
        q1_submitted_report=True,
        q3_direct_effects=True,
        q4_contributed=True,
        q5_new_project=False,
    )
    Response.objects.create(
        participant=second,
        status=Status.SUBMITTED,
        submitted_at=at(INVITATION),
        q1_submitted_report=True,
        q1_manuals=True,
        q3_direct_effects=False,
        q4_contributed=True,
        q5_new_project=False,
    )
    mail.outbox.clear()
    run_pass(at(FEEDBACK), in_process=True)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email, third.email])
    by_recipient = {m.to[0]: m for m in mail.outbox}
    body = by_recipient[first.email].body
    assert "2 of 3 participants replied" in body
    assert "  2  Submitted a mission report to superiors" in body
    assert "  1  Developed/updated operation manuals, etc." in body
    assert "Direct effects observed: Yes 1, No 1" in body
    assert "New modernization project initiated: Yes 0, No 2" in body
    assert f"/r/{first.token}/" not in body  # replied: no invitation to reply
    assert f"/r/{third.token}/" in by_recipient[third.email].body
    assert "not too late" in by_recipient[third.email].body
    html = by_recipient[third.email].alternatives[0][0]
    assert "Submitted a mission report to superiors" in html and f"/r/{third.token}/" in html
    run_pass(at(FEEDBACK + dt.timedelta(days=1)), in_process=True)
    assert len(mail.outbox) == 3


# What a results e-mail with figures says, and the figure-less one instead, in each language.
FIGURES = {
    "en": ("participants replied. What they did", "Follow-up actions (Q1)"),
    "fr": ("ont répondu. Voici ce qu'ils ont fait", "Actions de suivi (Q1)"),
}
NO_FIGURES = {
    "en": ("Fewer than 3 participants replied, so this message shows no figures", "Good Practice Report"),
    "fr": ("Moins de 3 participants ont répondu", "Rapport sur les bonnes pratiques"),
}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("replies", [0, 1, 2, 3])
def test_feedback_shows_figures_only_from_the_minimum_of_replies_on(
    workshop_factory, participant_factory, replies, language, settings
):
    assert settings.FEEDBACK_MIN_REPLIES == 3  # the documented default
    workshop = workshop_factory()
    participants = [participant_factory(workshop=workshop, language=language) for _ in range(4)]
    run_pass(at(INVITATION), in_process=True)
    for participant in participants[:replies]:
        Response.objects.create(
            participant=participant,
            status=Status.SUBMITTED,
            submitted_at=at(INVITATION),
            q1_manuals=True,
            q3_direct_effects=True,
        )
    mail.outbox.clear()
    run_pass(at(FEEDBACK), in_process=True)
    assert len(mail.outbox) == 4  # everyone is thanked, whatever the count
    for email in mail.outbox:
        html = email.alternatives[0][0]
        for text in (email.body, html):
            if replies >= 3:
                assert all(words in text for words in FIGURES[language]) and NO_FIGURES[language][0] not in text
                assert f"{replies} " in text
            else:
                assert all(words in text for words in NO_FIGURES[language])
                assert not any(words in text for words in FIGURES[language])
                # No count per answer: the answer labels never appear, nor the reply count.
                assert "Developed/updated operation manuals" not in text and "manuels" not in text
                assert f"{replies} / 4" not in text and f"{replies} of 4" not in text and f"{replies} sur 4" not in text


def _parts(email) -> tuple:
    return email.subject, email.body, email.alternatives[0][0], email.extra_headers, email.to, email.from_email


# Names that escaping, a language and the subject's whitespace rule would each treat wrongly if a draft's slot were
# filled in carelessly; the first of each group is rendered whole, the second drafted, the others filled in.
NAMES = ["Élodie N'Guessan", "Participant \\1 $1", "  Sione   Fifita ", "Ana <b>Tupou</b> & Co", "Mele O'Brien"]


@pytest.mark.parametrize(
    ("kind", "day"),
    [
        (MessageKind.INVITATION, INVITATION),
        (MessageKind.REMINDER_1, REMINDER_1),
        (MessageKind.LINK, REMINDER_1),
        (MessageKind.FEEDBACK, FEEDBACK),
    ],
)
def test_a_batchs_drafted_emails_are_the_emails_rendered_whole(
    workshop_factory, participant_factory, kind, day, caplog, monkeypatch
):
    # The opt-out link is signed with the time in seconds: the same in both e-mails of a message.
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda signer: "1fixed")
    workshop = workshop_factory(title="WCO Workshop on AEO <Phase 2> & more")
    participants = [
        participant_factory(workshop=workshop, name=name, language=language)
        for name in NAMES
        for language in ("en", "fr")
    ]
    Response.objects.create(participant=participants[0], status=Status.SUBMITTED, submitted_at=at(INVITATION))
    messages = [Message.objects.create(participant=participant, kind=kind) for participant in participants]
    drafts = Drafts()
    for message in messages:
        assert _parts(build_email(message, day, drafts=drafts)) == _parts(build_email(message, day))
    assert "own values" not in caplog.text  # every group drafted: none was rendered whole for want of a good draft


def _rendered(messages: list[Message], day: dt.date) -> list[str]:
    """The names of the templates rendered to build these messages as one batch."""
    rendered: list[str] = []

    def count(sender, template, **kwargs) -> None:
        rendered.append(template.name)

    template_rendered.connect(count)
    try:
        drafts = Drafts()
        for message in messages:
            build_email(message, day, drafts=drafts)
    finally:
        template_rendered.disconnect(count)
    return rendered


def test_a_batch_renders_each_kind_once_per_language_not_once_per_message(workshop, participant_factory):
    for _ in range(5):
        participant_factory(workshop=workshop, language="fr")
    messages = [Message.objects.create(participant=p, kind=MessageKind.INVITATION) for p in workshop.participants.all()]
    # 8 messages in two languages: per language, the first message whole, then the second whole and its draft.
    assert _rendered(messages, INVITATION).count("emails/invitation/body.txt") == 6


def test_a_message_alone_in_its_group_is_rendered_once(workshop_factory, participant_factory):
    messages = [
        Message.objects.create(participant=participant_factory(workshop=workshop_factory()), kind=MessageKind.LINK)
        for _ in range(3)
    ]
    assert _rendered(messages, REMINDER_1).count("emails/link/body.txt") == 3


# A participant's own values (surveys.mail.emails.own_values) as the e-mail templates may use them: printed, never
# tested or filtered, so that a draft filled in is the e-mail rendered whole for every participant, not only the first.
# The rule is surveys.mail.wording_checks.misused_own_values, which also holds an office's own wording to it.


def test_the_email_templates_only_print_a_participants_own_values():
    folder = Path(settings.BASE_DIR) / "templates" / "emails"
    misused = {str(path.relative_to(folder)): misused_own_values(path.read_text()) for path in folder.rglob("*.*")}
    assert {path: tags for path, tags in misused.items() if tags} == {}
    seen = [
        token
        for path in folder.rglob("*.*")
        for token in Lexer(path.read_text()).tokenize()
        if token.token_type != TokenType.TEXT and OWN_VALUE.search(token.contents)
    ]
    assert len(seen) > 20  # the check saw them


def test_a_lax_template_is_refused_by_the_check_above():
    lax = (
        "{{ participant.name|upper }} {% if link %}{{ link }}{% endif %} {% blocktranslate with n=participant.email %}"
    )
    assert misused_own_values(lax) == [
        "participant.name|upper",
        "if link",
        "blocktranslate with n=participant.email",
    ]


def test_a_template_that_filters_a_name_renders_its_emails_whole(workshop, settings, tmp_path, caplog):
    subject = tmp_path / "emails" / "invitation" / "subject.txt"
    subject.parent.mkdir(parents=True)
    subject.write_text("Survey for {{ participant.name|upper }}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    for number, participant in enumerate(workshop.participants.order_by("pk")):
        participant.name = f"Name {number}"
        participant.save()
    drafts = Drafts()
    messages = [Message.objects.create(participant=p, kind=MessageKind.INVITATION) for p in workshop.participants.all()]
    subjects = [build_email(message, INVITATION, drafts=drafts).subject for message in messages]
    assert sorted(subjects) == ["Survey for NAME 0", "Survey for NAME 1", "Survey for NAME 2"]
    assert "does more with a participant's own values than print them" in caplog.text


def test_the_short_cut_folds_every_header_as_pythons_default_folding():
    rng = random.Random(2020)
    alphabet = "abcXYZ019 =?:;,.<>@-_\"'()\t\n\u00e9"
    ours, default = HEADER_FOLDING.clone(linesep="\r\n"), compat32.clone(linesep="\r\n")
    short_cut = 0
    for _ in range(20_000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 90)))
        name = rng.choice(["To", "Subject", "List-Unsubscribe", "Message-ID"])
        try:
            expected = default.fold_binary(name, value)
        except HeaderParseError:  # a line break followed by what reads as another header
            continue
        assert ours.fold_binary(name, value) == expected, (name, value)
        short_cut += "\n" not in value and "\t" not in value and len(name) + 2 + len(value) <= 78
    assert short_cut > 1000  # the short cut was tried, not only the default


def test_a_survey_email_is_written_out_byte_for_byte_as_python_writes_it(workshop_factory, participant_factory):
    workshop = workshop_factory(title="WCO Regional Workshop on Coordinated Border Management and Risk Management " * 2)
    participant = participant_factory(workshop=workshop, name="Élodie N'Guessan", language="fr")
    message = build_email(Message.objects.create(participant=participant, kind=MessageKind.INVITATION), INVITATION)
    mime = message.message()
    assert mime.policy is HEADER_FOLDING
    ours = mime.as_bytes(linesep="\r\n")
    mime.policy = compat32
    assert ours == mime.as_bytes(linesep="\r\n")
    assert b"\r\nSubject: \r\n =?utf-8?q?Enqu=C3=AAte_de_suivi" in ours  # encoded and folded by Python
    assert b"\r\nMessage-ID: <rocbap-message-" in ours  # the short cut


def test_the_boundary_is_in_no_part_and_the_message_reads_back_as_written(monkeypatch):
    drawn = iter([1, 2])
    monkeypatch.setattr(random, "randrange", lambda stop: next(drawn))
    taken = "===============0000000000000000001=="
    email = SurveyEmail(subject="Subject", body=f"Text\n--{taken}\nmore", to=["a@example.org"])
    email.attach_alternative(f"<p>HTML</p>\n--{taken}--", "text/html")
    mime = email.message()
    assert mime.get_boundary() == "===============0000000000000000002=="  # drawn before the generator would
    written = mime.as_bytes(linesep="\r\n")
    assert b'boundary="===============0000000000000000002=="' in written
    text, html = message_from_bytes(written).get_payload()
    assert text.get_payload() == f"Text\r\n--{taken}\r\nmore" and html.get_payload() == f"<p>HTML</p>\r\n--{taken}--"
