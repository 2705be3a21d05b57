"""The admin of the workshops app's own rows: member administrations, and the fiscal-year filter every list uses.

Workshops and participants are registered in surveys/admin.py: their pages offer the survey's actions (send the
link again, release invitations, erase personal data, the message log), and an app imports only the apps below it
(docs/architecture.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rocbap.admin import StaffModelAdmin
from workshops.models import MemberAdministration, Workshop, fiscal_year_label

if TYPE_CHECKING:
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class UndeliverableCount(TypedDict):
        undeliverable_count: int

    # An administration as its list shows it: counted in the list's query (MemberAdministrationAdmin.get_queryset).
    CountedAdministration = WithAnnotations[MemberAdministration, UndeliverableCount]


class FiscalYearFilter(admin.SimpleListFilter):
    title = _("fiscal year")
    parameter_name = "fy"
    # The lookup on the model the admin lists, so responses and participants can use the filter too.
    field_path = "fiscal_year"

    def lookups(self, request, model_admin):
        years = Workshop.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).distinct()
        return [(str(year), gettext("FY%(label)s") % {"label": fiscal_year_label(year)}) for year in years]

    def queryset(self, request, queryset):
        chosen = self.value()
        if chosen and chosen.isdigit():
            return queryset.filter(**{self.field_path: int(chosen)})
        return queryset


class UndeliverableFilter(admin.SimpleListFilter):
    """Participants whose address bounced for good: staff ask their administration for the right one."""

    title = _("address")
    parameter_name = "address"

    def lookups(self, request, model_admin):
        return [("undeliverable", gettext("undeliverable")), ("deliverable", gettext("deliverable"))]

    def queryset(self, request, queryset):
        if self.value() == "undeliverable":
            return queryset.filter(undeliverable_since__isnull=False)
        if self.value() == "deliverable":
            return queryset.filter(undeliverable_since__isnull=True)
        return queryset


def undeliverable_link(count: int, **filters: object) -> str:
    """A count of undeliverable addresses, linked to those participants."""
    if not count:
        return "0"
    query = "&".join(f"{key}={value}" for key, value in {"address": "undeliverable", **filters}.items())
    return format_html('<a href="{}?{}">{}</a>', reverse("admin:workshops_participant_changelist"), query, count)


# Annotates workshops and administrations with how many of their participants' addresses bounced for good.
UNDELIVERABLE = Count("participants", filter=Q(participants__undeliverable_since__isnull=False), distinct=True)


@admin.register(MemberAdministration)
class MemberAdministrationAdmin(StaffModelAdmin):
    list_display = ["code", "name", "name_here", "subregion", "aliases", "undeliverable_count"]
    list_filter = ["subregion"]
    search_fields = ["code", "name", "aliases"]

    @admin.display(description=_("name in this page's language"))
    def name_here(self, administration: MemberAdministration) -> str:
        """As participants, e-mails and the report in this language name it (MemberAdministration.name_in)."""
        return administration.name_in()

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(undeliverable_count=UNDELIVERABLE)

    @admin.display(description=_("undeliverable addresses"), ordering="undeliverable_count")
    def undeliverable_count(self, administration: CountedAdministration) -> str:
        return undeliverable_link(administration.undeliverable_count, administration__id__exact=administration.pk)
