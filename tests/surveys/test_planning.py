"""What a workshop's survey still has to send (surveys.mail.planning.still_to_send), followed through the passes
that send it (Django's in-memory mail)."""

from __future__ import annotations

import datetime as dt

import pytest

from surveys.mail.planning import still_to_send
from surveys.mail.sending import run_pass
from surveys.models import Message, MessageKind, MessageStatus, Response, Status
from tests.helpers import DUE, FEEDBACK, INVITATION, REMINDER_1, REMINDER_2, at

pytestmark = pytest.mark.django_db


def kinds(lines) -> list[tuple[str, int, dt.date]]:
    return [(line.kind, line.count, line.day) for line in lines]


def test_still_to_send_until_the_last_message_went_out(workshop_factory, participant_factory):
    workshop = workshop_factory()
    replier, silent = (participant_factory(workshop=workshop, administration=code) for code in ("FJ", "PG"))
    Response.objects.create(participant=replier, status=Status.SUBMITTED, submitted_at=at(INVITATION))
    before = dt.date(2020, 6, 1)
    # The invitation to the one who has not replied; the results to the one who has (and, once invited, the other).
    assert kinds(still_to_send(workshop, before)) == [
        (MessageKind.INVITATION, 1, INVITATION),
        (MessageKind.FEEDBACK, 1, FEEDBACK),
    ]
    for day in (INVITATION, REMINDER_1, REMINDER_2):
        run_pass(at(day), in_process=True)
        assert still_to_send(workshop, day)[-1].kind == MessageKind.FEEDBACK
    assert kinds(still_to_send(workshop, DUE)) == [(MessageKind.FEEDBACK, 2, FEEDBACK)]
    run_pass(at(FEEDBACK), in_process=True)
    assert still_to_send(workshop, FEEDBACK) == []
    assert Message.objects.filter(participant=silent, status=MessageStatus.SENT).count() == 4  # 1 + 2 reminders + 1


def test_a_pending_row_is_still_to_send_whatever_the_day(participant_factory):
    participant = participant_factory()
    Message.objects.create(participant=participant, kind=MessageKind.LINK)
    day = dt.date(2021, 1, 5)
    assert kinds(still_to_send(participant.workshop, day)) == [(MessageKind.LINK, 1, day)]


def test_nothing_to_send_for_a_workshop_left_out_of_the_survey(workshop_factory, participant_factory):
    workshop = workshop_factory(surveyed=False)
    participant_factory(workshop=workshop)
    assert still_to_send(workshop, dt.date(2020, 6, 1)) == []
