from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from rocbap.admin import StaffModelAdmin
from surveys import questionnaire
from surveys.models import Message, Response
from workshops.admin import FiscalYearFilter
from workshops.roles import may_see_personal_data


class ResponseFYFilter(FiscalYearFilter):
    field_path = "participant__workshop__fiscal_year"


class RecordAdmin(StaffModelAdmin):
    """What happened, as it happened: replies and messages are shown, never added or edited in the admin."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="participant", ordering="participant__name")
    def participant_name(self, record: Response | Message) -> str:
        return record.participant.name


@admin.register(Response)
class ResponseAdmin(RecordAdmin):
    """Replies as participants gave them: read-only, in the questionnaire's order and words."""

    list_display = ["participant_name", "administration", "workshop", "status", "submitted_at", "late", "quote_link"]
    list_filter = ["status", "late", ResponseFYFilter, "participant__workshop"]
    search_fields = [
        "participant__name",
        "participant__email",
        "participant__workshop__title",
        "participant__administration__code",
        "participant__administration__name",
    ]
    list_select_related = ["participant__workshop", "participant__administration"]
    date_hierarchy = "submitted_at"
    fieldsets = [
        ("Reply", {"fields": ["participant", "contact_email", "status", "submitted_at", "changed_at", "late"]}),
        *[
            (f"{question.number}. {question.text}", {"fields": list(question.fields)})
            for question in questionnaire.QUESTIONS
        ],
    ]

    def get_fieldsets(self, request, obj=None):
        if may_see_personal_data(request.user):
            return self.fieldsets
        # A report viewer reads the answers, not the contact address (workshops.roles).
        first, *questions = self.fieldsets
        title, options = first
        return [(title, {**options, "fields": [f for f in options["fields"] if f != "contact_email"]}), *questions]

    def get_search_fields(self, request):
        if may_see_personal_data(request.user):
            return self.search_fields
        return [field for field in self.search_fields if not field.endswith("email")]

    @admin.display(description="administration", ordering="participant__administration__code")
    def administration(self, response: Response) -> str:
        return response.participant.administration.code

    @admin.display(description="workshop", ordering="participant__workshop__start_date")
    def workshop(self, response: Response) -> str:
        return str(response.participant.workshop)

    @admin.display(description="report")
    def quote_link(self, response: Response) -> str:
        # Staff choose the texts the Good Practice Report quotes (reports app).
        if not response.is_reply:
            return ""
        return format_html('<a href="{}">Quote this reply</a>', reverse("reports:quote_reply", args=[response.pk]))


class MessageFYFilter(FiscalYearFilter):
    field_path = "participant__workshop__fiscal_year"


@admin.register(Message)
class MessageAdmin(RecordAdmin):
    """The message log: what went out to whom, and what failed (filter Status: Failed)."""

    list_display = ["kind", "participant_name", "to_email", "workshop", "status", "sent_at", "attempts", "error"]
    list_filter = ["status", "kind", MessageFYFilter, "participant__workshop"]
    search_fields = ["participant__name", "participant__email", "to_email", "participant__workshop__title", "error"]
    list_select_related = ["participant__workshop"]
    date_hierarchy = "created_at"

    @admin.display(description="workshop", ordering="participant__workshop__start_date")
    def workshop(self, message: Message) -> str:
        return str(message.participant.workshop)
