"""Saving a participant's reply from the web form: drafts, submissions, later changes, stale pages.

One reply per participant, whatever arrives: two tabs, a double click or a resent POST all end in the same
row (Response is one-to-one with the participant, and the row is locked while it is changed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from surveys.models import Response, Status
from surveys.questionnaire import rounds
from surveys.questionnaire.forms import differences
from surveys.questionnaire.schedule import schedule_for
from workshops.models import Participant


class RoundClosed(Exception):
    """The fiscal year's round is closed (surveys.questionnaire.rounds): replies can no longer change."""


@dataclass
class Outcome:
    response: Response
    saved: bool
    # (label, saved value, typed value) when the page was stale and the answers differ from the stored reply.
    conflicts: list[tuple[str, str, str]] = field(default_factory=list)


def round_is_closed(participant: Participant) -> bool:
    """Whether the participant's round is closed: as read with the participant by the token lookup
    (surveys.questionnaire.links), else asked now."""
    known = getattr(participant, "round_closed", None)
    return rounds.is_closed(participant.workshop.fiscal_year) if known is None else known


def save_reply(
    participant: Participant, answers: dict, *, submit: bool, revision: int, now: dt.datetime | None = None
) -> Outcome:
    """Store the answers as a draft or a reply. `revision` is the one the participant's page was made from.

    A page made from an older revision than the stored one is not saved over a newer reply: the outcome lists
    the differences for the participant to confirm. When the answers are the same (a resent POST, a double
    click), there is nothing to confirm and nothing is saved twice.
    """
    now = now or timezone.now()
    try:
        return _save(
            participant, answers, submit=submit, revision=revision, now=now, first=_read_without_reply(participant)
        )
    except IntegrityError:
        # Two first saves at once (two tabs, a double click): the other one inserted the row a moment ago. Again,
        # now on that row and under its lock: the same answers count as saved, others are shown as a conflict.
        return _save(participant, answers, submit=submit, revision=revision, now=now, first=False)


def _read_without_reply(participant: Participant) -> bool:
    """The participant was read with their reply (surveys.questionnaire.links) and had none, or only a new, unsaved one:
    most likely their first save. Should a reply have been stored since, the insert is refused and retried."""
    relation = Participant.response.related  # the reverse one-to-one, whose cache the lookup filled
    if not relation.is_cached(participant):
        return False
    cached = relation.get_cached_value(participant)
    return cached is None or cached.pk is None


def _save(
    participant: Participant, answers: dict, *, submit: bool, revision: int, now: dt.datetime, first: bool
) -> Outcome:
    with transaction.atomic():
        # Asked again inside the transaction, under the round's lock: the round may have closed since the page read
        # it, and a closing that starts now waits for this reply (surveys.questionnaire.rounds).
        if rounds.is_closed(participant.workshop.fiscal_year, lock=True):
            raise RoundClosed
        # A first save inserts its row directly: the one-to-one constraint refuses a second insert, which save_reply
        # then retries on the stored row. Otherwise the stored reply, locked until the end of the transaction.
        response = None if first else Response.objects.select_for_update().filter(participant=participant).first()
        if response is None:
            response = Response(participant=participant)
        submit = submit or response.is_reply  # a submitted reply never goes back to draft
        if revision != response.revision:
            conflicts = differences(response, answers)
            if conflicts:
                return Outcome(response, saved=False, conflicts=conflicts)
            if response.is_reply or not submit:
                return Outcome(response, saved=True)
        for name, value in answers.items():
            setattr(response, name, value)
        if submit:
            if response.submitted_at is None:
                response.submitted_at = now
                response.late = schedule_for(participant.workshop).is_late(now)
            response.status = Status.SUBMITTED
        response.revision += 1
        response.save()
    participant.response = response
    return Outcome(response, saved=True)
