from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from reports import standing_texts
from reports.models import EarlierRound, Quote, ReportEdition
from reports.quotes import QuoteForm
from rocbap.admin import StaffModelAdmin
from surveys.models import FREE_TEXTS, Response


def _signed_in(request: HttpRequest) -> User | None:
    """The staff user at work (admin pages are for signed-in staff only), recorded as who closed the round."""
    return request.user if isinstance(request.user, User) else None


def _final(edition: ReportEdition | None) -> bool:
    return edition is not None and edition.pk is not None and edition.is_final


class QuoteInline(admin.TabularInline):
    model = Quote
    form = QuoteForm
    fields = ["section", "order", "response", "answer", "excerpt"]
    raw_id_fields = ["response"]
    extra = 0

    # A final edition's quotes are shown, not changed (reopen the edition first).
    def has_add_permission(self, request: HttpRequest, obj: ReportEdition | None = None) -> bool:
        return not _final(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: ReportEdition | None = None) -> bool:
        return not _final(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: ReportEdition | None = None) -> bool:
        return not _final(obj) and super().has_delete_permission(request, obj)


@admin.register(ReportEdition)
class ReportEditionAdmin(StaffModelAdmin):
    list_display = ["__str__", "fiscal_year", "status", "publication_date", "finalized_at", "updated_at"]
    list_filter = ["status"]
    readonly_fields = ["status", "finalized_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["fiscal_year", "status", "finalized_at", "publication_date"]}),
        (None, {"fields": ["language"]}),
        (_("Texts"), {"fields": ["foreword", "executive_summary", "introduction", "conclusion", "contact"]}),
        (_("Signature of the foreword"), {"fields": ["signatory_name", "signatory_title"]}),
    ]
    inlines = [QuoteInline]
    actions = ["make_final"]

    # Closed means closed: a final edition's texts are shown, not changed, by anybody (reopen it first).
    def has_change_permission(self, request: HttpRequest, obj: ReportEdition | None = None) -> bool:
        return not _final(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: ReportEdition | None = None) -> bool:
        return not _final(obj) and super().has_delete_permission(request, obj)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        # A new edition starts from the standing introduction, which staff then adapt: in the office's language, the
        # edition's by default.
        introduction = standing_texts.introduction(settings.OFFICE.default_language)
        return {"introduction": introduction, **super().get_changeform_initial_data(request)}

    def get_urls(self):
        return [
            path(
                "<int:edition_id>/make-final/",
                self.admin_site.admin_view(self.make_final_view),
                name="reports_reportedition_make_final",
            ),
            path(
                "<int:edition_id>/reopen/",
                self.admin_site.admin_view(self.reopen_view),
                name="reports_reportedition_reopen",
            ),
            *super().get_urls(),
        ]

    @admin.action(description=_("Make final (closes the fiscal year's round)"), permissions=["change"])
    def make_final(self, request: HttpRequest, queryset) -> HttpResponse | None:
        drafts = [edition for edition in queryset if not edition.is_final]
        if self._refused(request, drafts):
            return None
        if request.POST.get("confirmed") == "yes":
            for edition in drafts:
                edition.make_final(by=_signed_in(request))
            self.message_user(
                request,
                ngettext(
                    "%(count)s edition made final; its round is closed.",
                    "%(count)s editions made final; their rounds are closed.",
                    len(drafts),
                )
                % {"count": len(drafts)},
            )
            return None
        return self._confirmation(request, drafts, action=True)

    def make_final_view(self, request: HttpRequest, edition_id: int) -> HttpResponse:
        edition = get_object_or_404(ReportEdition, pk=edition_id)
        if not self.has_change_permission(request, edition):
            return redirect("admin:index")
        if not edition.is_final and self._refused(request, [edition]):
            return redirect("admin:reports_reportedition_change", edition.pk)
        if request.method == "POST":
            if not edition.is_final:
                edition.make_final(by=_signed_in(request))
                self.message_user(
                    request,
                    gettext("%(edition)s is final; the round of FY%(label)s is closed.")
                    % {"edition": edition, "label": edition.fiscal_year_label},
                )
            return redirect("admin:reports_reportedition_change", edition.pk)
        return self._confirmation(request, [edition], action=False)

    def reopen_view(self, request: HttpRequest, edition_id: int) -> HttpResponse:
        """Back to draft, round open again: asked for on purpose (a confirmation page), kept in the history."""
        edition = get_object_or_404(ReportEdition, pk=edition_id)
        # Who may change editions (the model's permission): the final edition itself refuses every change.
        if not super().has_change_permission(request):
            return redirect("admin:index")
        if not edition.is_final:
            self.message_user(
                request, gettext("%(edition)s is a draft already.") % {"edition": edition}, messages.WARNING
            )
            return redirect("admin:reports_reportedition_change", edition.pk)
        if request.method == "POST" and request.POST.get("confirmed") == "yes":
            edition.reopen(by=_signed_in(request))
            # Stored as its message id: the history shows it in the reader's language (StaffModelAdmin). The entry
            # belongs to the edition, which names its fiscal year.
            self.log_change(request, edition, gettext_noop("Reopened: back to draft; its round is open again."))
            self.message_user(
                request,
                gettext("FY%(label)s: the report is a draft again and its round is open.")
                % {"label": edition.fiscal_year_label},
            )
            return redirect("admin:reports_reportedition_change", edition.pk)
        return TemplateResponse(
            request,
            "admin/reports/reportedition/reopen.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Reopen the report?"),
                "edition": edition,
                "opts": self.model._meta,
            },
        )

    def _refused(self, request: HttpRequest, editions: list[ReportEdition]) -> bool:
        """Nothing is made final while an edition or its round is not finished (ReportEdition.missing_for_final):
        say why, for each edition refused. Returns whether any was."""
        refused = False
        for edition in editions:
            missing = edition.missing_for_final()
            if missing:
                refused = True
                self.message_user(
                    request,
                    gettext("%(edition)s cannot be made final yet: %(reasons)s.")
                    % {"edition": edition, "reasons": "; ".join(missing)},
                    messages.ERROR,
                )
        return refused

    def _confirmation(self, request: HttpRequest, editions: list[ReportEdition], action: bool) -> HttpResponse:
        if not editions:
            self.message_user(request, gettext("The chosen editions are final already."), messages.WARNING)
            return redirect("admin:reports_reportedition_changelist")
        # What staff publish: each round's figures as the report counts them (its Table 1 total line); no survey
        # of the round is open, or the edition would have been refused.
        published = [(edition, edition.round_totals()) for edition in editions]
        return TemplateResponse(
            request,
            "admin/reports/reportedition/make_final.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Make the report final?"),
                "published": published,
                "action": action,
                "opts": self.model._meta,
            },
        )


