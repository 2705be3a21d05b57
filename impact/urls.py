"""Routes of the impact staff pages, added to reports/urls.py (under /staff/, in the reports namespace: one staff
area, one navigation)."""

from django.urls import path

from impact import views

urlpatterns = [
    path("impact/indicators/<slug:indicator>/", views.indicator_stories, name="indicator_stories"),
    path("impact/administrations/", views.administrations, name="administrations"),
    path("impact/administrations/<int:administration_id>/", views.administration, name="administration"),
    path("impact/<int:fiscal_year>/descriptions/", views.fiscal_year_descriptions, name="descriptions"),
]
