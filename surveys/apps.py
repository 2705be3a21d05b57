from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Follow-up survey")

    def ready(self) -> None:
        # Register the Celery tasks in every process (web, worker, command): surveys.mail.sending hands batches to
        # them by name, so that it need not import the module that imports it.
        from surveys import tasks  # noqa: F401
