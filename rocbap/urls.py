from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from rocbap.health import healthz

admin.site.site_header = "ROCB A/P Follow-Up Survey"
admin.site.site_title = "rocbap"
admin.site.index_title = "Workshops, participants, replies and reports"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("staff/", include("reports.urls")),
    # The site's root is the staff's way in (participants only ever follow their personal links); the staff
    # pages send whoever is not signed in to the login.
    path("", RedirectView.as_view(pattern_name="reports:index"), name="home"),
    path("", include("surveys.urls")),
]
