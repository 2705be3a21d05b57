"""The message log: what went out to whom, and what failed."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from surveys.admin.common import RecordAdmin
from surveys.mail import actions
from surveys.models import Message, MessageStatus
from workshops.admin import FiscalYearFilter
from workshops.models import Workshop, may_be_mailed
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


class MessageFYFilter(FiscalYearFilter):
    field_path = "participant__workshop__fiscal_year"


class SendAgainForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept with each message sent again, e.g. 'the participant asked for it: the first was lost'."),
    )
    # Drawn when the page is shown: submitting the same page twice sends once (Message.request_key).
    request_key = forms.CharField(widget=forms.HiddenInput, max_length=32, min_length=16)


@admin.action(description=_("Send again (asks for the reason)"), permissions=["send_messages"])
def send_again(modeladmin, request: HttpRequest, queryset) -> TemplateResponse | None:
    """Shows which messages go out again and which cannot (and why), asks for the reason; confirmed, each goes out as
    a new row of the log, under every rule of who may be mailed (surveys.mail.actions.send_again)."""
    chosen = queryset.select_related("participant__workshop")
    if request.POST.get("confirm") == "yes":
        form = SendAgainForm(request.POST)
        if form.is_valid():
            with transaction.atomic():
                count, refused = actions.send_again(
                    chosen, form.cleaned_data["reason"].strip(), form.cleaned_data["request_key"]
                )
            modeladmin.message_user(
                request,
                ngettext("%(count)s message goes out again.", "%(count)s messages go out again.", count)
                % {"count": count},
                messages.SUCCESS if count else messages.WARNING,
            )
            return None
    else:
        form = SendAgainForm(initial={"request_key": secrets.token_hex(16)})
    refused = chosen.exclude(pk__in=chosen.filter(may_be_mailed("participant__"), status__in=actions.RESENDABLE))
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": gettext("Send these messages again?"),
        "opts": modeladmin.model._meta,
        "sent_again": chosen.exclude(pk__in=refused.values("pk")),
        "refused": [(message, _why_not_again(message)) for message in refused],
        "form": form,
        "action": "send_again",
        "selected": [message.pk for message in chosen],
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/surveys/confirm_send_again.html", context)


def _why_not_again(message: Message) -> str:
    if message.status not in actions.RESENDABLE:
        return gettext("still on its way (pending) or never wanted (skipped)")
    return gettext("the participant may not be mailed (opted out, erased or undeliverable)")


@admin.register(Message)
class MessageAdmin(RecordAdmin):
    """The message log: what went out to whom, and what failed (filter Status: Failed)."""

    list_display = ["kind", "participant_name", "to_email", "workshop", "status", "sent_at", "bounce", "error"]
    actions = [send_again]
    list_filter = ["status", "bounce", "kind", MessageFYFilter, "participant__workshop"]
    search_fields = ["participant__name", "participant__email", "to_email", "participant__workshop__title", "error"]
    list_select_related = ["participant__workshop"]
    date_hierarchy = "created_at"
    # The message as it went out; the claim and lease are the dispatch's business, not staff's.
    fieldsets = [
        (None, {"fields": ["participant", "kind", "status", "to_email", "sent_at", "resent_of", "reason"]}),
        (_("As sent"), {"fields": ["subject", "text"]}),
        (_("Delivery"), {"fields": ["attempts", "error", "next_attempt_at", "bounce", "bounced_at", "bounce_detail"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "text"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # The log is a record: deleting a row would make the dispatch send its message again ("exactly once" rests
        # on it). Nobody deletes one, superusers included; erasure blanks what names a person (surveys.privacy).
        return False

    def has_send_messages_permission(self, request) -> bool:
        return request.user.has_perm(SEND_MESSAGES)

    @admin.display(description=_("text"))
    def text(self, message: Message) -> str:
        # Shown as the participant read it: line breaks kept, nothing interpreted as HTML.
        if not message.body:
            return "-" if message.status != MessageStatus.SENT else gettext("(not kept)")
        return format_html("<pre>{}</pre>", message.body)

    @admin.display(description=_("workshop"), ordering="participant__workshop__start_date")
    def workshop(self, message: Message) -> str:
        return str(message.participant.workshop)
