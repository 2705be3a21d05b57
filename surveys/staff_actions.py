"""What staff do with messages from the workshop and participant pages of the admin.

Kept apart from surveys/admin.py so that workshops/admin.py can use these without an import cycle.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone

from surveys import dispatch
from surveys.models import Message
from surveys.schedule import local_day, past_catch_up


class SendsMessages:
    """For a ModelAdmin that offers the actions below: only to those who may send messages (workshops.roles)."""

    def has_send_messages_permission(self, request) -> bool:
        from workshops.roles import SEND_MESSAGES

        return request.user.has_perm(SEND_MESSAGES)


@admin.action(description="Send invitations now (workshops past the catch-up window)", permissions=["send_messages"])
def send_invitations_now(modeladmin, request, queryset) -> None:
    today = local_day(timezone.now())
    past = [workshop.pk for workshop in queryset if workshop.surveyed and past_catch_up(workshop, today)]
    others = queryset.count() - len(past)
    with transaction.atomic():
        released = dispatch.release_invitations(queryset.filter(pk__in=past))
    if released:
        modeladmin.message_user(
            request, f"Invitations of {released} workshop(s) released: they are being sent.", messages.SUCCESS
        )
    if others or not released:
        modeladmin.message_user(
            request,
            f"{others + len(past) - released} workshop(s) left as they are: not surveyed, already released, or "
            "their invitations are not past the catch-up window (the schedule sends those by itself).",
            messages.WARNING,
        )


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
