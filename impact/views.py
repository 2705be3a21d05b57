"""The impact staff pages (under /staff/impact/). Each view calls one function of impact.staff, impact.ledger or
impact.indicators."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from impact import indicators, ledger, staff, suggesting
from workshops.models import MemberAdministration, fiscal_year_label
from workshops.roles import CONFIRM_STORIES, staff_page


@staff_page
def indicator_stories(request: HttpRequest, indicator: str) -> HttpResponse:
    """The stories an indicator counts."""
    chosen = indicators.indicator_named(indicator)
    if chosen is None:
        raise Http404("no such indicator")
    stories = indicators.counted_stories(chosen).select_related(
        "response__participant__workshop", "response__participant__administration", "confirmed_by"
    )
    progress = indicators.Progress(chosen, len(stories))
    return render(request, "impact/indicator.html", {"progress": progress, "stories": stories, "nav": "impact"})


@staff_page
def administrations(request: HttpRequest) -> HttpResponse:
    """All administrations × fiscal years."""
    return render(request, "impact/administrations.html", {"table": ledger.ledger_table(), "nav": "administrations"})


@staff_page
def administration(request: HttpRequest, administration_id: int) -> HttpResponse:
    chosen = get_object_or_404(MemberAdministration, pk=administration_id)
    context = {"ledger": staff.administration_ledger(chosen), "nav": "administrations"}
    return render(request, "impact/administration.html", context)


@staff_page
def fiscal_year_descriptions(request: HttpRequest, fiscal_year: int) -> HttpResponse:
    """The FY's descriptions, each with its story or a way to confirm one."""
    context = {
        "fiscal_year": fiscal_year,
        "label": fiscal_year_label(fiscal_year),
        "nav": "descriptions",
        "descriptions": staff.descriptions(fiscal_year),
        "may_confirm": request.user.has_perm(CONFIRM_STORIES),
        "model_failure": suggesting.model_failure(),
        "agreement": suggesting.agreement(fiscal_year),
    }
    return render(request, "impact/descriptions.html", context)
