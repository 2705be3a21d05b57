from django.contrib import admin
from django.urls import include, path
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from rocbap.health import healthz
from rocbap.languages import office_names


def _site_header() -> str:
    return gettext("%(office)s Follow-Up Survey") % {"office": office_names().short_name}


# Read when a page is rendered: the office's names (rocbap.office) in the staff user's language.
admin.site.site_header = lazy(_site_header, str)()
admin.site.site_title = "rocbap"
admin.site.index_title = _("Workshops, participants, replies and reports")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("staff/", include("reports.urls")),
    # The site's root is the staff's way in (participants only ever follow their personal links); the staff
    # pages send whoever is not signed in to the login.
    path("", RedirectView.as_view(pattern_name="reports:index"), name="home"),
    path("", include("surveys.urls")),
]
