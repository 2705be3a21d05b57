from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    name = "impact"
    verbose_name = _("Impact")

    def ready(self) -> None:
        # The task is registered in every process; a reply saved queues its year's suggestions after the commit.
        from impact import suggesting, tasks  # noqa: F401
        from surveys.models import Response

        post_save.connect(suggesting.reply_changed, sender=Response, dispatch_uid="impact.suggestions")
