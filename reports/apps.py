from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Good Practice Report")

    def ready(self) -> None:
        # Kept tables (reports.counted) are dropped when a counted row is saved or deleted, in every process.
        from reports import counted

        counted.connect_signals()
