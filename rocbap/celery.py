"""The Celery app. The beat schedule lives here; the tasks in each app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rocbap.settings")

app = Celery("rocbap")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
