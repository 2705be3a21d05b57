"""Success stories in the admin: survey managers mark a reply's description as a tangible result (workshops.roles),
report viewers read them. The reply is shown as written beside the editable excerpt."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from impact.models import SuccessStory
from rocbap.admin import StaffModelAdmin
from surveys.models import FREE_TEXTS, Response
from workshops.admin import FiscalYearFilter


class StoryFYFilter(FiscalYearFilter):
    field_path = "response__participant__workshop__fiscal_year"


@admin.register(SuccessStory)
class SuccessStoryAdmin(StaffModelAdmin):
    list_display = ["excerpt", "kind", "administration", "workshop", "publishable", "confirmed_by", "confirmed_at"]
    list_filter = ["kind", "publishable", StoryFYFilter]
    search_fields = ["excerpt", "response__participant__administration__code", "response__participant__workshop__title"]
    list_select_related = ["response__participant__workshop", "response__participant__administration", "confirmed_by"]
    raw_id_fields = ["response"]
    fields = [
        "response",
        "answer",
        "description_as_written",
        "excerpt",
        "kind",
        "publishable",
        "administration",
        "workshop",
        "confirmed_by",
        "confirmed_at",
    ]

    def get_fields(self, request: HttpRequest, obj: SuccessStory | None = None):
        # A new story has nothing to show yet of its reply beyond the excerpt, which starts as the reply's text.
        return self.fields if obj is not None else ["response", "answer", "excerpt", "kind", "publishable"]

    def get_readonly_fields(self, request: HttpRequest, obj: SuccessStory | None = None) -> list[str]:
        fixed = ["description_as_written", "administration", "workshop", "confirmed_by", "confirmed_at"]
        # Once made, a story stays on its reply's description: another description is another story.
        return ["response", "answer", *fixed] if obj is not None else fixed

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        """From a page of descriptions (?response=<id>&answer=q3_text): the excerpt starts as the reply's text."""
        initial = super().get_changeform_initial_data(request)
        response_id, answer = request.GET.get("response", ""), request.GET.get("answer", "")
        if response_id.isdigit() and answer in FREE_TEXTS:
            text = Response.objects.filter(pk=int(response_id)).values_list(answer, flat=True).first()
            if text:
                initial["excerpt"] = text
        return initial

    def save_model(self, request: HttpRequest, obj: SuccessStory, form, change: bool) -> None:
        obj.confirm(request.user)
        super().save_model(request, obj, form, change)

    @admin.display(description=_("the reply, as written"))
    def description_as_written(self, story: SuccessStory) -> str:
        if story.pk is None:
            return "-"
        paragraphs = [line for line in story.description.splitlines() if line.strip()]
        return format_html_join("", "<p>{}</p>", ((line,) for line in paragraphs)) or "-"

    @admin.display(description=_("administration"), ordering="response__participant__administration__code")
    def administration(self, story: SuccessStory) -> str:
        return story.administration.code

    @admin.display(description=_("workshop"), ordering="response__participant__workshop__start_date")
    def workshop(self, story: SuccessStory) -> str:
        return str(story.workshop)
