from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("Workshops")

    def ready(self) -> None:
        from workshops.roles import on_post_migrate

        # After every migrate, the staff roles get their permissions, including those of models added later.
        post_migrate.connect(on_post_migrate, dispatch_uid="workshops.roles.apply_role_permissions")
