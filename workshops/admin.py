from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from rocbap.admin import StaffModelAdmin
from surveys.models import Status
from surveys.staff_actions import MessageInline, SendsMessages, send_invitations_now, send_link_again
from workshops.models import MemberAdministration, Participant, Workshop, fiscal_year_label
from workshops.workbook import WorkbookInvalid, import_workbook


class FiscalYearFilter(admin.SimpleListFilter):
    title = "fiscal year"
    parameter_name = "fy"
    # The lookup on the model the admin lists, so responses and participants can use the filter too.
    field_path = "fiscal_year"

    def lookups(self, request, model_admin):
        years = Workshop.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).distinct()
        return [(str(year), f"FY{fiscal_year_label(year)}") for year in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(**{self.field_path: int(self.value())})
        return queryset


@admin.register(MemberAdministration)
class MemberAdministrationAdmin(StaffModelAdmin):
    list_display = ["code", "name", "subregion", "aliases"]
    list_filter = ["subregion"]
    search_fields = ["code", "name", "aliases"]


@admin.display(description="personal link")
def questionnaire_link(participant: Participant) -> str:
    """The participant's link, to show again (e.g. when the e-mail was lost); empty until saved."""
    from surveys.links import questionnaire_url

    return questionnaire_url(participant) if participant.pk else "-"


class ParticipantInline(admin.TabularInline):
    model = Participant
    fields = ["name", "email", "administration", questionnaire_link]
    readonly_fields = [questionnaire_link]
    autocomplete_fields = ["administration"]
    extra = 0
    show_change_link = True


class WorkbookUploadForm(forms.Form):
    workbook = forms.FileField(help_text="An .xlsx workbook with the sheets workshops, participants and responses.")

    def clean_workbook(self):
        from django.conf import settings

        upload = self.cleaned_data["workbook"]
        if upload.size > settings.WORKBOOK_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 2**20:.1f} MiB; "
                f"at most {settings.WORKBOOK_MAX_BYTES / 2**20:.0f} MiB is accepted."
            )
        return upload


