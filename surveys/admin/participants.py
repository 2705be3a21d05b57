"""The participant pages: the message log of each, "send the link again", revoking links and erasing personal data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from rocbap.admin import StaffModelAdmin
from surveys import privacy, status
from surveys.admin.common import SendsMessages, ShowsParticipantStatus, ShowsQuestionnaireLink
from surveys.exports import XLSX, status_workbook
from surveys.mail import actions
from surveys.models import Message
from surveys.questionnaire.links import revoke
from surveys.questionnaire.schedule import local_day
from workshops.admin import FiscalYearFilter, UndeliverableFilter
from workshops.models import Participant, Workshop

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class WorkshopCounts(TypedDict):
        participant_count: int
        reply_count: int
        undeliverable_count: int

    # A workshop as the list shows it: counted in the list's query (WorkshopAdmin.get_queryset).
    CountedWorkshop = WithAnnotations[Workshop, WorkshopCounts]


@admin.action(description=_("Send the link again"), permissions=["send_messages"])
def send_link_again(modeladmin, request, queryset) -> None:
    wanted = queryset.may_receive_mail()
    with transaction.atomic():
        count = actions.send_link_again(wanted)
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


@admin.action(description=_("Erase personal data of the selected participants"), permissions=["change"])
def erase_personal_data(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset) -> HttpResponse | None:
    """Name and e-mail erased, link revoked, opted out; the reply stays counted. Asks for confirmation first."""
    if request.POST.get("confirm") != "yes":
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": gettext("Erase personal data?"),
            "participants": queryset.select_related("workshop", "administration"),
            "selected": [participant.pk for participant in queryset],
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


class StatusChangeList(ChangeList):
    """The participants' list: the mail state of the page's rows only, read after paging (surveys.status.attach);
    the reply state comes with the row (list_select_related)."""

    def get_results(self, request):
        super().get_results(request)
        self.result_list = status.attach(list(self.result_list))


class ParticipantWorkshopFYFilter(FiscalYearFilter):
    field_path = "workshop__fiscal_year"


class ReplyStateFilter(admin.SimpleListFilter):
    """Replied, a draft, or not replied (surveys.status)."""

    title = _("reply")
    parameter_name = "reply"

    def lookups(self, request, model_admin):
        return status.ReplyState.choices

    def queryset(self, request, queryset):
        condition = status.reply_condition(self.value() or "")
        return queryset.filter(condition) if condition is not None else queryset


class MailStateFilter(admin.SimpleListFilter):
    """Invited, reminded, opted out, undeliverable (surveys.status)."""

    title = _("mail")
    parameter_name = "mail"

    def lookups(self, request, model_admin):
        return status.MailState.choices

    def queryset(self, request, queryset):
        filtered = status.with_mail_state(queryset, self.value() or "")
        return filtered if filtered is not None else queryset


@admin.action(description=_("Export the selected participants (Excel)"))
def export_participants(modeladmin, request: HttpRequest, queryset) -> HttpResponse:
    """The chosen participants (select all to take the whole filtered list) as a workbook in the staff user's
    language, every text a text cell (never a formula)."""
    book = status_workbook(queryset)
    response = HttpResponse(book, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="participants.xlsx"'
    return response


@admin.action(description=_("Remind the selected non-repliers now"), permissions=["send_messages"])
def remind_now(modeladmin, request: HttpRequest, queryset) -> TemplateResponse | None:
    """Shows who gets a reminder today and who does not (and why); confirmed, sends one to each, at most one a
    participant and day (surveys.mail.actions.remind_now)."""
    today = local_day(timezone.now())
    if request.POST.get("confirm") == "yes":
        with transaction.atomic():
            count, _ = actions.remind_now(queryset, today)
        modeladmin.message_user(
            request,
            ngettext(
                "A reminder goes out to %(count)s participant.", "A reminder goes out to %(count)s participants.", count
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
        return None
    wanted = actions.remindable(queryset)
    already = set(
        Message.objects.filter(kind="remind-now", requested_on=today, participant__in=wanted).values_list(
            "participant_id", flat=True
        )
    )
    reminded = [p for p in wanted.select_related("workshop") if p.pk not in already]
    left_out = [
        (
            participant,
            gettext("reminded by staff today already") if participant.pk in already else _why_no_reminder(participant),
        )
        for participant in queryset.exclude(pk__in=[p.pk for p in reminded]).select_related("workshop", "response")
    ]
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": gettext("Send a reminder now?"),
        "opts": modeladmin.model._meta,
        "reminded": reminded,
        "left_out": left_out,
        "action": "remind_now",
        "selected": [p.pk for p in queryset],
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/surveys/confirm_remind_now.html", context)


def _why_no_reminder(participant: Participant) -> str:
    if participant.opted_out_at:
        return gettext("opted out of e-mail (or erased)")
    if participant.undeliverable_since:
        return gettext("the address is undeliverable")
    if status.reply_state_of(participant) == status.ReplyState.REPLIED:
        return gettext("replied already")
    if not participant.workshop.surveyed:
        return gettext("the workshop is not surveyed")
    return gettext("not invited yet")


@admin.register(Participant)
class ParticipantAdmin(ShowsParticipantStatus, ShowsQuestionnaireLink, SendsMessages, StaffModelAdmin):
    list_display = ["name", "email", "administration", "workshop", "language", "reply_state", "mail_state"]
    list_filter = [
        ReplyStateFilter,
        MailStateFilter,
        ParticipantWorkshopFYFilter,
        UndeliverableFilter,
        "workshop",
        "administration",
        "language",
    ]
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
    actions = [remind_now, send_link_again, export_participants, "revoke_links", erase_personal_data]

    # One count of the filtered list, not a second of every participant (30,000: bench/participants.py).
    show_full_result_count = False

    def get_changelist(self, request, **kwargs):
        return StatusChangeList

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
