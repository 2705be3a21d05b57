"""Staff pages of the report PDF (render, wait, download) and of quote curation."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from reports import pdf
from reports.quotes import QuoteTextForm, reply_texts
from reports.tasks import render_report_pdf
from reports.views import empty_fiscal_year
from surveys.models import Response
from workshops.models import fiscal_year_label
from workshops.roles import QUOTE_REPLIES, staff_page

# Seconds between two looks of the waiting page at the rendering.
REFRESH_SECONDS = 2


def _may_start_rendering(request: HttpRequest) -> bool:
    """At most REPORT_RENDERS_PER_HOUR renderings started by one user within an hour (each takes seconds of a
    worker and about 150 MiB); counted in the shared cache, like the link-guess throttle."""
    key = f"report-renders:{request.user.pk}"
    if cache.add(key, 1, timeout=3600):
        return True
    try:
        return cache.incr(key) <= settings.REPORT_RENDERS_PER_HOUR
    except ValueError:  # the window ended between add() and incr()
        return cache.add(key, 1, timeout=3600)


@staff_page
def report_pdf(request: HttpRequest, fiscal_year: int) -> HttpResponse:
    """Shows the kept PDF, or starts rendering it and refreshes itself until the file is there."""
    if empty := empty_fiscal_year(request, fiscal_year):
        return empty
    key = pdf.fingerprint(fiscal_year)
    context = {
        "fiscal_year": fiscal_year,
        "label": fiscal_year_label(fiscal_year),
        "nav": "pdf",
        "edition": pdf.edition_of(fiscal_year),
    }
    if pdf.pdf_path(fiscal_year, key).exists():
        return render(request, "reports/report_pdf.html", {**context, "ready": True})
    if not pdf.is_rendering(fiscal_year, key):
        if not _may_start_rendering(request):
            return render(request, "reports/report_pdf.html", {**context, "too_many": True}, status=429)
        pdf.mark_rendering(fiscal_year, key)
        try:
            render_report_pdf.delay(fiscal_year)
        except Exception as error:  # broker down, or (without a broker) the rendering itself failed
            pdf.rendering_marker(fiscal_year, key).unlink(missing_ok=True)
            return render(request, "reports/report_pdf.html", {**context, "error": str(error)}, status=503)
        if pdf.pdf_path(fiscal_year, key).exists():  # rendered in this process (no broker configured)
            return redirect("reports:report_pdf", fiscal_year)
    return render(request, "reports/report_pdf.html", {**context, "refresh": REFRESH_SECONDS})


@staff_page
def report_pdf_download(request: HttpRequest, fiscal_year: int) -> HttpResponseBase:
    if empty := empty_fiscal_year(request, fiscal_year):
        return empty
    path = pdf.cached_pdf(fiscal_year)
    if path is None:
        return redirect("reports:report_pdf", fiscal_year)
    return FileResponse(path.open("rb"), as_attachment=True, filename=pdf.file_name(fiscal_year))


@staff_page
@require_http_methods(["GET", "POST"])
def quote_texts(request: HttpRequest, fiscal_year: int) -> HttpResponse:
    """The FY's reply texts, each with a form that makes it a quote."""
    reply = request.GET.get("reply")
    response_id = int(reply) if reply and reply.isdigit() else None
    failed: QuoteTextForm | None = None
    if request.method == "POST":
        if not request.user.has_perm(QUOTE_REPLIES):
            raise PermissionDenied("Quoting a reply is for survey managers.")
        form = QuoteTextForm(request.POST)
        if form.is_valid():
            quote = form.save()
            messages.success(request, f"Quoted in section {quote.get_section_display()}.")
            return redirect(request.get_full_path())
        failed = form
    texts = reply_texts(fiscal_year, response_id)
    forms = []
    for number, text in enumerate(texts):
        matches = (
            failed is not None
            and failed.data.get("response") == str(text.response.pk)
            and failed.data.get("answer") == text.answer
        )
        initial = {"response": text.response.pk, "answer": text.answer, "excerpt": text.text, "section": text.section}
        forms.append((text, failed if matches else QuoteTextForm(initial=initial, number=number)))
    # The edition as it is, or an unsaved draft: a GET writes nothing (the first quote saved creates the edition).
    edition = pdf.edition_of(fiscal_year)
    return render(
        request,
        "reports/quote_texts.html",
        {
            "fiscal_year": fiscal_year,
            "label": fiscal_year_label(fiscal_year),
            "nav": "quotes",
            "forms": forms,
            "edition": edition,
            "quotes": pdf.quotes_by_section(edition),
            "one_reply": response_id is not None,
            "error": failed if failed is not None and not any(form is failed for _, form in forms) else None,
        },
    )


@staff_page
def quote_reply(request: HttpRequest, response_id: int) -> HttpResponse:
    """From a reply in the admin to its texts on the quoting page."""
    response = get_object_or_404(Response.objects.select_related("participant__workshop"), pk=response_id)
    url = reverse("reports:quote_texts", args=[response.participant.workshop.fiscal_year])
    return redirect(f"{url}?reply={response.pk}")
