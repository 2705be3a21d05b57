"""The workbook import's admin pages: the upload, the status page that follows a running import (and asks staff to
confirm what it would send), and the history of past imports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from rocbap.admin import StaffModelAdmin
from surveys.imports import jobs as imports
from surveys.models import ImportState, WorkbookImport
from workshops.models import Workshop
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


class WorkbookImportPages(admin.ModelAdmin):
    """The import's pages, under the workshop list (admin/workshops/workshop/import/)."""

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
            # In the background (surveys.imports.jobs), in the staff user's language: a big workbook takes longer than a
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
            "may_confirm": request.user.has_perm(SEND_MESSAGES),
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
        if not request.user.has_perm(SEND_MESSAGES):
            raise PermissionDenied
        if not imports.confirm(workbook_import.pk, request.POST.get("plan", ""), timezone.now()):
            messages.warning(
                request,
                gettext("This import no longer waits for the plan you confirmed: nothing was imported by your click."),
            )
        return status_page


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
