from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Follow-up survey")

    def ready(self) -> None:
        # Register the Celery tasks in every process (web, worker, command): surveys.mail.sending hands batches to
        # them by name, so that it need not import the module that imports it.
        from surveys import tasks  # noqa: F401

        # A workshop's survey dates are checked by Workshop.clean where the calendar lives (questionnaire.schedule).
        from surveys.questionnaire.schedule import check_dates
        from workshops.models import WORKSHOP_DATE_CHECKS

        if check_dates not in WORKSHOP_DATE_CHECKS:
            WORKSHOP_DATE_CHECKS.append(check_dates)
