from django.contrib import admin
from django.urls import include, path

from rocbap.health import healthz

admin.site.site_header = "ROCB A/P Follow-Up Survey"
admin.site.site_title = "rocbap"
admin.site.index_title = "Workshops, participants, replies and reports"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("staff/", include("reports.urls")),
    path("", include("surveys.urls")),
]
