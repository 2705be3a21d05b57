"""The workshop pages: the survey's schedule and its confirmation, "send invitations now", the participants, and
the workbook import (its pages come from surveys.imports.admin).

Workshops are the workshops app's models, registered here because their pages offer what the survey does with them
(an app imports only the apps below it: docs/architecture.md)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from rocbap.admin import StaffModelAdmin
from rocbap.percentages import reply_rate_label
from surveys.admin.common import SendsMessages, ShowsQuestionnaireLink, long_date
from surveys.imports.admin import WorkbookImportPages
from surveys.mail import actions, planning
from surveys.models import replied
from surveys.questionnaire.schedule import local_day, past_catch_up, schedule_for
from workshops.admin import UNDELIVERABLE, FiscalYearFilter, undeliverable_link
from workshops.models import TITLE_LANGUAGES, Participant, Workshop

if TYPE_CHECKING:
    from typing import TypedDict

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
    default = actions.fresh_due_date(today)
    form = ReleaseForm(request.POST if confirmed else None, today=today, initial={"due": default, "previewed": default})
    if confirmed and form.is_valid() and form.cleaned_data["due"] != form.cleaned_data["previewed"]:
        # Another date than the one shown: show what it sends before anything goes.
        chosen = form.cleaned_data["due"]
        form = ReleaseForm(today=today, initial={"due": chosen, "previewed": chosen})
    elif confirmed and form.is_valid():
        due = form.cleaned_data["due"]
        with transaction.atomic():
            count = actions.release_invitations(queryset.filter(pk__in=[w.pk for w in past]), due, now)
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
        "lines": planning.preview(previews, now),
        "schedules": [(workshop, schedule_for(workshop)) for workshop in previews],
        "form": form,
        "action": "send_invitations_now",
        "selected": [workshop.pk for workshop in past],
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/surveys/confirm_release.html", context)


class ParticipantInline(ShowsQuestionnaireLink, admin.TabularInline):
    model = Participant
    fields = ["name", "email", "administration", "questionnaire_link", "undeliverable_since"]
    readonly_fields = ["questionnaire_link", "undeliverable_since"]
    autocomplete_fields = ["administration"]
    extra = 0
    show_change_link = True


@admin.register(Workshop)
class WorkshopAdmin(WorkbookImportPages, SendsMessages, StaffModelAdmin):
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
                    "accreditation",
                ]
            },
        ),
        (
            _("Title in other languages"),
            {
                # Participants, their e-mails and the report read the title in their language, else the one above.
                "fields": [f"title_{code}" for code, _name in settings.LANGUAGES if code in TITLE_LANGUAGES],
                "description": _("Where the workshop was published in other languages; leave empty otherwise."),
            },
        ),
        (
            _("Survey schedule"),
            {
                "fields": [
                    "schedule_display",
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
                reply_count=Count("participants__response", filter=replied("participants__response__"), distinct=True),
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
        return reply_rate_label(workshop.reply_count, workshop.participant_count)

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
        lines = planning.announced_by(change, changed, timezone.now())
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
