from django.urls import path  # noqa: F401

app_name = "reports"
urlpatterns: list = []

from reports import staff_urls  # noqa: E402  (the staff pages of replies and tables)

urlpatterns += staff_urls.urlpatterns
