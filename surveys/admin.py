"""The admin pages of the survey: workshops and participants with the survey's actions, replies and the message log.

Workshops and participants are workshops' models, registered here because their pages offer what the survey does
with them (send invitations or the link again, revoke links, erase personal data, show the message log); an app
imports only the apps below it (docs/architecture.md).
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import get_language_info, gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from rocbap.admin import StaffModelAdmin
from rocbap.percentages import percent_label
from surveys import dispatch, imports, privacy, questionnaire, rounds
from surveys.links import questionnaire_url, revoke
from surveys.models import ImportState, Message, MessageStatus, Response, Status, WorkbookImport
from surveys.schedule import local_day, past_catch_up, schedule_for
from workshops.admin import UNDELIVERABLE, FiscalYearFilter, UndeliverableFilter, undeliverable_link
from workshops.models import Participant, Workshop
from workshops.roles import SEND_MESSAGES, may_see_personal_data

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


# A change of these fields may make messages due: staff confirm what will be sent before it is saved.
SCHEDULE_FIELDS = [
    "start_date",
    "end_date",
    "surveyed",
    "invitation_date_override",
    "due_date_override",
    "feedback_date_override",
]

# --- What staff do with messages from the workshop and participant pages --------------------------------------


def long_date(day: dt.date) -> str:
    """A date as staff read it in their language: 05 March 2027, 05 mars 2027."""
    return date_format(day, "d F Y")


class SendsMessages:
    """For a ModelAdmin that offers the actions below: only to those who may send messages (workshops.roles)."""

    def has_send_messages_permission(self, request) -> bool:
        return request.user.has_perm(SEND_MESSAGES)


class ReleaseForm(forms.Form):
    due = forms.DateField(
        label=_("Due date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The reminders come before it and the results the day after. A new date shows this page again."),
    )
    # The due date this page showed: only that one is confirmed (a changed date is shown first).
    previewed = forms.DateField(widget=forms.DateInput(attrs={"type": "hidden"}, format="%Y-%m-%d"), required=False)

    def __init__(self, *args, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_due(self) -> dt.date:
        due = self.cleaned_data["due"]
        if due <= self.today:
            raise forms.ValidationError(
                gettext("The due date must be after today (%(today)s).") % {"today": long_date(self.today)}
            )
        return due


def released(workshop: Workshop, due: dt.date, now: dt.datetime) -> Workshop:
    """The workshop as release_invitations() will make it (not saved): what the confirmation page previews."""
    preview = copy.copy(workshop)
    preview.invitations_released_at = now
    preview.invitation_date_override = local_day(now)
    preview.due_date_override = due
    return preview


@admin.action(description=_("Send invitations now (workshops past the catch-up window)"), permissions=["send_messages"])
def send_invitations_now(modeladmin, request, queryset) -> TemplateResponse | None:
    """Shows who gets which message, when and due when, and sends only once staff confirmed (issue 12)."""
    now = timezone.now()
    today = local_day(now)
    past = [
        workshop
        for workshop in queryset
        if workshop.surveyed and workshop.invitations_released_at is None and past_catch_up(workshop, today)
    ]
    others = queryset.count() - len(past)
    if others:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)s workshop left as it is: not surveyed, already released, or its invitations are not past "
                "the catch-up window (the schedule sends those by itself).",
                "%(count)s workshops left as they are: not surveyed, already released, or their invitations are not "
                "past the catch-up window (the schedule sends those by itself).",
                others,
            )
            % {"count": others},
            messages.WARNING,
        )
    if not past:
        return None
    confirmed = request.POST.get("confirm") == "yes"
    default = dispatch.fresh_due_date(today)
    form = ReleaseForm(request.POST if confirmed else None, today=today, initial={"due": default, "previewed": default})
    if confirmed and form.is_valid() and form.cleaned_data["due"] != form.cleaned_data["previewed"]:
        # Another date than the one shown: show what it sends before anything goes.
        chosen = form.cleaned_data["due"]
        form = ReleaseForm(today=today, initial={"due": chosen, "previewed": chosen})
    elif confirmed and form.is_valid():
        due = form.cleaned_data["due"]
        with transaction.atomic():
            count = dispatch.release_invitations(queryset.filter(pk__in=[w.pk for w in past]), due, now)
        modeladmin.message_user(
            request,
            ngettext(
                "Invitations of %(count)s workshop released, due %(due)s: they are being sent.",
                "Invitations of %(count)s workshops released, due %(due)s: they are being sent.",
                count,
            )
            % {"count": count, "due": long_date(due)},
            messages.SUCCESS,
        )
        return None
    due = form.initial["due"] if not form.is_bound else default
    previews = [released(workshop, due, now) for workshop in past]
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": gettext("Send these invitations?"),
        "opts": modeladmin.model._meta,
        "lines": dispatch.preview(previews, now),
        "schedules": [(workshop, schedule_for(workshop)) for workshop in previews],
        "form": form,
        "action": "send_invitations_now",
        "selected": [workshop.pk for workshop in past],
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/surveys/confirm_release.html", context)


@admin.action(description=_("Send the link again"), permissions=["send_messages"])
def send_link_again(modeladmin, request, queryset) -> None:
    wanted = queryset.may_receive_mail()
    with transaction.atomic():
        count = dispatch.send_link_again(wanted)
    skipped = queryset.count() - count
    modeladmin.message_user(
        request,
        ngettext(
            "The link goes out again to %(count)s participant.",
            "The link goes out again to %(count)s participants.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )
    if skipped:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)s participant opted out of e-mail or has an undeliverable address: nothing sent to them.",
                "%(count)s participants opted out of e-mail or have an undeliverable address: nothing sent to them.",
                skipped,
            )
            % {"count": skipped},
            messages.WARNING,
        )


class MessageInline(admin.TabularInline):
    """The message log of one participant."""

    model = Message
    fields = readonly_fields = ("kind", "status", "to_email", "sent_at", "bounce", "bounce_detail", "error")
    extra = 0
    can_delete = False
    ordering = ["created_at", "id"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


# --- Workshops and participants ----------------------------------------------------------------------------


class ShowsQuestionnaireLink:
    @admin.display(description=_("personal link"))
    def questionnaire_link(self, participant: Participant) -> str:
        """The participant's link, to show again (e.g. when the e-mail was lost); empty until saved."""
        return questionnaire_url(participant) if participant.pk else "-"


