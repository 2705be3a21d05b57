"""Routes of the report PDF and quote curation, added to reports/urls.py (under /staff/)."""

from django.urls import path

from reports import pdf_views

urlpatterns = [
    path("reports/<int:fiscal_year>/pdf/", pdf_views.report_pdf, name="report_pdf"),
    path("reports/<int:fiscal_year>/pdf/download/", pdf_views.report_pdf_download, name="report_pdf_download"),
    path("reports/<int:fiscal_year>/quotes/", pdf_views.quote_texts, name="quote_texts"),
    path("replies/<int:response_id>/quote/", pdf_views.quote_reply, name="quote_reply"),
]
