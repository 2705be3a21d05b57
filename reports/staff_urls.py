"""Routes of the staff pages of replies and tables, added to reports/urls.py (under /staff/)."""

from django.urls import path

from reports import views

urlpatterns = [
    path("", views.index, name="index"),
    path("reports/<int:fiscal_year>/", views.fiscal_year, name="fiscal_year"),
    path("reports/<int:fiscal_year>/tables.xlsx", views.tables_download, name="tables_download"),
    path("workshops/<int:workshop_id>/replies/", views.workshop_replies, name="workshop_replies"),
]
