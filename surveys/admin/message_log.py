"""The message log: what went out to whom, and what failed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from surveys.admin.common import RecordAdmin
from surveys.models import Message, MessageStatus
from workshops.admin import FiscalYearFilter
from workshops.models import Workshop

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class WorkshopCounts(TypedDict):
        participant_count: int
        reply_count: int
        undeliverable_count: int

    # A workshop as the list shows it: counted in the list's query (WorkshopAdmin.get_queryset).
    CountedWorkshop = WithAnnotations[Workshop, WorkshopCounts]


class MessageFYFilter(FiscalYearFilter):
    field_path = "participant__workshop__fiscal_year"


@admin.register(Message)
class MessageAdmin(RecordAdmin):
    """The message log: what went out to whom, and what failed (filter Status: Failed)."""

    list_display = ["kind", "participant_name", "to_email", "workshop", "status", "sent_at", "bounce", "error"]
    list_filter = ["status", "bounce", "kind", MessageFYFilter, "participant__workshop"]
    search_fields = ["participant__name", "participant__email", "to_email", "participant__workshop__title", "error"]
    list_select_related = ["participant__workshop"]
    date_hierarchy = "created_at"
    # The message as it went out; the claim and lease are the dispatch's business, not staff's.
    fieldsets = [
        (None, {"fields": ["participant", "kind", "status", "to_email", "sent_at"]}),
        (_("As sent"), {"fields": ["subject", "text"]}),
        (_("Delivery"), {"fields": ["attempts", "error", "next_attempt_at", "bounce", "bounced_at", "bounce_detail"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "text"]

    @admin.display(description=_("text"))
    def text(self, message: Message) -> str:
        # Shown as the participant read it: line breaks kept, nothing interpreted as HTML.
        if not message.body:
            return "-" if message.status != MessageStatus.SENT else gettext("(not kept)")
        return format_html("<pre>{}</pre>", message.body)

    @admin.display(description=_("workshop"), ordering="participant__workshop__start_date")
    def workshop(self, message: Message) -> str:
        return str(message.participant.workshop)
