"""What staff do by hand with the mail: send the link again, release invitations past the catch-up window. Each
makes rows of the message log and hands them to the dispatch after commit; the rules of who may be mailed hold."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from rocbap.celery import app as celery_app
from surveys import status, task_names
from surveys.mail import planning
from surveys.mail.sending import claim_batches, enqueue
from surveys.models import Message, MessageKind, MessageStatus, replied
from surveys.questionnaire.schedule import local_day
from workshops.models import Participant, Workshop, may_be_mailed


def send_link_again(participants: Iterable[Participant]) -> int:
    """Staff's "send the link again": a new message of the repeatable kind, sent by a worker after commit."""
    messages = Message.objects.bulk_create(
        [Message(participant=participant, kind=MessageKind.LINK) for participant in participants]
    )
    ids = [message.pk for message in messages]
    transaction.on_commit(lambda: enqueue(claim_batches(ids)))
    return len(ids)


def fresh_due_date(today: dt.date) -> dt.date:
    """The due date offered for invitations released late: the release day plus the reply days."""
    return today + dt.timedelta(days=settings.SURVEY_REPLY_DAYS)


def release_invitations(workshops: QuerySet[Workshop], due: dt.date, now: dt.datetime) -> int:
    """Staff's "send invitations now" (confirmed) for workshops past the catch-up window: the invitation is dated
    the release day and the due date is the one staff confirmed, so the reminders and the feedback follow it and
    no message names a day gone by. The next pass (started after commit) sends them."""
    today = local_day(now)
    released = 0
    for workshop in workshops.filter(invitations_released_at__isnull=True):
        workshop.invitations_released_at = now
        workshop.invitation_date_override = today
        workshop.due_date_override = due
        if workshop.feedback_date_override and workshop.feedback_date_override <= due:
            workshop.feedback_date_override = None  # an override before the new due date would close the survey
        workshop.save(
            update_fields=[
                "invitations_released_at",
                "invitation_date_override",
                "due_date_override",
                "feedback_date_override",
                "updated_at",
            ]
        )
        released += 1
    transaction.on_commit(celery_app.signature(task_names.DISPATCH_MESSAGES).delay)
    return released


def remind_now(participants: QuerySet[Participant], today: dt.date) -> tuple[int, QuerySet[Participant]]:
    """Staff's "remind now" (confirmed) for chosen participants: a reminder to each who was invited, has not
    replied and may be mailed, at most one such reminder a participant and day (a database constraint: a second
    click or a double submit adds nothing). Returns how many go out, and who was chosen but gets none."""
    wanted = remindable(participants)
    before = set(_reminded_on(wanted, today))
    Message.objects.bulk_create(
        [
            Message(participant_id=pk, kind=MessageKind.REMIND_NOW, requested_on=today)
            for pk in wanted.values_list("pk", flat=True)
            if pk not in before
        ],
        ignore_conflicts=True,
    )
    ids = list(
        Message.objects.filter(
            kind=MessageKind.REMIND_NOW, requested_on=today, participant__in=wanted, status=MessageStatus.PENDING
        )
        .exclude(participant__in=before)
        .values_list("pk", flat=True)
    )
    transaction.on_commit(lambda: enqueue(claim_batches(ids)))
    return len(ids), participants.exclude(pk__in=wanted.values("pk"))


def remindable(participants: QuerySet[Participant]) -> QuerySet[Participant]:
    """Who of these a reminder may go to now: invited, not replied, may be mailed (not opted out, erased or
    undeliverable), of a surveyed workshop. The schedule's own reminders follow the same rule (mail.planning)."""
    return (
        participants.filter(may_be_mailed(), workshop__surveyed=True)
        .filter(status.invited())
        .exclude(replied("response__"))
    )


def _reminded_on(participants: QuerySet[Participant], today: dt.date) -> QuerySet:
    return Message.objects.filter(
        kind=MessageKind.REMIND_NOW, requested_on=today, participant__in=participants
    ).values_list("participant_id", flat=True)


# Messages that may be sent again: those that went out or failed (a pending one is still on its way).
RESENDABLE = (MessageStatus.SENT, MessageStatus.FAILED)


def send_again(chosen: QuerySet[Message], reason: str, request_key: str) -> tuple[int, QuerySet[Message]]:
    """Staff's "send again" (confirmed, with the reason): a new row of the message log for each chosen message
    whose participant may be mailed, a copy that follows the original's texts and rules (Message.sent_as) and
    names it (resent_of). The page's request key makes a second submit of the same page add nothing. Returns how
    many go out, and the chosen messages that are not sent again."""
    wanted = chosen.filter(may_be_mailed("participant__"), status__in=RESENDABLE)
    Message.objects.bulk_create(
        [
            Message(
                participant_id=message.participant_id,
                kind=MessageKind.AGAIN,
                resent_of_id=message.resent_of_id or message.pk,
                reason=reason,
                request_key=request_key,
            )
            for message in wanted.only("pk", "participant_id", "resent_of_id")
        ],
        ignore_conflicts=True,
    )
    ids = list(
        Message.objects.filter(request_key=request_key, status=MessageStatus.PENDING, claim="").values_list(
            "pk", flat=True
        )
    )
    transaction.on_commit(lambda: enqueue(claim_batches(ids)))
    return len(ids), chosen.exclude(pk__in=wanted.values("pk"))


def correct_due_date(workshop: Workshop, due_was: dt.date) -> int:
    """A confirmed change moved the due date participants were told: a correction to each invited non-replier who
    may be mailed ("the due date is now ...; it was ..."), sent after commit. Returns how many."""
    messages = Message.objects.bulk_create(
        [
            Message(participant=participant, kind=MessageKind.CORRECTION, due_was=due_was)
            for participant in planning.to_correct(workshop)
        ]
    )
    ids = [message.pk for message in messages]
    transaction.on_commit(lambda: enqueue(claim_batches(ids)))
    return len(ids)
