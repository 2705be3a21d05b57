"""Workbook imports in the background: the admin stores the upload, a Celery task imports it (in the web process
when no broker is configured, like every task), and a staff page follows its progress.

The import itself is surveys.workbook's, all or nothing as ever; this module only keeps the file, the state and what
the import said. A task delivered twice (a worker died mid-way) imports again, which is safe: importing the same
workbook twice changes nothing the second time.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from surveys.models import ImportState, WorkbookImport
from surveys.workbook import WorkbookInvalid, import_workbook

log = logging.getLogger(__name__)

# Seconds between two writes of the progress line (the import reports more often than staff need to see).
PROGRESS_EVERY_SECONDS = 1.0


def upload_path(workbook_import: WorkbookImport) -> Path:
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"import-{workbook_import.pk}.xlsx"


def start(upload: UploadedFile, user) -> WorkbookImport:
    """Keep the upload and queue its import. Called from the admin's view, which runs in autocommit: the row is in
    the database before a worker can look for it."""
    from surveys.tasks import import_workbook_file  # here: the tasks module imports this one

    workbook_import = WorkbookImport.objects.create(file_name=(upload.name or "workbook.xlsx")[:255], started_by=user)
    with upload_path(workbook_import).open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    try:
        import_workbook_file.delay(workbook_import.pk)
    except Exception:  # the broker is down: say so on the import's page rather than leave it waiting forever
        log.exception("workbook import %s could not be queued", workbook_import.pk)
        upload_path(workbook_import).unlink(missing_ok=True)
        _set(
            workbook_import.pk,
            state=ImportState.FAILED,
            finished_at=timezone.now(),
            errors=["the background worker could not be reached; nothing was imported: upload it again later"],
        )
        workbook_import.refresh_from_db()
    return workbook_import


def _set(pk: int, **fields) -> None:
    WorkbookImport.objects.filter(pk=pk).update(**fields)


def run(pk: int) -> None:
    """The task's work: import the kept file, record the outcome, remove the file."""
    workbook_import = WorkbookImport.objects.filter(pk=pk).first()
    if workbook_import is None or workbook_import.finished:
        return
    path = upload_path(workbook_import)
    if not path.exists():
        gone = ["the uploaded file is gone; upload it again"]
        _set(pk, state=ImportState.FAILED, finished_at=timezone.now(), errors=gone)
        return
    _set(pk, state=ImportState.RUNNING, progress="opening the workbook")
    last = 0.0

    def progress(message: str) -> None:
        nonlocal last
        if time.monotonic() - last >= PROGRESS_EVERY_SECONDS:
            last = time.monotonic()
            _set(pk, progress=message[:200])

    try:
        with path.open("rb") as handle:
            summary = import_workbook(handle, progress=progress)
    except WorkbookInvalid as invalid:
        _set(
            pk,
            state=ImportState.FAILED,
            finished_at=timezone.now(),
            progress="",
            errors=[str(error) for error in invalid.errors],
            unlisted_errors=invalid.unlisted,
        )
    except Exception:
        # Not the workbook's fault: staff are told, the details go to the log (masked), nothing was written.
        log.exception("workbook import %s failed", pk)
        _set(
            pk,
            state=ImportState.FAILED,
            finished_at=timezone.now(),
            progress="",
            errors=["the import stopped on an unexpected error; nothing was imported (the server's log has details)"],
        )
    else:
        _set(pk, state=ImportState.DONE, finished_at=timezone.now(), progress="", summary=summary.lines())
    path.unlink(missing_ok=True)