@admin.register(Workshop)
class WorkshopAdmin(SendsMessages, StaffModelAdmin):
    list_display = [
        "title",
        "start_date",
        "scope",
        "fiscal_year_display",
        "surveyed",
        "participant_count",
        "reply_count",
        "reply_rate",
    ]
    list_filter = [FiscalYearFilter, "scope", "surveyed", "mode"]
    search_fields = ["title", "code", "venue"]
    date_hierarchy = "start_date"
    inlines = [ParticipantInline]
    actions = [send_invitations_now]
    readonly_fields = ["fiscal_year_display", "schedule_display"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    "title",
                    "scope",
                    ("start_date", "end_date"),
                    "fiscal_year_display",
                    "venue",
                    "mode",
                    "surveyed",
                ]
            },
        ),
        (
            "Survey schedule",
            {
                "fields": [
                    "schedule_display",
                    "invitation_date_override",
                    "due_date_override",
                    "feedback_date_override",
                ],
                "description": "Dates follow from the end date and the survey settings unless you set them here.",
            },
        ),
    ]
    change_list_template = "admin/workshops/workshop/change_list.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                participant_count=Count("participants", distinct=True),
                reply_count=Count(
                    "participants__response", filter=Q(participants__response__status=Status.SUBMITTED), distinct=True
                ),
            )
        )

    @admin.display(description="FY", ordering="fiscal_year")
    def fiscal_year_display(self, workshop: Workshop) -> str:
        return workshop.fiscal_year_label if workshop.start_date else "-"

    @admin.display(description="participants", ordering="participant_count")
    def participant_count(self, workshop: Workshop) -> int:
        return workshop.participant_count

    @admin.display(description="replies", ordering="reply_count")
    def reply_count(self, workshop: Workshop) -> int:
        return workshop.reply_count

    @admin.display(description="reply rate")
    def reply_rate(self, workshop: Workshop) -> str:
        if not workshop.participant_count:
            return "-"
        return f"{round(100 * workshop.reply_count / workshop.participant_count)}%"

    @admin.display(description="dates now in force")
    def schedule_display(self, workshop: Workshop) -> str:
        if not workshop.end_date:
            return "-"
        schedule = workshop.schedule
        reminders = ", ".join(f"{day:%d %b %Y}" for day in schedule.reminders) or "none"
        return (
            f"invitation {schedule.invitation:%d %b %Y}; due {schedule.due:%d %b %Y}; "
            f"reminders {reminders}; feedback {schedule.feedback:%d %b %Y}"
        )

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="workshops_workshop_import"),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            messages.error(request, "You may not import workbooks.")
            return redirect(reverse("admin:workshops_workshop_changelist"))
        errors: list[str] = []
        form = WorkbookUploadForm(request.POST, request.FILES) if request.method == "POST" else WorkbookUploadForm()
        if request.method == "POST" and form.is_valid():
            try:
                summary = import_workbook(form.cleaned_data["workbook"])
            except WorkbookInvalid as invalid:
                errors = [str(error) for error in invalid.errors]
            else:
                messages.success(request, "Workbook imported. " + " ".join(summary.lines()))
                return redirect(reverse("admin:workshops_workshop_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Import a workbook",
            "form": form,
            "errors": errors,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/workshops/workshop/import.html", context)


@admin.action(description="Erase personal data of the selected participants", permissions=["change"])
def erase_personal_data(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset) -> HttpResponse | None:
    """Name and e-mail erased, link revoked, opted out; the reply stays counted. Asks for confirmation first."""
    from workshops.privacy import erase_personal_data as erase

    if request.POST.get("confirm") != "yes":
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": "Erase personal data?",
            "participants": queryset.select_related("workshop", "administration"),
            "opts": modeladmin.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/workshops/participant/erase_confirmation.html", context)
    erased = 0
    for participant in queryset:
        if erase(participant):
            erased += 1
            modeladmin.log_change(request, participant, "Erased personal data on request.")
    messages.success(request, f"Personal data of {erased} participant(s) erased; their replies stay counted.")
    return None


class ParticipantWorkshopFYFilter(FiscalYearFilter):
    field_path = "workshop__fiscal_year"


@admin.register(Participant)
class ParticipantAdmin(SendsMessages, StaffModelAdmin):
    list_display = ["name", "email", "administration", "workshop", "has_replied"]
    list_filter = [ParticipantWorkshopFYFilter, "workshop", "administration"]
    search_fields = ["name", "email", "workshop__title", "workshop__code", "administration__code"]
    autocomplete_fields = ["administration"]
    list_select_related = ["administration", "workshop", "response"]
    readonly_fields = [questionnaire_link, "opted_out_at", "created_at"]
    inlines = [MessageInline]
    actions = [send_link_again, "revoke_links", erase_personal_data]
    change_form_template = "admin/workshops/participant/change_form.html"

    @admin.action(
        description="Revoke the personal links of the selected participants (new links replace them)",
        permissions=["change"],
    )
    def revoke_links(self, request: HttpRequest, queryset) -> None:
        from surveys.links import revoke

        for participant in queryset:
            revoke(participant)
        messages.success(request, f"{queryset.count()} link(s) revoked; the old links now answer 'not valid'.")

    def response_change(self, request: HttpRequest, obj: Participant) -> HttpResponse:
        if "_revoke_link" in request.POST:
            from surveys.links import revoke

            new_link = revoke(obj)
            messages.success(request, f"The old link no longer works. New link: {new_link}")
            return redirect(request.path)
        return super().response_change(request, obj)

    @admin.display(boolean=True, description="replied")
    def has_replied(self, participant: Participant) -> bool:
        response = getattr(participant, "response", None)
        return bool(response and response.is_reply)
