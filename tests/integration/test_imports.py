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
