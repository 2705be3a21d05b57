from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Good Practice Report")

    def ready(self) -> None:
        # Kept tables (reports.counted) are dropped when a counted row is saved or deleted, in every process.
        from impact import suggesting
        from reports import counted, quotes

        counted.connect_signals()
        # The staff page of a year's descriptions (impact, which may not import reports) shows how often the
        # suggested (a)/(b) heading is the one staff chose for the edition's Q2 quotes.
        if quotes.heading_agreement not in suggesting.MEASURED_ELSEWHERE:
            suggesting.MEASURED_ELSEWHERE.append(quotes.heading_agreement)
