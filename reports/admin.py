from django.contrib import admin

from reports.models import EarlierRound, Quote, ReportEdition


class QuoteInline(admin.TabularInline):
    model = Quote
    fields = ["section", "order", "response", "answer", "excerpt"]
    raw_id_fields = ["response"]
    extra = 0


@admin.register(ReportEdition)
class ReportEditionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "fiscal_year", "status", "publication_date", "updated_at"]
    list_filter = ["status"]
    inlines = [QuoteInline]


@admin.register(EarlierRound)
class EarlierRoundAdmin(admin.ModelAdmin):
    list_display = ["survey_year", "fiscal_year", "round_number", "reply_rate_percent"]
