"""The Celery app. The beat schedule lives here; the tasks in each app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rocbap.settings")

app = Celery("rocbap")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _beat_schedule(sender: Celery, **kwargs) -> None:
    """Beat runs the dispatch pass every SURVEY_DISPATCH_EVERY_SECONDS (and the bounce pass, when configured).

    A pass only plans rows and hands claimed batches to workers, so a second beat (or cron running
    `manage.py dispatch_messages`) at the same time sends nothing twice. A pass that waited longer than the
    interval expires: the next one covers it.
    """
    from django.conf import settings

    every = float(settings.SURVEY_DISPATCH_EVERY_SECONDS)
    sender.add_periodic_task(
        every, sender.signature("surveys.tasks.dispatch_messages"), name="dispatch-messages", expires=every
    )
    if settings.BOUNCE_MAILBOX:
        # Reading the bounce mailbox: a pass removes only what it recorded, so overlapping passes are harmless.
        every = float(settings.BOUNCE_EVERY_SECONDS)
        sender.add_periodic_task(
            every, sender.signature("surveys.tasks.process_bounces"), name="process-bounces", expires=every
        )
