"""What staff do with messages from the workshop and participant pages of the admin.

Kept apart from surveys/admin.py so that workshops/admin.py can use these without an import cycle.
"""

from __future__ import annotations

import copy
import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils import timezone

from surveys import dispatch
from surveys.models import Message
from surveys.schedule import local_day, past_catch_up
from workshops.models import Workshop


class SendsMessages:
    """For a ModelAdmin that offers the actions below: only to those who may send messages (workshops.roles)."""

    def has_send_messages_permission(self, request) -> bool:
        from workshops.roles import SEND_MESSAGES

        return request.user.has_perm(SEND_MESSAGES)


class ReleaseForm(forms.Form):
    due = forms.DateField(
        label="Due date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="The reminders come before it and the results the day after.",
    )

    def __init__(self, *args, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_due(self) -> dt.date:
        due = self.cleaned_data["due"]
        if due <= self.today:
            raise forms.ValidationError(f"The due date must be after today ({self.today:%d %B %Y}).")
        return due


def released(workshop: Workshop, due: dt.date, now: dt.datetime) -> Workshop:
    """The workshop as release_invitations() will make it (not saved): what the confirmation page previews."""
    preview = copy.copy(workshop)
    preview.invitations_released_at = now
    preview.invitation_date_override = local_day(now)
    preview.due_date_override = due
    return preview


@admin.action(description="Send invitations now (workshops past the catch-up window)", permissions=["send_messages"])
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
            f"{others} workshop(s) left as they are: not surveyed, already released, or their invitations are not past "
            "the catch-up window (the schedule sends those by itself).",
            messages.WARNING,
        )
    if not past:
        return None
    confirmed = request.POST.get("confirm") == "yes"
    form = ReleaseForm(
        request.POST if confirmed else None, today=today, initial={"due": dispatch.fresh_due_date(today)}
    )
    if confirmed and form.is_valid():
        due = form.cleaned_data["due"]
        with transaction.atomic():
            count = dispatch.release_invitations(queryset.filter(pk__in=[w.pk for w in past]), due, now)
        modeladmin.message_user(
            request,
            f"Invitations of {count} workshop(s) released, due {due:%d %B %Y}: they are being sent.",
            messages.SUCCESS,
        )
        return None
    due = form.cleaned_data["due"] if form.is_bound and form.is_valid() else dispatch.fresh_due_date(today)
    previews = [released(workshop, due, now) for workshop in past]
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Send these invitations?",
        "opts": modeladmin.model._meta,
        "lines": dispatch.preview(previews, now),
        "schedules": [(workshop, workshop.schedule) for workshop in previews],
        "form": form,
        "action": "send_invitations_now",
        "selected": [workshop.pk for workshop in past],
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/surveys/confirm_release.html", context)


@admin.action(description="Send the link again", permissions=["send_messages"])
def send_link_again(modeladmin, request, queryset) -> None:
    wanted = queryset.may_receive_mail()
    with transaction.atomic():
        count = dispatch.send_link_again(wanted)
    skipped = queryset.count() - count
    modeladmin.message_user(request, f"The link goes out again to {count} participant(s).", messages.SUCCESS)
    if skipped:
        modeladmin.message_user(
            request,
            f"{skipped} participant(s) opted out of e-mail or have an undeliverable address: nothing sent to them.",
            messages.WARNING,
        )


class MessageInline(admin.TabularInline):
    """The message log of one participant."""

    model = Message
    fields = ["kind", "status", "to_email", "sent_at", "bounce", "bounce_detail", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["created_at", "id"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False