class ParticipantInline(ShowsQuestionnaireLink, admin.TabularInline):
    model = Participant
    fields = ["name", "email", "administration", "questionnaire_link", "undeliverable_since"]
    readonly_fields = ["questionnaire_link", "undeliverable_since"]
    autocomplete_fields = ["administration"]
    extra = 0
    show_change_link = True


class WorkbookUploadForm(forms.Form):
    workbook = forms.FileField(
        label=_("Workbook"),
        help_text=_("An .xlsx workbook with the sheets workshops, participants and responses."),
    )

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        if upload.size > settings.WORKBOOK_MAX_BYTES:
            raise forms.ValidationError(
                gettext("The file is %(size)s MiB; at most %(limit)s MiB is accepted.")
                % {
                    "size": number_format(upload.size / 2**20, 1),
                    "limit": number_format(round(settings.WORKBOOK_MAX_BYTES / 2**20)),
                }
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
        "undeliverable_count",
    ]
    list_filter = [FiscalYearFilter, "scope", "surveyed", "accreditation", "mode"]
    search_fields = ["title", "code", "venue"]
    date_hierarchy = "start_date"
    inlines = [ParticipantInline]
    actions = [send_invitations_now]
    readonly_fields = ["fiscal_year_display", "schedule_display", "questionnaire_preview"]
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
                    "accreditation",
                ]
            },
        ),
        (
            _("Survey schedule"),
            {
                "fields": [
                    "schedule_display",
                    "questionnaire_preview",
                    "invitation_date_override",
                    "due_date_override",
                    "feedback_date_override",
                ],
                "description": _("Dates follow from the end date and the survey settings unless you set them here."),
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
                undeliverable_count=UNDELIVERABLE,
            )
        )

    @admin.display(description=_("FY"), ordering="fiscal_year")
    def fiscal_year_display(self, workshop: Workshop) -> str:
        return workshop.fiscal_year_label if workshop.start_date else "-"

    @admin.display(description=_("participants"), ordering="participant_count")
    def participant_count(self, workshop: CountedWorkshop) -> int:
        return workshop.participant_count

    @admin.display(description=_("replies"), ordering="reply_count")
    def reply_count(self, workshop: CountedWorkshop) -> int:
        return workshop.reply_count

    @admin.display(description=_("undeliverable addresses"), ordering="undeliverable_count")
    def undeliverable_count(self, workshop: CountedWorkshop) -> str:
        return undeliverable_link(workshop.undeliverable_count, workshop__id__exact=workshop.pk)

    @admin.display(description=_("reply rate"))
    def reply_rate(self, workshop: CountedWorkshop) -> str:
        return percent_label(workshop.reply_count, workshop.participant_count)

    @admin.display(description=_("dates now in force"))
    def schedule_display(self, workshop: Workshop) -> str:
        if not workshop.end_date:
            return "-"
        schedule = schedule_for(workshop)
        reminders = ", ".join(long_date(day) for day in schedule.reminders) or gettext("none")
        return gettext("invitation %(invitation)s; due %(due)s; reminders %(reminders)s; feedback %(feedback)s") % {
            "invitation": long_date(schedule.invitation),
            "due": long_date(schedule.due),
            "reminders": reminders,
            "feedback": long_date(schedule.feedback),
        }

    @admin.display(description=_("questionnaire"))
    def questionnaire_preview(self, workshop: Workshop) -> str:
        """Links to the staff preview of the questionnaire in each of the office's languages (surveys.views)."""
        if workshop.pk is None:
            return "-"
        return format_html_join(
            " · ",
            '<a href="{}" lang="{}">{}</a>',
            (
                (
                    reverse("surveys:preview", args=[workshop.pk, code]),
                    code,
                    gettext("Preview in %(language)s") % {"language": get_language_info(code)["name_local"]},
                )
                for code, _name in settings.LANGUAGES
            ),
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and request.POST.get("_messages_confirmed") != "yes":
            confirmation = self._confirm_schedule_change(request, object_id)
            if confirmation is not None:
                return confirmation
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _confirm_schedule_change(self, request: HttpRequest, object_id: str | None) -> HttpResponse | None:
        """New dates, or new participants, that make messages due are shown with what they send before they are
        saved (issue 12); a new workshop whose dates make its participants' invitations due too."""
        adding = object_id is None
        if object_id is None:
            workshop = None
            if not self.has_add_permission(request):
                return None  # the admin's own view answers
        else:
            workshop = self.get_object(request, object_id)
            if workshop is None or not self.has_change_permission(request, workshop):
                return None
        form = self.get_form(request, workshop, change=not adding)(request.POST, request.FILES, instance=workshop)
        if not form.is_valid():
            return None  # the admin's own view shows the errors
        formsets = [
            FormSet(
                request.POST,
                request.FILES,
                instance=form.instance,
                prefix=FormSet.get_default_prefix(),
                queryset=inline.get_queryset(request),
            )
            for FormSet, inline in self.get_formsets_with_inlines(request, *([] if adding else [workshop]))
        ]
        added = any(formset.extra_forms and any(f.has_changed() for f in formset.extra_forms) for formset in formsets)
        if not (adding or set(SCHEDULE_FIELDS) & set(form.changed_data) or added):
            return None  # nothing that moves the schedule or adds people: saved as usual
        if not all(formset.is_valid() for formset in formsets):
            return None

        def change() -> None:
            form.save()
            for formset in formsets:
                formset.save()

        # A new workshop has no id before it is saved: it is found by its code, which is unique.
        if workshop is None:
            changed = Workshop.objects.filter(code=form.cleaned_data["code"])
        else:
            changed = Workshop.objects.filter(pk=workshop.pk)
        lines = dispatch.announced_by(change, changed, timezone.now())
        if not lines:
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Add this workshop and send these messages?")
            if adding
            else gettext("Save these changes and send these messages?"),
            "opts": self.model._meta,
            "workshop": workshop,
            "new_title": form.cleaned_data["title"],
            "lines": lines,
            "posted": [
                (name, value)
                for name, values in request.POST.lists()
                for value in values
                if name != "csrfmiddlewaretoken"
            ],
        }
        template = "admin/surveys/confirm_new_workshop.html" if adding else "admin/surveys/confirm_schedule_change.html"
        return TemplateResponse(request, template, context)

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="workshops_workshop_import"),
            path(
                "import/<int:import_id>/",
                self.admin_site.admin_view(self.import_status_view),
                name="workshops_workshop_import_status",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            messages.error(request, gettext("You may not import workbooks."))
            return redirect(reverse("admin:workshops_workshop_changelist"))
        form = WorkbookUploadForm(request.POST, request.FILES) if request.method == "POST" else WorkbookUploadForm()
        if request.method == "POST" and form.is_valid():
            # In the background (surveys.imports), in the staff user's language: a big workbook takes longer than a
            # request may.
            language = translation.get_language() or settings.LANGUAGE_CODE
            workbook_import = imports.start(form.cleaned_data["workbook"], request.user, language)
            return redirect(reverse("admin:workshops_workshop_import_status", args=[workbook_import.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Import a workbook"),
            "form": form,
            "recent": [
                imports.as_shown(job, timezone.now()) for job in WorkbookImport.objects.select_related("started_by")[:5]
            ],
            "may_list_imports": self.admin_site.is_registered(WorkbookImport)
            and request.user.has_perm("surveys.view_workbookimport"),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/workshops/workshop/import.html", context)

    def import_status_view(self, request: HttpRequest, import_id: int) -> HttpResponse:
        """Where an import stands; refreshes itself until it is done, then shows the summary or every error. An
        import that makes messages due waits here for staff to confirm them, or cancel it (issue 12)."""
        if not self.has_add_permission(request):
            messages.error(request, gettext("You may not import workbooks."))
            return redirect(reverse("admin:workshops_workshop_changelist"))
        workbook_import = get_object_or_404(WorkbookImport, pk=import_id)
        if request.method == "POST":
            return self._answer_import_plan(request, workbook_import)
        # Past its time for confirmation: shown expired; the periodic pass writes it (a GET writes nothing).
        workbook_import = imports.as_shown(workbook_import, timezone.now())
        awaiting = workbook_import.state == ImportState.AWAITING
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Import of %(file)s") % {"file": workbook_import.file_name},
            "workbook_import": workbook_import,
            # Not while it waits for staff: the page would reload under their eyes with nothing new to say.
            "refresh": None if workbook_import.finished or awaiting else 2,
            "lines": imports.announced_lines(workbook_import) if awaiting else [],
            "plan_digest": imports.plan_digest(workbook_import.announced),
            "expires_at": imports.expires_at(workbook_import),
            "confirmation_hours": settings.IMPORT_CONFIRMATION_HOURS,
            "may_confirm": self.has_send_messages_permission(request),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/workshops/workshop/import_status.html", context)

    def _answer_import_plan(self, request: HttpRequest, workbook_import: WorkbookImport) -> HttpResponse:
        """Confirm (the plan the page showed, and only that) or cancel an import that awaits confirmation."""
        status_page = redirect(reverse("admin:workshops_workshop_import_status", args=[workbook_import.pk]))
        if "_cancel" in request.POST:
            if imports.cancel(workbook_import.pk):
                messages.info(request, gettext("Import cancelled: nothing was imported and nothing will be sent."))
            return status_page
        if "_confirm" not in request.POST:
            return status_page
        if not self.has_send_messages_permission(request):
            raise PermissionDenied
        if not imports.confirm(workbook_import.pk, request.POST.get("plan", ""), timezone.now()):
            messages.warning(
                request,
                gettext("This import no longer waits for the plan you confirmed: nothing was imported by your click."),
            )
        return status_page


@admin.action(description=_("Erase personal data of the selected participants"), permissions=["change"])
def erase_personal_data(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset) -> HttpResponse | None:
    """Name and e-mail erased, link revoked, opted out; the reply stays counted. Asks for confirmation first."""
    if request.POST.get("confirm") != "yes":
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": gettext("Erase personal data?"),
            "participants": queryset.select_related("workshop", "administration"),
            "opts": modeladmin.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/workshops/participant/erase_confirmation.html", context)
    erased = 0
    for participant in queryset:
        if privacy.erase_personal_data(participant):
            erased += 1
            # Stored as its message id: the history shows it in the reader's language (StaffModelAdmin).
            modeladmin.log_change(request, participant, gettext_noop("Erased personal data on request."))
    messages.success(
        request,
        ngettext(
            "Personal data of %(count)s participant erased; their reply stays counted.",
            "Personal data of %(count)s participants erased; their replies stay counted.",
            erased,
        )
        % {"count": erased},
    )
    return None


class ParticipantWorkshopFYFilter(FiscalYearFilter):
    field_path = "workshop__fiscal_year"


@admin.register(Participant)
class ParticipantAdmin(ShowsQuestionnaireLink, SendsMessages, StaffModelAdmin):
    list_display = ["name", "email", "administration", "workshop", "language", "has_replied", "undeliverable"]
    list_filter = [ParticipantWorkshopFYFilter, UndeliverableFilter, "workshop", "administration", "language"]
    search_fields = ["name", "email", "workshop__title", "workshop__code", "administration__code"]
    autocomplete_fields = ["administration"]
    list_select_related = ["administration", "workshop", "response"]
    readonly_fields = [
        "questionnaire_link",
        "opted_out_at",
        "undeliverable_since",
        "undeliverable_reason",
        "created_at",
    ]
    inlines = [MessageInline]
    actions = [send_link_again, "revoke_links", erase_personal_data]
    change_form_template = "admin/workshops/participant/change_form.html"

    @admin.action(
        description=_("Revoke the personal links of the selected participants (new links replace them)"),
        permissions=["change"],
    )
    def revoke_links(self, request: HttpRequest, queryset) -> None:
        revoked = 0
        for participant in queryset:
            revoke(participant)
            revoked += 1
        messages.success(
            request,
            ngettext(
                "%(count)s link revoked; the old link now answers 'not valid'.",
                "%(count)s links revoked; the old links now answer 'not valid'.",
                revoked,
            )
            % {"count": revoked},
        )

    def save_model(self, request: HttpRequest, obj: Participant, form, change: bool) -> None:
        was_undeliverable = change and obj.undeliverable
        super().save_model(request, obj, form, change)
        if was_undeliverable and not obj.undeliverable:
            messages.success(
                request,
                gettext(
                    "%(email)s replaces the address that bounced: the next dispatch pass sends it the message that "
                    "bounced, unless that message's moment has passed."
                )
                % {"email": obj.email},
            )

    def response_change(self, request: HttpRequest, obj: Participant) -> HttpResponse:
        if "_revoke_link" in request.POST:
            new_link = revoke(obj)
            messages.success(request, gettext("The old link no longer works. New link: %(link)s") % {"link": new_link})
            return redirect(request.path)
        return super().response_change(request, obj)

    @admin.display(boolean=True, description=_("address undeliverable"), ordering="undeliverable_since")
    def undeliverable(self, participant: Participant) -> bool:
        return participant.undeliverable

    @admin.display(boolean=True, description=_("replied"))
    def has_replied(self, participant: Participant) -> bool:
        response = getattr(participant, "response", None)
        return bool(response and response.is_reply)


# --- Replies and messages ------------------------------------------------------------------------------------


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

    @admin.display(description=_("participant"), ordering="participant__name")
    def participant_name(self, record: Response | Message) -> str:
        return record.participant.name


REPLY_FIELDS = ["participant", "contact_email", "status", "submitted_at", "changed_at", "late"]


def _reply_fieldsets(reply_fields: list[str]) -> _FieldsetSpec:
    """The reply's own fields, then one fieldset per question, in the questionnaire's order and words."""
    questions: _FieldsetSpec = [
        # Lazy: the question in the language of the page, not of the process that defined the class.
        (format_lazy("{}. {}", question.number, question.text), {"fields": list(question.fields)})
        for question in questionnaire.QUESTIONS
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


# --- Past workbook imports -------------------------------------------------------------------------------------


class ImportStateFilter(admin.SimpleListFilter):
    """By state as the list shows it: an import awaiting confirmation past its time is under Expired before the
    periodic pass has written it so."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin):
        return ImportState.choices

    def queryset(self, request: HttpRequest, queryset):
        state = self.value()
        return queryset if state is None else queryset.filter(imports.shown_in_state(state, timezone.now()))


@admin.register(WorkbookImport)
class WorkbookImportAdmin(StaffModelAdmin):
    """The history of the admin's workbook imports, newest first: who uploaded which file when, and how it ended.
    Kept as the imports wrote it (their own words, in the language of whoever started each): nothing is added,
    changed or deleted here. Each import's page is its status page, where one awaiting confirmation is confirmed
    or cancelled."""

    list_display = ["file_link", "started_by", "created_at", "shown_state", "outcome", "language"]
    list_display_links = None
    list_filter = [ImportStateFilter, "language"]
    search_fields = ["file_name", "started_by__username"]
    date_hierarchy = "created_at"
    list_select_related = ["started_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: WorkbookImport | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: WorkbookImport | None = None) -> bool:
        return False

    def get_list_display(self, request: HttpRequest):
        # The file's name links to the import's status page for whoever may import workbooks (who may open it).
        if request.user.has_perm("workshops.add_workshop"):
            return self.list_display
        return ["file_name", *self.list_display[1:]]

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None):
        if not object_id.isdigit():
            return redirect(reverse("admin:surveys_workbookimport_changelist"))
        return redirect(reverse("admin:workshops_workshop_import_status", args=[int(object_id)]))

    @admin.display(description=_("file name"), ordering="file_name")
    def file_link(self, workbook_import: WorkbookImport) -> str:
        url = reverse("admin:workshops_workshop_import_status", args=[workbook_import.pk])
        return format_html('<a href="{}">{}</a>', url, workbook_import.file_name)

    @admin.display(description=_("state"), ordering="state")
    def shown_state(self, workbook_import: WorkbookImport) -> str:
        return imports.as_shown(workbook_import, timezone.now()).get_state_display()

    @admin.display(description=_("outcome"))
    def outcome(self, workbook_import: WorkbookImport) -> str:
        """The summary, how many errors (and the first), or where a running import stands, as the import said it."""
        state = imports.as_shown(workbook_import, timezone.now()).state
        if state == ImportState.DONE:
            return "; ".join(workbook_import.summary)
        if state == ImportState.FAILED and workbook_import.failure:
            return workbook_import.failure
        if state == ImportState.FAILED:
            count = len(workbook_import.errors) + workbook_import.unlisted_errors
            if not workbook_import.errors:
                return ngettext("%(count)s error", "%(count)s errors", count) % {"count": count}
            return ngettext("%(count)s error: %(first)s", "%(count)s errors, the first: %(first)s", count) % {
                "count": count,
                "first": workbook_import.errors[0],
            }
        if state == ImportState.AWAITING:
            expires = imports.expires_at(workbook_import)
            if expires is not None:
                return gettext("awaits confirmation until %(when)s") % {
                    "when": date_format(timezone.localtime(expires), "DATETIME_FORMAT")
                }
        return imports.as_shown(workbook_import, timezone.now()).progress
