from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    name = "impact"
    verbose_name = _("Impact")

    def ready(self) -> None:
        # The task is registered in every process; a reply saved queues its year's suggestions after the commit.
        from impact import imports, suggesting, tasks  # noqa: F401
        from surveys.imports import extra_sheets
        from surveys.models import Response

        post_save.connect(suggesting.reply_changed, sender=Response, dispatch_uid="impact.suggestions")
        # The workbook sheet `success_stories`, read, checked and written with the survey import's own sheets
        # (surveys may not import this app).
        extra_sheets.register(imports.SUCCESS_STORIES)
