"""A workbook import in the background with real parts: the upload queued through redis-server, imported by a Celery
worker process into the PostgreSQL database the test shares, the state and summary there for the staff page."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from surveys.imports import jobs as imports
from surveys.models import ImportState, WorkbookImport
from tests.helpers import PARTICIPANT_HEADER, WORKSHOP_HEADER, make_workbook
from tests.integration.servers import ROOT, wait_for
from workshops.models import MemberAdministration, Participant

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_worker_imports_the_queued_upload(start_celery, celery_env, settings):
    MemberAdministration.objects.get_or_create(code="FJ", defaults={"name": "Fiji"})  # flushed by earlier tests
    settings.VAR_DIR = Path(celery_env["VAR_DIR"])  # where the web process keeps the upload, as the worker does
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    start_celery("worker")
    rows = [["IT-1", f"Participant {n}", f"p{n}@customs.gov.fj", "FJ"] for n in range(500)]
    workshop = ["IT-1", "Integration workshop", "regional", "2019-12-02", "2019-12-05", "Bangkok", "in-person", "yes"]
    book = make_workbook({"workshops": [WORKSHOP_HEADER, workshop], "participants": [PARTICIPANT_HEADER, *rows]})
    job = WorkbookImport.objects.create(file_name="people.xlsx")
    imports.upload_path(job).write_bytes(book.getvalue())
    # Queued as the admin queues it, from a process configured with the broker.
    queue = f"from surveys.tasks import import_workbook_file; import_workbook_file.delay({job.pk})"
    env = {**os.environ, **celery_env, "DJANGO_SETTINGS_MODULE": "rocbap.settings"}
    subprocess.run([sys.executable, "-c", "import django; django.setup(); " + queue], cwd=ROOT, env=env, check=True)

    def finished() -> bool:
        job.refresh_from_db()
        return job.finished

    wait_for(finished, 60, "the worker to import the workbook")
    assert job.state == ImportState.DONE, job.errors
    assert job.summary[1] == "Participants: 500 new, 0 updated, 0 unchanged"
    assert Participant.objects.count() == 500
    assert not imports.upload_path(job).exists()


def test_an_import_whose_worker_is_killed_is_failed_within_minutes(start_celery, celery_env, settings):
    """The worker is killed (SIGKILL, its whole process group) mid-import: the heartbeat stops, and the periodic
    pass five minutes on (run as beat runs it, in a process of its own with the worker's cache) says so; nothing
    was imported."""
    MemberAdministration.objects.get_or_create(code="FJ", defaults={"name": "Fiji"})
    settings.VAR_DIR = Path(celery_env["VAR_DIR"])
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    worker = start_celery("worker")
    rows = [["IT-2", f"Participant {n}", f"p{n}@customs.gov.fj", "FJ"] for n in range(20000)]
    workshop = ["IT-2", "Integration workshop", "regional", "2019-12-02", "2019-12-05", "Bangkok", "in-person", "yes"]
    book = make_workbook({"workshops": [WORKSHOP_HEADER, workshop], "participants": [PARTICIPANT_HEADER, *rows]})
    job = WorkbookImport.objects.create(file_name="people.xlsx")
    imports.upload_path(job).write_bytes(book.getvalue())
    env = {**os.environ, **celery_env, "DJANGO_SETTINGS_MODULE": "rocbap.settings"}

    def in_beats_process(code: str) -> str:
        return subprocess.run(
            [sys.executable, "-c", "import django; django.setup(); " + code],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip

    in_beats_process(f"from surveys.tasks import import_workbook_file; import_workbook_file.delay({job.pk})")

    def running() -> bool:
        job.refresh_from_db()
        return job.state == ImportState.RUNNING

    wait_for(running, 60, "the worker to start the import")
    worker.kill()
    job.refresh_from_db()
    assert job.state == ImportState.RUNNING and not job.finished

    tidy = "import datetime as dt; from django.utils import timezone; from surveys.imports import jobs; "
    in_beats_process(tidy + "jobs.tidy(timezone.now() + dt.timedelta(minutes=4))")
    job.refresh_from_db()
    assert job.state == ImportState.RUNNING
    in_beats_process(tidy + "jobs.tidy(timezone.now() + dt.timedelta(minutes=5, seconds=30))")
    job.refresh_from_db()
    assert job.state == ImportState.FAILED
    assert job.failure.startswith("the import stopped before it finished") and job.failure.endswith("upload it again")
    assert not Participant.objects.exists()
    assert not imports.upload_path(job).exists()
