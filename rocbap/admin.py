"""The base of every admin page of the product: only the filters it declares, and bad query strings get a 400.

Django's admin accepts any lookup on a model's own fields from the query string (`?contact_email__regex=^a`), and
the result count then answers yes or no: whoever may list replies could read, letter by letter, a field the page
never shows them. Here a list accepts the filters, date drill-down and search the admin declares for the user asking
(get_list_filter, get_search_fields may depend on the role), and nothing else.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import BadRequest
from django.db import DataError
from django.http import HttpRequest
from django.utils.translation import gettext

# What Django's own list filters put in the query string after a declared field's path (choices, booleans, related
# objects, dates, empty values). A lookup such as regex, contains or startswith is not among them.
FILTER_SUFFIXES = frozenset({"exact", "isnull", "in", "gte", "lt", "id__exact", "id__in", "pk__exact"})
DATE_HIERARCHY_SUFFIXES = frozenset({"year", "month", "day"})


class StaffModelAdmin(admin.ModelAdmin):
    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        """An object's history in the reader's language. Django stores its own entries as JSON and words them on
        display (LogEntry.get_change_message); that format has no room for the product's sentences ("Erased
        personal data on request."), so the product stores each as its English message id, marked with
        gettext_noop, and they are translated here, in memory, for the page. Text that is no message id (an
        entry written before, a stray one) is shown as it is."""
        response = super().history_view(request, object_id, extra_context)
        context = getattr(response, "context_data", None) or {}
        for entry in context.get("action_list") or []:
            if not entry.change_message.startswith("["):
                entry.change_message = gettext(entry.change_message)
        return response

    def declared_filter_parameters(self, request: HttpRequest) -> tuple[set[str], set[str]]:
        """(parameter names a filter of this page reads as they are, field paths the filters are on)."""
        names: set[str] = set()
        paths: set[str] = set()
        for item in self.get_list_filter(request):
            if isinstance(item, type) and issubclass(item, admin.SimpleListFilter):
                if item.parameter_name:
                    names.add(item.parameter_name)
            elif isinstance(item, list | tuple) and isinstance(item[0], str):
                paths.add(item[0])
            elif isinstance(item, str):
                paths.add(item)
        return names, paths

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        if request is None:  # Django's system checks ask without a request; the page always passes one
            return super().lookup_allowed(lookup, value, request)  # type: ignore[arg-type]
        # A raw-id popup's limit_choices_to and the like: Django's own checks first.
        if not super().lookup_allowed(lookup, value, request):
            return False
        names, paths = self.declared_filter_parameters(request)
        if lookup in names:
            return True
        if self.date_hierarchy and lookup in {f"{self.date_hierarchy}__{s}" for s in DATE_HIERARCHY_SUFFIXES}:
            return True
        return any(lookup in {f"{path}__{suffix}" for suffix in FILTER_SUFFIXES} for path in paths)

    def get_changelist_instance(self, request: HttpRequest):
        # The list is counted here: a value that no column can hold (a year of twenty digits, an id past 2**63)
        # fails in Python or in the database. That is the request's fault: 400, not 500.
        try:
            return super().get_changelist_instance(request)
        except (OverflowError, DataError) as error:
            raise BadRequest(f"A filter's value is out of range: {error}") from None
