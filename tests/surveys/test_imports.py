"""Workbook imports in the background: the admin keeps the upload and queues it; the task imports it all or nothing;
the status page follows it and then shows the summary or the errors."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from surveys import imports
from surveys.models import ImportState, WorkbookImport
from tests.conftest import PARTICIPANT_HEADER, WORKSHOP_HEADER, make_workbook
from workshops.models import Participant, Workshop

pytestmark = pytest.mark.django_db

WORKSHOP = ["BG-1", "A workshop", "regional", "2019-12-02", "2019-12-05", "Bangkok", "in-person", "yes"]
UPLOAD = reverse("admin:workshops_workshop_import")


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def _upload(rows: list[list] | None = None) -> SimpleUploadedFile:
    sheets = {"workshops": [WORKSHOP_HEADER, WORKSHOP]}
    sheets["participants"] = [PARTICIPANT_HEADER, *(rows or [["BG-1", "Jane", "jane@customs.gov.fj", "FJ"]])]
    return SimpleUploadedFile("people.xlsx", make_workbook(sheets).getvalue())


def test_upload_is_queued_then_imported_by_the_task(staff_client, monkeypatch):
    queued = []
    monkeypatch.setattr("surveys.tasks.import_workbook_file.delay", queued.append)
    response = staff_client.post(UPLOAD, {"workbook": _upload()})
    job = WorkbookImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:workshops_workshop_import_status", args=[job.pk])
    assert queued == [job.pk]
    # Nothing imported by the request itself; the page says it waits, and looks again.
    assert Workshop.objects.count() == 0
    page = staff_client.get(response["Location"]).content.decode()
    assert "Waiting for a worker" in page
    assert 'http-equiv="refresh"' in page
    assert imports.upload_path(job).exists()

    imports.run(job.pk)  # what the worker does
    job.refresh_from_db()
    assert job.state == ImportState.DONE
    assert job.summary[1] == "Participants: 1 new, 0 updated, 0 unchanged"
    assert Participant.objects.count() == 1
    assert not imports.upload_path(job).exists()
    page = staff_client.get(response["Location"]).content.decode()
    assert "Workbook imported." in page
    assert 'http-equiv="refresh"' not in page
    imports.run(job.pk)  # delivered twice: nothing happens
    assert Participant.objects.count() == 1


def test_a_broken_workbook_fails_and_writes_nothing(staff_client):
    # Without a broker the task runs at once, in the web process.
    rows = [["BG-1", "Jane", "jane@customs.gov.fj", "FJ"], ["BG-1", "", "not an address", "ZZ"]]
    page = staff_client.post(UPLOAD, {"workbook": _upload(rows)}, follow=True).content.decode()
    assert "Nothing was imported" in page
    assert "participants!3 email: not a valid e-mail address" in page
    assert WorkbookImport.objects.get().state == ImportState.FAILED
    assert Workshop.objects.count() == 0
    assert Participant.objects.count() == 0


def test_an_unexpected_error_is_said_and_nothing_is_kept(staff_client, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(imports, "import_workbook", explode)
    page = staff_client.post(UPLOAD, {"workbook": _upload()}, follow=True).content.decode()
    assert "unexpected error" in page
    job = WorkbookImport.objects.get()
    assert job.state == ImportState.FAILED
    assert not imports.upload_path(job).exists()


def test_the_import_reports_its_progress(monkeypatch):
    job = WorkbookImport.objects.create(file_name="x.xlsx")
    imports.upload_path(job).write_bytes(_upload().read())
    seen = []
    original = imports._set

    def record(pk, **fields):
        if "progress" in fields:
            seen.append(fields["progress"])
        original(pk, **fields)

    monkeypatch.setattr(imports, "_set", record)
    monkeypatch.setattr(imports, "PROGRESS_EVERY_SECONDS", 0)
    imports.run(job.pk)
    assert "opening the workbook" in seen
    assert "writing, all in one transaction" in seen


def test_report_viewers_cannot_follow_imports(client, django_user_model):
    from django.contrib.auth.models import Group

    from workshops.roles import REPORT_VIEWERS

    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    viewer.groups.add(Group.objects.get(name=REPORT_VIEWERS))
    client.force_login(viewer)
    job = WorkbookImport.objects.create(file_name="x.xlsx")
    response = client.get(reverse("admin:workshops_workshop_import_status", args=[job.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:workshops_workshop_changelist")


def test_a_broker_that_is_down_is_said_on_the_page(staff_client, monkeypatch):
    def down(*args):
        raise ConnectionError("redis is down")

    monkeypatch.setattr("surveys.tasks.import_workbook_file.delay", down)
    page = staff_client.post(UPLOAD, {"workbook": _upload()}, follow=True).content.decode()
    assert "could not be reached" in page
    job = WorkbookImport.objects.get()
    assert job.state == ImportState.FAILED
    assert not imports.upload_path(job).exists()
