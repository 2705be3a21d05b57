"""The admin of the workshops app's own rows: member administrations, and the fiscal-year filter every list uses.

Workshops and participants are registered in surveys/admin.py: their pages offer the survey's actions (send the
link again, release invitations, erase personal data, the message log), and an app imports only the apps below it
(docs/architecture.md).
"""

from __future__ import annotations

from django.contrib import admin

from rocbap.admin import StaffModelAdmin
from workshops.models import MemberAdministration, Workshop, fiscal_year_label


class FiscalYearFilter(admin.SimpleListFilter):
    title = "fiscal year"
    parameter_name = "fy"
    # The lookup on the model the admin lists, so responses and participants can use the filter too.
    field_path = "fiscal_year"

    def lookups(self, request, model_admin):
        years = Workshop.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).distinct()
        return [(str(year), f"FY{fiscal_year_label(year)}") for year in years]

    def queryset(self, request, queryset):
        chosen = self.value()
        if chosen and chosen.isdigit():
            return queryset.filter(**{self.field_path: int(chosen)})
        return queryset


@admin.register(MemberAdministration)
class MemberAdministrationAdmin(StaffModelAdmin):
    list_display = ["code", "name", "subregion", "aliases"]
    list_filter = ["subregion"]
    search_fields = ["code", "name", "aliases"]
