from django.urls import path  # noqa: F401

app_name = "reports"
urlpatterns: list = []

from reports import pdf_urls  # noqa: E402  (the report PDF's and quotes' pages)

urlpatterns += pdf_urls.urlpatterns
