"""Staff pages of the replies and the report's tables (under /staff/). Each view calls one function of
reports.staff or reports.excel, and draws the charts (reports.charts)."""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from impact.indicators import indicator_progress
from reports import charts, excel, staff
from reports.display import display_table
from rocbap.languages import staff_language_choices
from workshops.models import Workshop, fiscal_year_label, parse_fiscal_year
from workshops.roles import may_see_personal_data, staff_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@staff_page
def index(request: HttpRequest) -> HttpResponse:
    """Choose a fiscal year."""
    chosen = request.GET.get("fiscal_year", "").strip()
    if chosen:
        try:
            return redirect("reports:fiscal_year", fiscal_year=parse_fiscal_year(chosen))
        except ValueError as error:
            messages.error(request, str(error))
    context = {"years": staff.fiscal_years(), "indicators": indicator_progress()}
    return render(request, "reports/staff/index.html", context)


def empty_fiscal_year(request: HttpRequest, fiscal_year: int) -> HttpResponse | None:
    """A staff page (404) saying the FY has nothing to show yet, or None when it has surveyed workshops."""
    if Workshop.objects.surveyed().of_fiscal_year(fiscal_year).exists():
        return None
    context = {"fiscal_year": None, "label": fiscal_year_label(fiscal_year), "years": staff.fiscal_years()}
    return render(request, "reports/staff/empty_fiscal_year.html", context, status=404)


@staff_page
def fiscal_year(request: HttpRequest, fiscal_year: int) -> HttpResponse:
    """The seven tables, the associations, the charts and (while the round runs) each workshop's progress."""
    if empty := empty_fiscal_year(request, fiscal_year):
        return empty
    overview = staff.staff_overview(fiscal_year)
    tables = {key: display_table(table) for key, table in overview.data.tables.items()}
    # The tables worded for readers in each staff language but the workbook's own (the plain download).
    reader_languages = [(code, name) for code, name in staff_language_choices() if code != settings.LANGUAGE_CODE]
    return render(
        request,
        "reports/staff/fiscal_year.html",
        {
            "fiscal_year": fiscal_year,
            "label": fiscal_year_label(fiscal_year),
            "nav": "tables",
            "overview": overview,
            "charts": charts.report_charts(overview.data, overview.trend),
            "figures": overview.data.figures,
            "numbered_tables": [tables[f"table{n}"] for n in range(1, 8)],
            "associations": tables["associations"],
            "reader_languages": reader_languages,
        },
    )


@staff_page
def tables_download(request: HttpRequest, fiscal_year: int) -> HttpResponse:
    if empty := empty_fiscal_year(request, fiscal_year):
        return empty
    # ?language=fr: the tables worded for a reader in a staff language (reports.excel.Words); without it, the
    # workbook in its own words, which other tools read.
    language = request.GET.get("language") or None
    if language is not None and language not in dict(staff_language_choices()):
        raise Http404("No such language for the tables.")
    buffer = io.BytesIO()
    excel.export(fiscal_year, buffer, include_personal_data=may_see_personal_data(request.user), language=language)
    suffix = f"-{language}" if language else ""
    name = f"good-practice-tables-FY{fiscal_year_label(fiscal_year).replace('/', '-')}{suffix}.xlsx"
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_page
def workshop_replies(request: HttpRequest, workshop_id: int) -> HttpResponse:
    workshop = get_object_or_404(Workshop, pk=workshop_id)
    context = {
        "result": staff.workshop_replies(workshop),
        "fiscal_year": workshop.fiscal_year,
        "label": fiscal_year_label(workshop.fiscal_year),
    }
    return render(request, "reports/staff/workshop.html", context)