@admin.register(Quote)
class QuoteAdmin(StaffModelAdmin):
    form = QuoteForm

    def has_change_permission(self, request: HttpRequest, obj: Quote | None = None) -> bool:
        return not (obj is not None and _final(obj.edition)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Quote | None = None) -> bool:
        return not (obj is not None and _final(obj.edition)) and super().has_delete_permission(request, obj)

    list_display = ["section", "order", "excerpt_start", "attribution", "edition"]
    list_filter = ["edition", "section"]
    list_select_related = ["response__participant__workshop", "response__participant__administration", "edition"]
    raw_id_fields = ["response"]
    search_fields = ["excerpt", "response__participant__administration__name", "response__participant__workshop__title"]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        # Linked with ?response=..&answer=..: the excerpt starts as the answer's text, for staff to cut down.
        initial = super().get_changeform_initial_data(request)
        response_id, answer = str(initial.get("response", "")), initial.get("answer")
        if response_id.isdigit() and answer in FREE_TEXTS:
            response = Response.objects.filter(pk=int(response_id)).first()
            if response is not None:
                initial.setdefault("excerpt", getattr(response, answer))
        return initial

    @admin.display(description=_("excerpt"))
    def excerpt_start(self, quote: Quote) -> str:
        return quote.excerpt if len(quote.excerpt) <= 80 else quote.excerpt[:79] + "…"


@admin.register(EarlierRound)
class EarlierRoundAdmin(StaffModelAdmin):
    list_display = ["survey_year", "fiscal_year", "round_number", "reply_rate_percent"]
