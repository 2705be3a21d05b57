"""Workbook imports in the background: the admin stores the upload, a Celery task imports it (in the web process
when no broker is configured, like every task), and a staff page follows its progress.

The import itself is surveys.imports.writing's, all or nothing as ever; this module only keeps the file, the state and
what the import said. A task delivered twice (a worker died mid-way) imports again, which is safe: importing the same
workbook twice changes nothing the second time.

An import that makes messages due is not kept at first (issue 12): the task imports it in a transaction that is
rolled back, records what it would send and waits for staff to confirm that plan on the status page. Confirmed, the
task imports again and keeps the import only if it still makes exactly the confirmed messages due; otherwise the new
plan is shown for confirmation. An import that makes nothing due is kept at once.

An import waits for confirmation at most IMPORT_CONFIRMATION_HOURS; then it expires: nothing is imported, its file
is deleted and staff upload the workbook again. The state is written by the periodic pass (`tidy`, run by beat's
dispatch task and `manage.py dispatch_messages`), never by a page: a GET writes nothing (issue 16). Until the pass
comes, the pages show an import past its time as expired (`as_shown`) and `confirm` refuses it. The file of an
import that is finished (imported, failed, cancelled, expired) is deleted as it finishes, and `tidy` deletes any
left behind.

An import that is handed to a worker and never ends (the web process restarted mid-import without a broker, a worker
that died, a task the broker lost) is marked failed by `tidy` STOPPED_AFTER it was handed over. The import and the
record of its end are one transaction, so such an import has imported nothing, and its page says so truly.

While it runs, the import's progress line goes through the cache (shared by every process: Redis, or the file cache
of the embedded default), not its row: everything the import writes, its row included, is one transaction, which no
other process sees before it ends.

What the import says (its progress, summary and errors) is written in the language of the staff user who started
it (recorded on the import) and stored as that text: the record keeps what they were told, as they read it, and the
page shows it without translating it again. Django's own words around it follow whoever reads the page.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import threading
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import connections, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext

from rocbap.celery import app as celery_app
from surveys import task_names
from surveys.imports.outcome import ImportSummary, WorkbookInvalid
from surveys.imports.workbook import import_workbook
from surveys.mail import planning
from surveys.mail.planning import Announced
from surveys.models import FINISHED_IMPORT_STATES, ImportState, WorkbookImport
from workshops.models import Workshop

log = logging.getLogger(__name__)

# Seconds between two writes of the progress line (the import reports more often than staff need to see).
PROGRESS_EVERY_SECONDS = 1.0
# How long a progress line is kept in the cache: past the longest step of an import, and gone soon after it.
PROGRESS_KEPT_SECONDS = 3600

# An import still waiting or running this long after it was handed to a worker has stopped without finishing
# (`tidy` marks it failed). Generous on purpose: no Celery time limit is configured (a big import must not be cut
# off), a task whose worker died is delivered again within the broker's visibility timeout (Redis: one hour), and
# the largest workbook accepted imports in minutes, not hours.
STOPPED_AFTER = dt.timedelta(hours=6)

# A running import's heartbeat: the process running it writes the time into the cache this often (a thread of its
# own, so a long step beats too), and `tidy` marks failed a running import whose last heartbeat is older than
# SILENT_AFTER: its worker was killed, or its machine stopped. In the cache, not the row: the import's transaction
# holds the database (SQLite's write lock) until it ends. A heartbeat lost with the cache (a Redis restart) is
# written again within seconds; an import that never beat at all falls under STOPPED_AFTER as before.
HEARTBEAT_EVERY_SECONDS = 20.0
SILENT_AFTER = dt.timedelta(minutes=5)

# Handed to a worker and not ended: only these may start, end, or be declared stopped.
UNDER_WAY = (ImportState.WAITING, ImportState.RUNNING)


def upload_folder() -> Path:
    return Path(settings.VAR_DIR) / "imports"


def upload_path(workbook_import: WorkbookImport) -> Path:
    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"import-{workbook_import.pk}.xlsx"


def start(upload: UploadedFile, user, language: str) -> WorkbookImport:
    """Keep the upload and queue its import, which speaks `language` (the staff user's). Called from the admin's
    view, which runs in autocommit: the row is in the database before a worker can look for it (and before the
    file is on disk, which `tidy` relies on)."""
    workbook_import = WorkbookImport.objects.create(
        file_name=(upload.name or "workbook.xlsx")[:255], started_by=user, language=language
    )
    with upload_path(workbook_import).open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    _queue(workbook_import)
    workbook_import.refresh_from_db()
    return workbook_import


def hand_over(import_id: int) -> None:
    """Give the import to a worker by the task's registered name; when no broker is configured, to a thread of this
    process (WORKBOOK_IMPORTS_IN_THREAD), started once the surrounding transaction commits, so that the upload
    answers at once with the import's page rather than after the import. Each upload or confirmation hands its
    import over once, and `run` runs an import only from waiting (a second hand-over of the same import, or a
    reload of its page, imports nothing twice). A thread that dies with its process leaves the import to `tidy`."""
    if settings.WORKBOOK_IMPORTS_IN_THREAD:
        transaction.on_commit(partial(_start_thread, import_id))
        return
    celery_app.signature(task_names.IMPORT_WORKBOOK_FILE, args=(import_id,)).delay()


def _start_thread(import_id: int) -> None:
    threading.Thread(target=_run_in_thread, args=(import_id,), name=f"workbook-import-{import_id}", daemon=True).start()


def _run_in_thread(import_id: int) -> None:
    try:
        run(import_id)
    except Exception:
        log.exception("workbook import %s failed in its thread", import_id)
    finally:
        connections.close_all()  # this thread's own connection, not the request's


def _queue(workbook_import: WorkbookImport) -> None:
    try:
        hand_over(workbook_import.pk)
    except Exception:  # the broker is down: say so on the import's page rather than leave it waiting forever
        log.exception("workbook import %s could not be queued", workbook_import.pk)
        upload_path(workbook_import).unlink(missing_ok=True)
        with translation.override(workbook_import.language):
            unreachable = gettext(
                "the background worker could not be reached; nothing was imported: upload it again later"
            )
        _finish(workbook_import.pk, state=ImportState.FAILED, failure=unreachable)


def _set(pk: int, **fields) -> None:
    WorkbookImport.objects.filter(pk=pk).update(**fields)


def _progress_key(pk: int) -> str:
    return f"rocbap:import-progress:{pk}"


def _heartbeat_key(pk: int) -> str:
    return f"rocbap:import-heartbeat:{pk}"


def beat(pk: int) -> None:
    """Say the import is alive now. Only ever read by `tidy`, for an import still running: a heartbeat that comes
    late, from a worker that was only slow, finds it failed and changes nothing (its state is final)."""
    cache.set(_heartbeat_key(pk), time.time(), int(STOPPED_AFTER.total_seconds()))


@contextlib.contextmanager
def _beating(pk: int) -> Iterator[None]:
    """Beat now, then every HEARTBEAT_EVERY_SECONDS until the block ends."""
    stop = threading.Event()

    def keep_beating() -> None:
        while not stop.wait(HEARTBEAT_EVERY_SECONDS):
            try:
                beat(pk)
            except Exception:  # a cache that is briefly away: the next beat tries again
                log.warning("workbook import %s: heartbeat not written", pk, exc_info=True)

    beat(pk)
    thread = threading.Thread(target=keep_beating, name=f"import-{pk}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        # The last heartbeat stays: should the import have ended without recording its end, `tidy` sees it
        # stopped; once its end is recorded, nobody reads it (it expires with STOPPED_AFTER).
        stop.set()
        thread.join()


def _show_progress(pk: int, line: str) -> None:
    """What a running import is doing now, for its page (the cache: see the module's notes)."""
    cache.set(_progress_key(pk), line[:200], PROGRESS_KEPT_SECONDS)


# --- the plan staff confirm -------------------------------------------------------------------------------------

PlanLine = dict[str, str | int]


def plan_lines(lines: list[Announced]) -> list[PlanLine]:
    """What an import makes due, as kept on the record: by workshop code (a new workshop has no id until it is
    imported for real)."""
    return [
        {
            "workshop": line.workshop.code,
            "title": line.workshop.title,
            "kind": line.kind,
            "count": line.count,
            "day": line.day.isoformat(),
            "due": line.due.isoformat(),
        }
        for line in lines
    ]


def announced_lines(workbook_import: WorkbookImport) -> list[Announced]:
    """The kept plan as the confirmation pages show it (admin/surveys/_announced.html)."""
    return [
        Announced(
            Workshop(code=str(line["workshop"]), title=str(line["title"])),
            str(line["kind"]),
            int(line["count"]),
            dt.date.fromisoformat(str(line["day"])),
            dt.date.fromisoformat(str(line["due"])),
        )
        for line in workbook_import.announced
    ]


def plan_digest(plan: list[PlanLine]) -> str:
    """A short fingerprint of a plan: the confirmation page posts the one it showed."""
    return hashlib.sha256(json.dumps(plan, sort_keys=True).encode()).hexdigest()[:32]


def _same_plan(lines: list[Announced], confirmed: list[PlanLine] | None) -> bool:
    return confirmed is not None and plan_digest(plan_lines(lines)) == plan_digest(confirmed)


def confirm(pk: int, shown_digest: str, now: dt.datetime) -> bool:
    """Staff confirmed the plan whose digest the page showed: the import is queued to run for real. False when the
    import no longer awaits that plan (confirmed twice, cancelled, expired, or shown again with another plan)."""
    with transaction.atomic():
        workbook_import = (
            WorkbookImport.objects.select_for_update()
            .filter(pk=pk, state=ImportState.AWAITING, awaiting_since__gte=expiry_cutoff(now))
            .first()
        )
        if workbook_import is None or plan_digest(workbook_import.announced) != shown_digest:
            return False
        workbook_import.state = ImportState.WAITING
        workbook_import.queued_at = now
        workbook_import.confirmed = workbook_import.announced
        workbook_import.plan_changed = False
        workbook_import.progress = ""
        workbook_import.save(update_fields=["state", "queued_at", "confirmed", "plan_changed", "progress"])
    _queue(workbook_import)
    return True


def cancel(pk: int) -> bool:
    """Staff said no: nothing is imported and the kept file goes. False when the import no longer awaits."""
    cancelled = WorkbookImport.objects.filter(pk=pk, state=ImportState.AWAITING).update(
        state=ImportState.CANCELLED, finished_at=timezone.now(), progress=""
    )
    if cancelled:
        upload_path(WorkbookImport(pk=pk)).unlink(missing_ok=True)
    return bool(cancelled)


# --- the lifetime of an import awaiting confirmation, and of the kept files ----------------------------------------


def _confirmation_time() -> dt.timedelta:
    """How long an import awaits confirmation before it expires: IMPORT_CONFIRMATION_HOURS."""
    return dt.timedelta(hours=settings.IMPORT_CONFIRMATION_HOURS)


def expiry_cutoff(now: dt.datetime) -> dt.datetime:
    """An import awaiting confirmation since before this has waited too long."""
    return now - _confirmation_time()


def expires_at(workbook_import: WorkbookImport) -> dt.datetime | None:
    """When an import awaiting confirmation expires (for the page to say); None when it awaits nothing."""
    if workbook_import.state != ImportState.AWAITING or workbook_import.awaiting_since is None:
        return None
    return workbook_import.awaiting_since + _confirmation_time()


def is_past_its_time(workbook_import: WorkbookImport, now: dt.datetime) -> bool:
    """Awaiting confirmation longer than IMPORT_CONFIRMATION_HOURS: expired, whether or not the periodic pass has
    written it yet (the same bound as `tidy` and `confirm`)."""
    expires = expires_at(workbook_import)
    return expires is not None and expires < now


def as_shown(workbook_import: WorkbookImport, now: dt.datetime) -> WorkbookImport:
    """The import as the pages show it at `now`: one awaiting confirmation past its time is shown expired. Changed
    in memory only, never saved: the periodic pass writes the state (and deletes the file), a page writes nothing."""
    if is_past_its_time(workbook_import, now):
        workbook_import.finished_at = expires_at(workbook_import)
        workbook_import.state = ImportState.EXPIRED
        workbook_import.progress = ""
    elif workbook_import.state == ImportState.RUNNING:
        workbook_import.progress = cache.get(_progress_key(workbook_import.pk)) or workbook_import.progress
    return workbook_import


def _past_its_time(now: dt.datetime) -> Q:
    return Q(state=ImportState.AWAITING, awaiting_since__lt=expiry_cutoff(now))


def shown_in_state(state: str, now: dt.datetime) -> Q:
    """The imports the pages show in `state` at `now` (`as_shown` as a query, for the list of past imports)."""
    if state == ImportState.EXPIRED:
        return Q(state=ImportState.EXPIRED) | _past_its_time(now)
    if state == ImportState.AWAITING:
        return Q(state=ImportState.AWAITING) & ~_past_its_time(now)
    return Q(state=state)


def tidy(now: dt.datetime) -> int:
    """Expire the imports left awaiting confirmation longer than IMPORT_CONFIRMATION_HOURS (nothing imported), mark
    failed those that stopped before they finished, then delete every kept file that no import needs any more:
    those of finished imports, and any whose import is gone. Returns how many imports expired. Safe beside a
    confirmation: each row changes only while it still awaits."""
    expired = WorkbookImport.objects.filter(_past_its_time(now)).update(
        state=ImportState.EXPIRED, finished_at=now, progress=""
    )
    if expired:
        log.info("%s workbook import(s) expired awaiting confirmation", expired)
    _fail_stopped(now)
    _fail_silent(now)
    _delete_unneeded_files()
    return expired


def _fail_stopped(now: dt.datetime) -> None:
    """Imports still waiting or running STOPPED_AFTER they were handed to a worker stopped without finishing (the
    web process restarted mid-import without a broker, a worker died and the task was lost, a broker that lost it):
    nothing of them was imported, since an import and its outcome are one transaction (`_run`). Each is told so in
    the language of whoever started it; its file goes with the other finished imports'.

    A row an import's transaction holds is alive, not stopped: PostgreSQL skips it (skip_locked). Elsewhere the
    import's own final write is conditional, so one declared stopped keeps nothing (`_finish`)."""
    with transaction.atomic():
        stopped = list(
            WorkbookImport.objects.select_for_update(skip_locked=True)
            .filter(state__in=UNDER_WAY, queued_at__lt=now - STOPPED_AFTER)
            .values_list("pk", "language")
        )
        for language in {language for _pk, language in stopped}:
            with translation.override(language):
                failure = gettext(
                    "the import did not finish within %(hours)s hours: no worker took it up, or the process running "
                    "it stopped (a restart, a worker that died). Nothing was imported: upload the workbook again"
                ) % {"hours": round(STOPPED_AFTER / dt.timedelta(hours=1))}
            WorkbookImport.objects.filter(
                pk__in=[pk for pk, code in stopped if code == language], state__in=UNDER_WAY
            ).update(state=ImportState.FAILED, finished_at=now, progress="", failure=failure)
    if stopped:
        log.warning("%s workbook import(s) stopped before they finished: marked failed", len(stopped))


def _fail_silent(now: dt.datetime) -> None:
    """Running imports whose heartbeat stopped SILENT_AFTER ago: the process running them is gone (a killed worker,
    a stopped machine), and the import's transaction with it, so nothing was imported. Marked failed at once
    rather than after STOPPED_AFTER, so staff see it within minutes. Only a running row changes: an import that
    ended meanwhile keeps its end, and one marked failed stays failed whatever heartbeat comes later."""
    running = list(WorkbookImport.objects.filter(state=ImportState.RUNNING).values_list("pk", "language"))
    if not running:
        return
    beats = cache.get_many([_heartbeat_key(pk) for pk, _language in running])
    cutoff = (now - SILENT_AFTER).timestamp()
    silent = [
        (pk, language)
        for pk, language in running
        if (last := beats.get(_heartbeat_key(pk))) is not None and last < cutoff
    ]
    for language in {language for _pk, language in silent}:
        with translation.override(language):
            failure = gettext(
                "the import stopped before it finished: the process running it gave no sign of life for "
                "%(minutes)s minutes (a worker that died, a restart). Nothing was imported: upload it again"
            ) % {"minutes": round(SILENT_AFTER / dt.timedelta(minutes=1))}
        with transaction.atomic():
            failed = WorkbookImport.objects.filter(
                pk__in=[pk for pk, code in silent if code == language], state=ImportState.RUNNING
            ).update(state=ImportState.FAILED, finished_at=now, progress="", failure=failure)
        if failed:
            log.warning("%s workbook import(s) gave no heartbeat for %s: marked failed", failed, SILENT_AFTER)


def _delete_unneeded_files() -> None:
    """Only an import waiting for a worker, running or awaiting confirmation needs its file. (A file is written
    after its row exists, so a file without a row is a leftover.)"""
    folder = upload_folder()
    if not folder.is_dir():
        return
    files = {
        int(path.stem.removeprefix("import-")): path
        for path in folder.glob("import-*.xlsx")
        if path.stem.removeprefix("import-").isdigit()
    }
    if not files:
        return
    needed = set(
        WorkbookImport.objects.filter(pk__in=files)
        .exclude(state__in=FINISHED_IMPORT_STATES)
        .values_list("pk", flat=True)
    )
    for pk, path in files.items():
        if pk not in needed:
            path.unlink(missing_ok=True)


# --- the task's work ----------------------------------------------------------------------------------------------


def run(pk: int) -> None:
    """The task's work: import the kept file, record the outcome, remove the file. An import that makes messages
    due is kept only once staff confirmed exactly those; until then it awaits, with its file. Everything it says
    is in the language of the staff user who started it."""
    workbook_import = WorkbookImport.objects.filter(pk=pk).first()
    if workbook_import is None or workbook_import.finished or workbook_import.state == ImportState.AWAITING:
        return
    with translation.override(workbook_import.language):
        _run(workbook_import)


def _run(workbook_import: WorkbookImport) -> None:
    pk = workbook_import.pk
    path = upload_path(workbook_import)
    if not path.exists():
        _finish(pk, state=ImportState.FAILED, failure=gettext("the uploaded file is gone; upload it again"))
        return
    cache.delete(_progress_key(pk))  # a line left by an earlier run (a task delivered again) is not this run's
    with _beating(pk):
        if not _under_way(pk).update(state=ImportState.RUNNING, progress=gettext("opening the workbook")):
            return  # ended meanwhile (`tidy` declared it stopped)
        _import(workbook_import, path)


def _import(workbook_import: WorkbookImport, path: Path) -> None:
    pk = workbook_import.pk
    last = 0.0

    def progress(message: str) -> None:
        nonlocal last
        if time.monotonic() - last >= PROGRESS_EVERY_SECONDS:
            last = time.monotonic()
            _show_progress(pk, message)

    confirmed = workbook_import.confirmed
    summaries: list[ImportSummary] = []
    try:
        # One transaction for the import and its outcome: an import whose row still says running has written
        # nothing, so `tidy` may say so of one that stopped (and one that `tidy` declared stopped keeps nothing).
        with transaction.atomic(), path.open("rb") as handle:

            def change() -> None:
                summaries.append(import_workbook(handle, progress=progress, user=workbook_import.started_by))
                progress(gettext("working out which messages the import makes due"))

            kept, lines = planning.change_as_confirmed(
                change,
                Workshop.objects.all(),
                timezone.now(),
                # Kept when it sends nothing new, or exactly what staff confirmed; anything else is shown first.
                confirmed=lambda lines: not lines or _same_plan(lines, confirmed),
            )
            if kept:
                recorded = _finish(pk, state=ImportState.DONE, summary=summaries[-1].lines())
            else:
                # Nothing written: the plan waits for staff, with the file (a confirmed plan that changed is shown
                # again).
                recorded = _finish(
                    pk,
                    state=ImportState.AWAITING,
                    finished_at=None,
                    awaiting_since=timezone.now(),
                    announced=plan_lines(lines),
                    confirmed=None,
                    plan_changed=confirmed is not None,
                )
            if not recorded:
                transaction.set_rollback(True)
                return
    except WorkbookInvalid as invalid:
        _finish(
            pk,
            state=ImportState.FAILED,
            errors=[str(error) for error in invalid.errors],
            unlisted_errors=invalid.unlisted,
        )
    except Exception:
        # Not the workbook's fault: staff are told, the details go to the log (masked), nothing was written.
        log.exception("workbook import %s failed", pk)
        _finish(
            pk,
            state=ImportState.FAILED,
            failure=gettext(
                "the import stopped on an unexpected error; nothing was imported (the server's log has details)"
            ),
        )
    else:
        if not kept:
            return  # the file waits with the plan
    path.unlink(missing_ok=True)


def _finish(pk: int, **fields) -> bool:
    """Record how a running import ended, unless it ended meanwhile (`tidy` declared it stopped): False then.
    Progress is cleared, and a finished import gets its end."""
    fields.setdefault("finished_at", timezone.now())
    fields.setdefault("progress", "")
    cache.delete(_progress_key(pk))
    return bool(_under_way(pk).update(**fields))


def _under_way(pk: int) -> QuerySet[WorkbookImport]:
    return WorkbookImport.objects.filter(pk=pk, state__in=UNDER_WAY)
