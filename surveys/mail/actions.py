"""What staff do by hand with the mail: send the link again, release invitations past the catch-up window. Each
makes rows of the message log and hands them to the dispatch after commit; the rules of who may be mailed hold."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from rocbap.celery import app as celery_app
from surveys import task_names
from surveys.mail.sending import claim_batches, enqueue
from surveys.models import Message, MessageKind
from surveys.questionnaire.schedule import local_day
from workshops.models import Participant, Workshop


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
