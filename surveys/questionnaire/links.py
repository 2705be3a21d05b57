"""Personal links: one per participant per workshop. The token is the participant's only credential."""

from __future__ import annotations

import re

from django.conf import settings
from django.db.models import OuterRef
from django.urls import reverse

from surveys.questionnaire import rounds
from workshops.models import Participant

# Tokens are drawn by secrets.token_urlsafe (workshops.models.new_token). Anything else is refused before the
# database sees it: PostgreSQL rejects a NUL in a query parameter with an error, which would be a 500.
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def questionnaire_url(participant: Participant) -> str:
    """The full link as sent in e-mails: SITE_URL + the questionnaire's path."""
    return settings.SITE_URL + reverse("surveys:questionnaire", args=[participant.token])


# What the questionnaire's page reads with the participant: their workshop, administration, reply (if any), and
# `round_closed`, the state of the round when it was read.
_WITH_PAGE_DATA = Participant.objects.select_related("workshop", "administration", "response").annotate(
    round_closed=rounds.closed_expression(OuterRef("workshop__fiscal_year"))
)


def participant_for_token(token: str) -> Participant | None:
    """The participant a token belongs to, or None for an unknown or revoked token. The participant comes with
    their workshop, administration, reply (if any) and `round_closed`, the state of the round when it was read: the
    questionnaire's page needs no other query."""
    if not _TOKEN_SHAPE.fullmatch(token or ""):
        return None
    try:
        # get(): the token is unique, and get() leaves out the participants' default ordering (three joined columns).
        return _WITH_PAGE_DATA.get(token=token)
    except Participant.DoesNotExist:
        return None


def revoke(participant: Participant) -> str:
    """Replace the participant's link; the old one answers 404 from now on. Returns the new link."""
    participant.revoke_link()
    return questionnaire_url(participant)
