"""Erasing a participant's personal data on request or for retention, keeping the reply counted.

What goes: the name, the e-mail addresses (in the participant, the reply's contact address, the admin history's
labels and the message log), the personal link. What stays: the participant row with its workshop and
administration, and the reply, so that every table of every report still counts it.

It lives in the surveys app because it erases the traces in replies and the message log too.
"""

from __future__ import annotations

import logging

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from rocbap.logs import mask
from surveys.models import Message, Response
from workshops.models import Participant, new_token

logger = logging.getLogger(__name__)

ERASED_NAME = "Erased participant"
# .invalid is reserved (RFC 2606): no mail server will ever accept it. The id keeps it unique per workshop.
ERASED_DOMAIN = "erased.invalid"


def erased_email(participant: Participant) -> str:
    return f"participant-{participant.pk}@{ERASED_DOMAIN}"


def is_erased(participant: Participant) -> bool:
    return participant.email.endswith("@" + ERASED_DOMAIN)


def erase_personal_data(participant: Participant) -> bool:
    """Erase one participant; False if they were erased already."""
    if is_erased(participant):
        return False
    with transaction.atomic():
        participant.name = ERASED_NAME
        participant.email = erased_email(participant)
        participant.token = new_token()  # the old link stops working; the new one is never sent
        participant.opted_out_at = participant.opted_out_at or timezone.now()
        participant.save(update_fields=["name", "email", "token", "opted_out_at"])
        _erase_traces(participant)
    logger.info("participant %s: personal data erased", participant.pk)
    return True


def erase_many(participants: QuerySet[Participant]) -> int:
    """Erase each participant of the queryset (each in its own transaction); how many were erased now."""
    erased = 0
    for participant in participants.select_related("administration", "workshop").iterator(chunk_size=500):
        erased += erase_personal_data(participant)
    return erased


def participants_before(fiscal_year: int) -> QuerySet[Participant]:
    """Participants of workshops of fiscal years before this one: those the retention rule erases."""
    return Participant.objects.filter(workshop__fiscal_year__lt=fiscal_year).exclude(
        email__endswith="@" + ERASED_DOMAIN
    )


def _erase_traces(participant: Participant) -> None:
    # The admin history labels each entry with the object as it was then (its name): relabel them.
    content_type = ContentType.objects.get_for_model(Participant)
    LogEntry.objects.filter(content_type=content_type, object_id=str(participant.pk)).update(
        object_repr=str(participant)[:200]
    )
    # A reply may carry a contact address of its own; the answers stay.
    Response.objects.filter(participant=participant).update(contact_email="")
    # The message log keeps each message's recipient address, and an SMTP error may quote it.
    for message in Message.objects.filter(participant=participant):
        message.to_email = participant.email
        message.error = mask(message.error)
        message.body = ""
        message.bounce_detail = mask(message.bounce_detail)
        message.save(update_fields=["to_email", "error", "body", "bounce_detail"])
