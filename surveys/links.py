"""Personal links: one per participant per workshop. The token is the participant's only credential."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import connections, router
from django.db.models import OuterRef
from django.db.models.query import get_related_populators
from django.urls import reverse

from surveys import rounds
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


class _Lookup:
    """The token lookup compiled once per process and database: every page view and submit makes it, and Django
    compiles a query anew each time, which cost more than the database took to answer it (some sixty columns over
    four tables). The rows become model instances as QuerySet iteration makes them (ModelIterable): the same
    converters, the same related objects, the same annotation."""

    def __init__(self, using: str) -> None:
        self.using = using
        self.compiler = _WITH_PAGE_DATA.filter(token=_PLACEHOLDER).query.get_compiler(using=using)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        self.token_at = self.params.index(_PLACEHOLDER)
        select, klass_info = self.compiler.select, self.compiler.klass_info
        fields = klass_info["select_fields"]
        self.own = slice(fields[0], fields[-1] + 1)
        self.names = [column[0].target.attname for column in select[self.own]]
        self.related = get_related_populators(klass_info, select, using)  # type: ignore[call-arg]  # Django 5.2
        self.annotations = self.compiler.annotation_col_map

    def get(self, token: str) -> Participant | None:
        params = [*self.params]
        params[self.token_at] = token
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        for row in self.compiler.results_iter([rows]):
            participant = Participant.from_db(self.using, self.names, row[self.own])
            for populator in self.related:
                populator.populate(row, participant)
            for name, position in self.annotations.items():
                setattr(participant, name, row[position])
            return participant
        return None


_PLACEHOLDER = "token"
_lookups: dict[str, _Lookup] = {}


def participant_for_token(token: str) -> Participant | None:
    """The participant a token belongs to, or None for an unknown or revoked token. The participant comes with
    their workshop, administration, reply (if any) and `round_closed`, the state of the round when it was read: the
    questionnaire's page needs no other query."""
    if not _TOKEN_SHAPE.fullmatch(token or ""):
        return None
    using = router.db_for_read(Participant)
    if using not in _lookups:
        _lookups[using] = _Lookup(using)
    return _lookups[using].get(token)


def revoke(participant: Participant) -> str:
    """Replace the participant's link; the old one answers 404 from now on. Returns the new link."""
    participant.revoke_link()
    return questionnaire_url(participant)
