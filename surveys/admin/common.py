"""What the survey's admin pages share: dates as staff read them, who may send messages, the personal link shown,
and records (replies, messages) that are shown, never edited."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from rocbap.admin import StaffModelAdmin
from rocbap.formats import day_long
from surveys import status
from surveys.models import Message, Response
from surveys.questionnaire.links import questionnaire_url
from workshops.models import Participant, Workshop
from workshops.roles import SEND_MESSAGES

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class WorkshopCounts(TypedDict):
        participant_count: int
        reply_count: int
        undeliverable_count: int

    # A workshop as the list shows it: counted in the list's query (WorkshopAdmin.get_queryset).
    CountedWorkshop = WithAnnotations[Workshop, WorkshopCounts]


def long_date(day: dt.date) -> str:
    """A date as staff read it in their language: 5 March 2027, 5 mars 2027."""
    return day_long(day)


class SendsMessages:
    """For a ModelAdmin that offers the actions below: only to those who may send messages (workshops.roles)."""

    def has_send_messages_permission(self, request) -> bool:
        return request.user.has_perm(SEND_MESSAGES)


class ShowsParticipantStatus:
    """Where a participant stands (surveys.status): reply and mail, on the participant list and a workshop's page.
    The rows come from surveys.status.annotated (get_queryset)."""

    @admin.display(description=_("reply"))
    def reply_state(self, participant: Participant) -> str:
        return status.label(status.ReplyState.choices, status.reply_state_of(participant))

    @admin.display(description=_("mail"))
    def mail_state(self, participant: Participant) -> str:
        if participant.pk is None:
            return "-"
        return status.label(status.MailState.choices, status.mail_state_of(participant))


class ShowsQuestionnaireLink:
    @admin.display(description=_("personal link"))
    def questionnaire_link(self, participant: Participant) -> str:
        """The participant's link, to show again (e.g. when the e-mail was lost); empty until saved."""
        return questionnaire_url(participant) if participant.pk else "-"


class RecordAdmin(StaffModelAdmin):
    """What happened, as it happened: replies and messages are shown, never added or edited in the admin."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("participant"), ordering="participant__name")
    def participant_name(self, record: Response | Message) -> str:
        return record.participant.name
