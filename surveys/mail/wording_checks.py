"""An office's own wording of an e-mail (surveys.models.EmailWording), checked before it is saved: it must render
for a real participant, keep the personal link and the opt-out line, and print a participant's own values (their
name, their links) and do nothing else with them, since a batch renders each kind once and fills those values in
(surveys.mail.emails.Drafts). The same checks give staff the preview and the test e-mail to themselves."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import TemplateSyntaxError, engines
from django.template.base import Lexer, TokenType
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from surveys.mail.emails import SurveyEmail, Texts, own_values, rendered_for
from surveys.mail.wording import PARTS, compiled
from surveys.models import EmailTemplateKind, reminder_kind
from workshops.models import Participant

# A participant's own values as a template names them: printed, never tested or filtered (see misused_own_values).
OWN_VALUE = re.compile(r"\b(participant|link|optout_link)\b")

# The message a wording is rendered as: every reminder reads the reminder's wording, the first stands for them.
MESSAGE_KIND = {
    EmailTemplateKind.INVITATION: "invitation",
    EmailTemplateKind.REMINDER: reminder_kind(1),
    EmailTemplateKind.LINK: "link",
    EmailTemplateKind.FEEDBACK: "feedback",
}


def _prints_only(token_type: TokenType, contents: str) -> bool:
    if token_type not in (TokenType.VAR, TokenType.BLOCK):
        return True  # text
    contents = re.sub(r'"[^"]*"', '""', contents)  # the words of {% translate "..." %} are no variables
    if not OWN_VALUE.search(contents):
        return True
    if token_type == TokenType.VAR:
        return contents in ("participant.name", "link", "optout_link")
    tag, *words = contents.split()
    return tag == "blocktranslate" and all(
        not OWN_VALUE.search(word) or re.fullmatch(r"\w+=participant\.name", word) for word in words
    )


def misused_own_values(source: str) -> list[str]:
    """The tags of a template that do more with a participant's own values than print them ("participant.name|upper",
    "if link", "participant.email"): a batch could not fill them in."""
    return [token.contents for token in Lexer(source).tokenize() if not _prints_only(token.token_type, token.contents)]


def preview_participant(language: str, chosen: Participant | None = None) -> Participant | None:
    """Whose values the preview shows: the one chosen, else the latest participant in that language, else any."""
    if chosen is not None:
        return chosen
    participants = Participant.objects.select_related("workshop", "administration").order_by("-pk")
    return participants.filter(language=language).first() or participants.first()


@dataclass(frozen=True)
class Preview:
    participant: Participant
    texts: Texts
    wording: tuple[str, ...]  # kind, language and the three templates' sources

    @property
    def digest(self) -> str:
        """What was shown, in short: a wording is saved only after staff saw it (the admin's form keeps it). Made of
        the wording and the participant, not of the texts: an opt-out link is signed anew at every rendering."""
        shown = "\0".join((str(self.participant.pk), *self.wording))
        return hashlib.sha256(shown.encode()).hexdigest()[:32]


def check(kind: str, language: str, sources: dict[str, str], participant: Participant) -> Preview:
    """The wording's e-mail as `participant` would read it, in `language`, or ValidationError naming, by part, what
    is wrong: a template that does not parse or does not render, a participant's value used otherwise than printed,
    a personal link or an opt-out line dropped, an empty subject."""
    errors: dict[str, list[str]] = {}
    for part in PARTS:
        try:
            engines["django"].from_string(sources[part])
        except TemplateSyntaxError as error:
            errors.setdefault(part, []).append(gettext("This template does not render: %(error)s") % {"error": error})
            continue
        misused = misused_own_values(sources[part])
        if misused:
            errors.setdefault(part, []).append(
                gettext(
                    "A participant's name and links may only be printed ({{ participant.name }}, {{ link }}, "
                    "{{ optout_link }}), not filtered, tested or used otherwise: %(tags)s"
                )
                % {"tags": ", ".join(misused)}
            )
    if errors:
        raise ValidationError(errors)
    wording = compiled(sources["subject"], sources["text"], sources["html"])
    message_kind = MESSAGE_KIND[EmailTemplateKind(kind)]
    own = own_values(participant)
    today = timezone.localdate()
    # Both states of a reply: the feedback e-mail words them differently, and the link must be there for whoever has
    # not replied yet; every other kind goes only to them. Rendered in the participant's language; what is wrong is
    # said in the staff user's.
    states = (False, True) if kind == EmailTemplateKind.FEEDBACK else (False,)
    try:
        with translation.override(language):
            rendered = {
                replied: rendered_for(
                    message_kind, participant, today, replied=replied, kept={(kind, language): wording}, own=own
                )
                for replied in states
            }
    except Exception as error:  # any error of a template is the wording's, said to staff
        raise ValidationError(
            gettext("This wording does not render for %(name)s: %(error)s") % {"name": participant.name, "error": error}
        ) from None
    if any(whole != filled for whole, filled in rendered.values()):
        raise ValidationError(
            gettext(
                "This wording does more with a participant's values than print them: the e-mails of a batch would "
                "not be the same as this preview."
            )
        )
    texts = rendered[False][0]
    _check_kept(texts, own, errors)
    if errors:
        raise ValidationError(errors)
    return Preview(participant, texts, (kind, language, *(sources[part] for part in PARTS)))


def _check_kept(texts: Texts, own: dict[str, str], errors: dict[str, list[str]]) -> None:
    if not texts.subject:
        errors.setdefault("subject", []).append(gettext("The subject is empty."))
    for part, body, escaped in (("text", texts.text, False), ("html", texts.html, True)):
        link, optout = (
            (escape(own["link"]), escape(own["optout_link"])) if escaped else (own["link"], own["optout_link"])
        )
        if link not in body:
            errors.setdefault(part, []).append(gettext("The personal link ({{ link }}) is missing."))
        if optout not in body:
            errors.setdefault(part, []).append(
                gettext("The opt-out line ({{ optout_link }}, or the footer that has it) is missing.")
            )


def send_test(preview: Preview, to: str, connection=None) -> SurveyEmail:
    """The previewed e-mail, sent to a staff user's own address; nothing is logged (it went to no participant)."""
    email = SurveyEmail(
        subject=preview.texts.subject,
        body=preview.texts.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[settings.OFFICE_EMAIL],
        connection=connection,
        headers={"Auto-Submitted": "auto-generated"},
    )
    email.attach_alternative(preview.texts.html, "text/html")
    email.send()
    return email
