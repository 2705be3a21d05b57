"""Replies as participants gave them: read-only, in the questionnaire's order and words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from surveys import instrument
from surveys.admin.common import RecordAdmin
from surveys.models import Response
from surveys.questionnaire import rounds
from workshops.admin import FiscalYearFilter
from workshops.models import Workshop
from workshops.roles import may_see_personal_data

if TYPE_CHECKING:
    from typing import TypedDict

    from django.contrib.admin.options import _FieldsetSpec
    from django_stubs_ext import WithAnnotations

    class WorkshopCounts(TypedDict):
        participant_count: int
        reply_count: int
        undeliverable_count: int

    # A workshop as the list shows it: counted in the list's query (WorkshopAdmin.get_queryset).
    CountedWorkshop = WithAnnotations[Workshop, WorkshopCounts]


class ResponseFYFilter(FiscalYearFilter):
    field_path = "participant__workshop__fiscal_year"


REPLY_FIELDS = ["participant", "contact_email", "status", "submitted_at", "changed_at", "late"]


def _reply_fieldsets(reply_fields: list[str]) -> _FieldsetSpec:
    """The reply's own fields, then one fieldset per question, in the questionnaire's order and words."""
    questions: _FieldsetSpec = [
        # Lazy: the question in the language of the page, not of the process that defined the class.
        (format_lazy("{}. {}", question.number, question.text), {"fields": list(question.fields)})
        for question in instrument.QUESTIONS
    ]
    return [(_("Reply"), {"fields": reply_fields}), *questions]


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

    def has_delete_permission(self, request: HttpRequest, obj: Response | None = None) -> bool:
        # A closed round's replies stay, whoever asks and from wherever (deleting a participant or a workshop
        # cascades here; the admin asks this for every reply it would take along). Erasure keeps the reply.
        if obj is not None and rounds.is_closed(obj.participant.workshop.fiscal_year):
            return False
        return super().has_delete_permission(request, obj)

    date_hierarchy = "submitted_at"
    fieldsets = _reply_fieldsets(REPLY_FIELDS)

    def get_fieldsets(self, request, obj=None):
        if may_see_personal_data(request.user):
            return self.fieldsets
        # A report viewer reads the answers, not the contact address (workshops.roles).
        return _reply_fieldsets([name for name in REPLY_FIELDS if name != "contact_email"])

    def get_search_fields(self, request):
        if may_see_personal_data(request.user):
            return self.search_fields
        return [field for field in self.search_fields if not field.endswith("email")]

    @admin.display(description=_("administration"), ordering="participant__administration__code")
    def administration(self, response: Response) -> str:
        return response.participant.administration.code

    @admin.display(description=_("workshop"), ordering="participant__workshop__start_date")
    def workshop(self, response: Response) -> str:
        return str(response.participant.workshop)

    @admin.display(description=_("report"))
    def quote_link(self, response: Response) -> str:
        # Staff choose the texts the Good Practice Report quotes (reports app).
        if not response.is_reply:
            return ""
        return format_html(
            '<a href="{}">{}</a>', reverse("reports:quote_reply", args=[response.pk]), gettext("Quote this reply")
        )
