"""Where each participant stands, as staff follow a round: replied, a draft or not replied, and what the mail did
(invited, reminded, opted out, undeliverable). The one home of these states: the admin's filters and columns, the
workshop's page and the export of the participants all read them here.

Each state is a condition on the participants' query (Exists subqueries on the message log, the reply's status on
the joined response), so that a filtered list of tens of thousands of participants is one query, counted and paged
in the database (bench/participants.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from surveys.models import Message, MessageKind, MessageStatus, Status, reminder_kind, replied
from workshops.models import Participant


class ReplyState:
    REPLIED = "replied"
    DRAFT = "draft"
    NOT_REPLIED = "not-replied"

    choices = [(REPLIED, _("replied")), (DRAFT, _("draft")), (NOT_REPLIED, _("not replied"))]


class MailState:
    INVITED = "invited"
    REMINDED = "reminded"
    OPTED_OUT = "opted-out"
    UNDELIVERABLE = "undeliverable"

    choices = [
        (INVITED, _("invited")),
        (REMINDED, _("reminded")),
        (OPTED_OUT, _("opted out")),
        (UNDELIVERABLE, _("undeliverable")),
    ]


# The kinds whose sending makes a participant invited, or reminded (the schedule's reminders or staff's). Listed, not
# matched by prefix: an IN list lets the database use the message log's index on (participant, kind).
INVITATION_KINDS = (MessageKind.INVITATION,)
REMINDER_KINDS = (
    *(reminder_kind(number) for number in range(1, settings.SURVEY_MAX_REMINDERS + 1)),
    MessageKind.REMIND_NOW,
)


def _sent(kinds: tuple[str, ...]) -> Exists:
    return Exists(Message.objects.filter(participant=OuterRef("pk"), kind__in=kinds, status=MessageStatus.SENT))


def invited() -> Exists:
    return _sent(INVITATION_KINDS)


def reminded() -> Exists:
    """A reminder went out: one of the schedule's, or one staff asked for."""
    return _sent(REMINDER_KINDS)


def reply_condition(state: str) -> Q | None:
    """The participants in a reply state; None for a state that does not exist."""
    if state == ReplyState.REPLIED:
        return replied("response__")
    if state == ReplyState.DRAFT:
        return Q(response__isnull=False) & ~replied("response__")
    if state == ReplyState.NOT_REPLIED:
        return Q(response__isnull=True) | ~replied("response__")
    return None


def with_mail_state(participants: QuerySet[Participant], state: str) -> QuerySet[Participant] | None:
    """The participants in a mail state; None for a state that does not exist. Opted out (erased included) and
    undeliverable are the participant's own flags; invited and reminded, the message log's sent rows."""
    if state == MailState.OPTED_OUT:
        return participants.filter(opted_out_at__isnull=False)
    if state == MailState.UNDELIVERABLE:
        return participants.filter(undeliverable_since__isnull=False)
    if state == MailState.INVITED:
        return participants.filter(invited())
    if state == MailState.REMINDED:
        return participants.filter(reminded())
    return None


def attach(participants: list[Participant]) -> list[Participant]:
    """What mail_state_of needs, for a page of participants already read (one query, whatever the page's size): the
    list of 30,000 counts and pages in the database without computing a state for rows it does not show."""
    sent = Message.objects.filter(
        participant__in=[p.pk for p in participants],
        kind__in=INVITATION_KINDS + REMINDER_KINDS,
        status=MessageStatus.SENT,
    ).values_list("participant_id", "kind")
    invited_ids: set[int] = set()
    reminded_ids: set[int] = set()
    for participant_id, kind in sent:
        (invited_ids if kind in INVITATION_KINDS else reminded_ids).add(participant_id)
    for participant in participants:
        participant.is_invited = participant.pk in invited_ids  # type: ignore[attr-defined]
        participant.is_reminded = participant.pk in reminded_ids  # type: ignore[attr-defined]
    return participants


def annotated(participants: QuerySet[Participant]) -> QuerySet[Participant]:
    """The participants with what their states need (`is_invited`, `is_reminded`, `reply_status`), for the page of
    rows shown or exported."""
    return participants.annotate(is_invited=invited(), is_reminded=reminded(), reply_status=F("response__status"))


def reply_state_of(participant: Participant) -> str:
    """A participant's reply state (annotated or not)."""
    status = getattr(participant, "reply_status", None)
    if status is None:
        response = getattr(participant, "response", None)
        status = response.status if response is not None else None
    if status == Status.SUBMITTED:
        return ReplyState.REPLIED
    return ReplyState.DRAFT if status else ReplyState.NOT_REPLIED


def mail_state_of(participant: Participant) -> str:
    """The participant's mail state as one word: the flags first (nothing more is sent), then the latest step."""
    if participant.opted_out_at:
        return MailState.OPTED_OUT
    if participant.undeliverable_since:
        return MailState.UNDELIVERABLE
    if getattr(participant, "is_reminded", False):
        return MailState.REMINDED
    if getattr(participant, "is_invited", False):
        return MailState.INVITED
    return ""


def label(choices: list, value: str) -> str:
    return str(dict(choices).get(value, "-"))
