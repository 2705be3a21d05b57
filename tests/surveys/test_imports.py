"""Workbook imports in the background: the admin keeps the upload and queues it; the task imports it all or nothing;
the status page follows it and then shows the summary or the errors."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from surveys.imports import jobs as imports
from surveys.models import ImportState, WorkbookImport
from tests.helpers import PARTICIPANT_HEADER, WORKSHOP_HEADER, make_workbook
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
    monkeypatch.setattr("surveys.imports.jobs.hand_over", queued.append)
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
    original = imports._show_progress

    def record(pk, line):
        seen.append(line)
        original(pk, line)

    monkeypatch.setattr(imports, "_show_progress", record)
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

    monkeypatch.setattr("surveys.imports.jobs.hand_over", down)
    page = staff_client.post(UPLOAD, {"workbook": _upload()}, follow=True).content.decode()
    assert "could not be reached" in page
    job = WorkbookImport.objects.get()
    assert job.state == ImportState.FAILED
    assert not imports.upload_path(job).exists()


# --- An import that makes messages due waits for staff to confirm them (issue 12) --------------------------------


def _due_now_upload(name: str = "due.xlsx") -> SimpleUploadedFile:
    """A new workshop whose invitation day (end + six months) was yesterday, within the catch-up window: importing
    it makes its two participants' invitations due."""
    import datetime as dt

    from django.utils import timezone

    from surveys.questionnaire.schedule import add_months

    end = add_months(timezone.localdate(), -6) - dt.timedelta(days=1)
    sheets = {
        "workshops": [WORKSHOP_HEADER, ["IMP-1", "WCO Workshop on Imports", "regional", end, end, "", "", "yes"]],
        "participants": [
            PARTICIPANT_HEADER,
            ["IMP-1", "Ana", "ana@example.org", "FJ"],
            ["IMP-1", "Ben", "ben@example.org", "PG"],
        ],
    }
    return SimpleUploadedFile(name, make_workbook(sheets).getvalue())


def _status(job: WorkbookImport) -> str:
    return reverse("admin:workshops_workshop_import_status", args=[job.pk])


def _dispatch_pass() -> None:
    from django.utils import timezone

    from surveys.mail.sending import run_pass

    run_pass(timezone.now(), in_process=True)


def test_an_import_that_makes_messages_due_is_confirmed_first_and_sends_exactly_what_it_announced(staff_client):
    from django.core import mail
    from django.utils import timezone

    from surveys.models import Message

    page = staff_client.post(UPLOAD, {"workbook": _due_now_upload()}, follow=True)
    job = WorkbookImport.objects.get()
    assert job.state == ImportState.AWAITING
    html = page.content.decode()
    assert "Yes, import and send them" in html and 'http-equiv="refresh"' not in html
    # The plan: who gets which message, on which day, due when.
    today = timezone.localdate()
    [line] = page.context["lines"]
    assert (line.workshop.code, line.kind, line.count, line.day) == ("IMP-1", "invitation", 2, today)
    assert line.due > today and f"{line.due.day} {line.due:%B %Y}" in html
    # Nothing imported, nothing sent, even by a dispatch pass; the file waits for the answer.
    assert not Workshop.objects.filter(code="IMP-1").exists() and not Participant.objects.exists()
    _dispatch_pass()
    assert mail.outbox == [] and not Message.objects.exists()
    assert imports.upload_path(job).exists()

    done = staff_client.post(_status(job), {"_confirm": "1", "plan": page.context["plan_digest"]}, follow=True)
    job.refresh_from_db()
    assert job.state == ImportState.DONE, job.errors
    assert "Workbook imported." in done.content.decode()
    assert Workshop.objects.get(code="IMP-1").participants.count() == 2
    assert not imports.upload_path(job).exists()
    _dispatch_pass()
    # Exactly the announced messages: the count, the kind, the people.
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "ben@example.org"]
    assert list(Message.objects.values_list("kind", flat=True)) == ["invitation"] * line.count

    # Confirming twice imports and sends nothing more.
    again = staff_client.post(_status(job), {"_confirm": "1", "plan": page.context["plan_digest"]}, follow=True)
    assert "no longer waits" in again.content.decode()
    _dispatch_pass()
    assert len(mail.outbox) == 2 and Participant.objects.count() == 2


def test_a_cancelled_import_imports_and_sends_nothing(staff_client):
    from django.core import mail

    page = staff_client.post(UPLOAD, {"workbook": _due_now_upload()}, follow=True)
    job = WorkbookImport.objects.get()
    cancelled = staff_client.post(_status(job), {"_cancel": "1"}, follow=True)
    job.refresh_from_db()
    assert job.state == ImportState.CANCELLED and job.finished
    assert "nothing was imported" in cancelled.content.decode()
    assert not imports.upload_path(job).exists()
    # A confirmation sent after the cancel (another tab) is refused.
    staff_client.post(_status(job), {"_confirm": "1", "plan": page.context["plan_digest"]})
    job.refresh_from_db()
    assert job.state == ImportState.CANCELLED
    _dispatch_pass()
    assert not Workshop.objects.filter(code="IMP-1").exists() and mail.outbox == []


def test_a_plan_that_changed_before_the_import_is_shown_again_not_sent(
    staff_client, workshop_factory, participant_factory
):
    import datetime as dt

    from django.core import mail
    from django.utils import timezone

    from surveys.questionnaire.schedule import add_months

    page = staff_client.post(UPLOAD, {"workbook": _due_now_upload()}, follow=True)
    job = WorkbookImport.objects.get()
    # Meanwhile somebody registered the workshop by hand, with a third participant: the import would now invite 3.
    end = add_months(timezone.localdate(), -6) - dt.timedelta(days=1)
    workshop = workshop_factory(code="IMP-1", title="WCO Workshop on Imports", start_date=end, end_date=end)
    participant_factory(workshop=workshop, email="cara@example.org")

    shown = page.context["plan_digest"]
    again = staff_client.post(_status(job), {"_confirm": "1", "plan": shown}, follow=True)
    job.refresh_from_db()
    assert job.state == ImportState.AWAITING and job.plan_changed
    assert "changed since you confirmed" in again.content.decode()
    [line] = again.context["lines"]
    assert line.count == 3
    assert workshop.participants.count() == 1  # nothing imported
    # The old page's confirmation no longer matches what the import would send.
    staff_client.post(_status(job), {"_confirm": "1", "plan": shown})
    job.refresh_from_db()
    assert job.state == ImportState.AWAITING

    staff_client.post(_status(job), {"_confirm": "1", "plan": again.context["plan_digest"]})
    job.refresh_from_db()
    assert job.state == ImportState.DONE
    _dispatch_pass()
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "ben@example.org", "cara@example.org"]


def test_a_workbook_that_makes_nothing_due_is_imported_without_asking(staff_client):
    from django.core import mail

    page = staff_client.post(UPLOAD, {"workbook": _upload()}, follow=True)  # a 2019 workshop: long past
    job = WorkbookImport.objects.get()
    assert job.state == ImportState.DONE and job.announced == []
    assert "Workbook imported." in page.content.decode() and "Yes, import and send them" not in page.content.decode()
    assert Participant.objects.count() == 1
    _dispatch_pass()
    assert mail.outbox == []


def test_only_staff_who_may_send_messages_confirm(client, django_user_model):
    from django.contrib.auth.models import Permission

    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_workshop", "view_workshop", "change_workshop"])
    )
    client.force_login(clerk)
    page = client.post(UPLOAD, {"workbook": _due_now_upload()}, follow=True)
    job = WorkbookImport.objects.get()
    assert job.state == ImportState.AWAITING
    assert "Only staff who may send messages" in page.content.decode()
    refused = client.post(_status(job), {"_confirm": "1", "plan": page.context["plan_digest"]})
    assert refused.status_code == 403
    job.refresh_from_db()
    assert job.state == ImportState.AWAITING and not Workshop.objects.filter(code="IMP-1").exists()


def test_a_task_delivered_again_while_the_plan_awaits_does_nothing(staff_client):
    staff_client.post(UPLOAD, {"workbook": _due_now_upload()})
    job = WorkbookImport.objects.get()
    before = job.announced
    imports.run(job.pk)
    job.refresh_from_db()
    assert job.state == ImportState.AWAITING and job.announced == before
    assert not Workshop.objects.filter(code="IMP-1").exists()


def test_confirming_needs_the_pages_csrf_token(staff_client):
    from django.test import Client

    page = staff_client.post(UPLOAD, {"workbook": _due_now_upload()}, follow=True)
    job = WorkbookImport.objects.get()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(staff_client.user)
    forged = strict.post(_status(job), {"_confirm": "1", "plan": page.context["plan_digest"]})
    assert forged.status_code == 403
    job.refresh_from_db()
    assert job.state == ImportState.AWAITING and not Workshop.objects.filter(code="IMP-1").exists()


# --- In the language of the staff user who started it (issue 13) ------------------------------------------------

FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9,en;q=0.5"}
BROKEN = [["BG-1", "Jane", "jane@customs.gov.fj", "FJ"], ["BG-1", "", "not an address", "ZZ"]]


def test_the_background_import_speaks_the_language_of_whoever_started_it(staff_client, monkeypatch):
    from django.utils import translation

    queued = []
    monkeypatch.setattr("surveys.imports.jobs.hand_over", queued.append)
    staff_client.post(UPLOAD, {"workbook": _upload(BROKEN)}, **FRENCH)
    staff_client.post(UPLOAD, {"workbook": _upload()}, **FRENCH)
    staff_client.post(UPLOAD, {"workbook": _upload(BROKEN)})
    broken_fr, good_fr, broken_en = WorkbookImport.objects.order_by("pk")
    assert (broken_fr.language, good_fr.language, broken_en.language) == ("fr", "fr", "en")

    # The worker runs later, away from any request, in a thread whose own language is English.
    seen = []
    original = imports._show_progress

    def record(pk, line):
        seen.append(line)
        original(pk, line)

    monkeypatch.setattr(imports, "_show_progress", record)
    monkeypatch.setattr(imports, "PROGRESS_EVERY_SECONDS", 0)
    with translation.override("en"):
        for pk in queued:
            imports.run(pk)
    for job in (broken_fr, good_fr, broken_en):
        job.refresh_from_db()
    assert "participants!3 email : adresse électronique non valide : 'not an address'" in broken_fr.errors
    assert "participants!3 email: not a valid e-mail address: 'not an address'" in broken_en.errors
    assert good_fr.summary[1] == "Participants : 1 nouveau(x), 0 mis à jour, 0 inchangé(s)"
    assert "ouverture du classeur" in seen and "enregistrement, le tout en une seule transaction" in seen
    assert "opening the workbook" in seen  # the English import's own progress

    # Stored as written: the French import's errors read the same on an English page, whose own words are English.
    page = staff_client.get(_status(broken_fr)).content.decode()
    assert "Nothing was imported: the workbook has 3 errors." in page
    assert "adresse électronique non valide" in page
    page = staff_client.get(_status(broken_fr), **FRENCH).content.decode()
    assert "Rien n'a été importé : le classeur comporte 3 erreurs." in page


def test_an_unreachable_worker_is_said_in_the_starters_language(staff_client, monkeypatch):
    def down(*args):
        raise ConnectionError("redis is down")

    monkeypatch.setattr("surveys.imports.jobs.hand_over", down)
    staff_client.post(UPLOAD, {"workbook": _upload()}, **FRENCH)
    job = WorkbookImport.objects.get()
    assert job.errors == [] and job.failure == (
        "le processus d'arrière-plan est injoignable ; rien n'a été importé : chargez de nouveau le classeur plus tard"
    )
    page = staff_client.get(_status(job), **FRENCH).content.decode()
    assert "Le processus d&#x27;arrière-plan est injoignable" in page
    assert "le classeur comporte" not in page  # not the workbook's errors: nothing to fix in it


# --- An import awaiting confirmation has a lifetime; kept files go once no import needs them ---------------------


def _awaiting(staff_client, hours_ago: float) -> WorkbookImport:
    """An import awaiting confirmation since `hours_ago`."""
    import datetime as dt

    from django.utils import timezone

    staff_client.post(UPLOAD, {"workbook": _due_now_upload()})
    job = WorkbookImport.objects.latest("pk")
    assert job.state == ImportState.AWAITING and imports.upload_path(job).exists()
    WorkbookImport.objects.filter(pk=job.pk).update(awaiting_since=timezone.now() - dt.timedelta(hours=hours_ago))
    return job


def test_an_import_left_awaiting_too_long_is_shown_expired_and_the_pass_writes_it(staff_client, settings):
    from django.core import mail

    from surveys.tasks import dispatch_messages

    settings.IMPORT_CONFIRMATION_HOURS = 48
    fresh = _awaiting(staff_client, hours_ago=47)
    page = staff_client.get(_status(fresh))
    fresh.refresh_from_db()
    assert fresh.state == ImportState.AWAITING and imports.upload_path(fresh).exists()
    assert "waits for your answer until" in page.content.decode()

    stale = _awaiting(staff_client, hours_ago=49)
    digest = imports.plan_digest(stale.announced)
    page = staff_client.get(_status(stale), **FRENCH).content.decode()
    assert "Expirée : cette importation a attendu une confirmation plus de 48 heures." in page
    assert "Oui, importer et les envoyer" not in page and 'http-equiv="refresh"' not in page
    # Shown, not written: the page leaves the row and the file to the periodic pass (a GET writes nothing).
    stale.refresh_from_db()
    assert stale.state == ImportState.AWAITING and imports.upload_path(stale).exists()
    # A confirmation from a page opened before (another tab) imports and sends nothing.
    answer = staff_client.post(_status(stale), {"_confirm": "1", "plan": digest}, follow=True)
    assert "no longer waits" in answer.content.decode()
    _dispatch_pass()
    assert not Workshop.objects.filter(code="IMP-1").exists() and mail.outbox == []

    dispatch_messages()  # the periodic pass writes what the page showed
    stale.refresh_from_db()
    assert stale.state == ImportState.EXPIRED and stale.finished_at is not None
    assert not imports.upload_path(stale).exists()
    fresh.refresh_from_db()
    assert fresh.state == ImportState.AWAITING  # the younger one still waits


def test_the_upload_page_and_the_list_of_imports_show_them_expired_too(staff_client):
    listing = reverse("admin:surveys_workbookimport_changelist")
    stale = _awaiting(staff_client, hours_ago=49)
    fresh = _awaiting(staff_client, hours_ago=1)
    upload_page = staff_client.get(UPLOAD, **FRENCH).content.decode()
    assert "expirée : rien n&#x27;a été importé" in upload_page  # the recent imports, the state in lower case
    page = staff_client.get(listing)
    assert [imports.as_shown(job, timezone.now()).state for job in page.context["cl"].result_list] == [
        ImportState.AWAITING,
        ImportState.EXPIRED,
    ]
    assert "Expired: nothing imported, upload it again" in page.content.decode()
    # The list's state filter puts each where the page shows it.
    expired = staff_client.get(listing, {"state": ImportState.EXPIRED})
    assert list(expired.context["cl"].result_list) == [stale]
    awaiting = staff_client.get(listing, {"state": ImportState.AWAITING})
    assert list(awaiting.context["cl"].result_list) == [fresh]
    for job in (stale, fresh):
        job.refresh_from_db()
        assert job.state == ImportState.AWAITING and imports.upload_path(job).exists()


def test_the_periodic_pass_expires_them(staff_client, settings):
    from django.core.management import call_command

    from surveys.tasks import dispatch_messages

    settings.IMPORT_CONFIRMATION_HOURS = 2
    by_beat = _awaiting(staff_client, hours_ago=3)
    dispatch_messages()  # beat's task, as a worker runs it
    by_beat.refresh_from_db()
    assert by_beat.state == ImportState.EXPIRED and not imports.upload_path(by_beat).exists()

    by_command = _awaiting(staff_client, hours_ago=3)
    call_command("dispatch_messages")  # cron, or the embedded default's loop
    by_command.refresh_from_db()
    assert by_command.state == ImportState.EXPIRED and not imports.upload_path(by_command).exists()


def test_a_confirmation_past_the_lifetime_is_refused_even_before_any_pass(staff_client):
    import datetime as dt

    from django.utils import timezone

    job = _awaiting(staff_client, hours_ago=0)
    digest = imports.plan_digest(job.announced)
    assert not imports.confirm(job.pk, digest, timezone.now() + dt.timedelta(hours=49))
    job.refresh_from_db()
    assert job.state == ImportState.AWAITING
    assert imports.confirm(job.pk, digest, timezone.now())


def test_files_no_import_needs_are_deleted():
    from django.utils import timezone

    files = {}
    for state in ImportState.values:
        job = WorkbookImport.objects.create(file_name=f"{state}.xlsx", state=state, awaiting_since=timezone.now())
        files[state] = imports.upload_path(job)
        files[state].write_bytes(b"kept until nobody needs it")
    orphan = imports.upload_folder() / "import-999999.xlsx"
    orphan.write_bytes(b"its import is gone")
    stranger = imports.upload_folder() / "notes.txt"
    stranger.write_bytes(b"not ours")

    assert imports.tidy(timezone.now()) == 0
    kept = {state for state, path in files.items() if path.exists()}
    assert kept == {ImportState.WAITING, ImportState.RUNNING, ImportState.AWAITING}
    assert not orphan.exists() and stranger.exists()


def test_imports_already_awaiting_count_their_wait_from_the_upload():
    import datetime as dt
    import importlib

    from django.apps import apps
    from django.utils import timezone

    migration = importlib.import_module("surveys.migrations.0009_workbook_import_language_and_expiry")
    old = timezone.now() - dt.timedelta(days=5)
    job = WorkbookImport.objects.create(file_name="old.xlsx", state=ImportState.AWAITING)
    done = WorkbookImport.objects.create(file_name="done.xlsx", state=ImportState.DONE)
    WorkbookImport.objects.filter(pk__in=[job.pk, done.pk]).update(created_at=old)
    migration.awaiting_since_upload(apps, None)
    job.refresh_from_db()
    done.refresh_from_db()
    assert job.awaiting_since == old and done.awaiting_since is None
    assert imports.tidy(timezone.now()) == 1


# --- An import that stopped before it finished (a restarted web process, a worker that died) --------------------


def _under_way(state: str, language: str, queued_hours_ago: float) -> WorkbookImport:
    """An import handed to a worker `queued_hours_ago` that never ended, its file kept."""
    import datetime as dt

    job = WorkbookImport.objects.create(file_name=f"{state}-{language}.xlsx", state=state, language=language)
    WorkbookImport.objects.filter(pk=job.pk).update(queued_at=timezone.now() - dt.timedelta(hours=queued_hours_ago))
    imports.upload_path(job).write_bytes(b"a workbook nobody finished importing")
    job.refresh_from_db()
    return job


def test_imports_that_stopped_before_they_finished_are_failed_by_the_periodic_pass(staff_client, monkeypatch):
    from surveys.tasks import dispatch_messages

    assert imports.STOPPED_AFTER.total_seconds() == 6 * 3600
    waiting_fr = _under_way(ImportState.WAITING, "fr", queued_hours_ago=6.5)
    running_en = _under_way(ImportState.RUNNING, "en", queued_hours_ago=7)
    young = _under_way(ImportState.RUNNING, "en", queued_hours_ago=5.5)
    # Uploaded long ago, confirmed just now: handed to a worker now, so not stopped.
    confirmed = _awaiting(staff_client, hours_ago=40)
    monkeypatch.setattr("surveys.imports.jobs.hand_over", lambda pk: None)  # no worker takes it yet
    uploaded = timezone.now() - dt.timedelta(hours=41)
    WorkbookImport.objects.filter(pk=confirmed.pk).update(created_at=uploaded, queued_at=uploaded)
    assert imports.confirm(confirmed.pk, imports.plan_digest(confirmed.announced), timezone.now())

    dispatch_messages()  # beat's periodic pass

    for job in (waiting_fr, running_en, young, confirmed):
        job.refresh_from_db()
    assert (waiting_fr.state, running_en.state) == (ImportState.FAILED, ImportState.FAILED)
    assert waiting_fr.finished_at is not None and waiting_fr.errors == []
    assert running_en.failure == (
        "the import did not finish within 6 hours: no worker took it up, or the process running it stopped "
        "(a restart, a worker that died). Nothing was imported: upload the workbook again"
    )
    assert waiting_fr.failure.startswith("l'importation ne s'est pas terminée en 6 heures")
    assert not imports.upload_path(waiting_fr).exists() and not imports.upload_path(running_en).exists()
    assert (young.state, confirmed.state) == (ImportState.RUNNING, ImportState.WAITING)
    assert imports.upload_path(young).exists() and imports.upload_path(confirmed).exists()

    # Its page says why, as a sentence, not as the workbook's errors; so does the list of past imports.
    page = staff_client.get(_status(running_en)).content.decode()
    assert "The import did not finish within 6 hours" in page and "the workbook has" not in page
    assert 'http-equiv="refresh"' not in page
    listing = staff_client.get(reverse("admin:surveys_workbookimport_changelist")).content.decode()
    assert "the import did not finish within 6 hours" in listing

    # A worker that comes back to it later imports nothing.
    imports.run(running_en.pk)
    running_en.refresh_from_db()
    assert running_en.state == ImportState.FAILED and not Workshop.objects.exists()


def test_an_import_interrupted_mid_way_has_imported_nothing(monkeypatch):
    """The import and the record of its end are one transaction: a process stopped after the rows were written but
    before the end was recorded leaves nothing behind, so the periodic pass truly says nothing was imported."""
    job = WorkbookImport.objects.create(file_name="x.xlsx")
    imports.upload_path(job).write_bytes(_upload().read())
    original = imports._finish

    def killed(pk, **fields):
        assert Participant.objects.filter(email="jane@customs.gov.fj").exists()  # written, not yet committed
        raise SystemExit("the worker is stopped")  # a BaseException, like a process being killed

    monkeypatch.setattr(imports, "_finish", killed)
    with pytest.raises(SystemExit):
        imports.run(job.pk)
    monkeypatch.setattr(imports, "_finish", original)
    job.refresh_from_db()
    assert job.state == ImportState.RUNNING
    assert not Workshop.objects.exists() and not Participant.objects.exists()

    imports.tidy(timezone.now() + imports.STOPPED_AFTER + dt.timedelta(minutes=1))
    job.refresh_from_db()
    assert job.state == ImportState.FAILED and "Nothing was imported" in job.failure
    assert not Workshop.objects.exists()


def test_an_import_whose_heartbeat_stopped_is_failed_within_minutes_and_a_late_heartbeat_changes_nothing(
    monkeypatch,
):
    job = WorkbookImport.objects.create(file_name="x.xlsx")
    imports.upload_path(job).write_bytes(_upload().read())
    original = imports._finish

    def killed(pk, **fields):
        raise SystemExit("the worker is stopped")  # its rows written, not committed

    monkeypatch.setattr(imports, "_finish", killed)
    with pytest.raises(SystemExit):
        imports.run(job.pk)
    monkeypatch.setattr(imports, "_finish", original)
    stopped = timezone.now()
    # Another import still running, its heartbeat fresh; and one from before heartbeats (none in the cache).
    alive = _under_way(ImportState.RUNNING, "fr", queued_hours_ago=1)
    imports.beat(alive.pk)
    older = _under_way(ImportState.RUNNING, "en", queued_hours_ago=1)

    imports.tidy(stopped + imports.SILENT_AFTER - dt.timedelta(seconds=30))
    job.refresh_from_db()
    assert job.state == ImportState.RUNNING  # a heartbeat missed for less than five minutes is no sign of death
    imports.tidy(stopped + imports.SILENT_AFTER + dt.timedelta(seconds=30))
    for row in (job, alive, older):
        row.refresh_from_db()
    assert job.state == ImportState.FAILED and job.finished_at is not None
    assert job.failure == (
        "the import stopped before it finished: the process running it gave no sign of life for 5 minutes "
        "(a worker that died, a restart). Nothing was imported: upload it again"
    )
    assert not Workshop.objects.exists() and not Participant.objects.exists()
    assert not imports.upload_path(job).exists()
    assert alive.state == ImportState.FAILED  # silent as long by then, and told so in its starter's language
    assert alive.failure.startswith("l'importation s'est arrêtée avant la fin")
    assert older.state == ImportState.RUNNING  # the six-hour rule is theirs

    # The worker was only slow: its late heartbeat, and its end, change nothing.
    imports.beat(job.pk)
    imports.tidy(timezone.now())
    assert not imports._finish(job.pk, state=ImportState.DONE, summary=["Workshops: 1 new"])
    imports.run(job.pk)
    job.refresh_from_db()
    assert job.state == ImportState.FAILED and "gave no sign of life" in job.failure
    assert not Workshop.objects.exists()


def test_a_running_import_beats_during_a_long_step(monkeypatch):
    job = WorkbookImport.objects.create(file_name="x.xlsx")
    imports.upload_path(job).write_bytes(_upload().read())
    monkeypatch.setattr(imports, "HEARTBEAT_EVERY_SECONDS", 0.05)
    real_import, beats = imports.import_workbook, []

    def slow(handle, progress, **kwargs):
        beats.append(cache.get(imports._heartbeat_key(job.pk)))
        time.sleep(0.5)  # one long step that reports no progress
        beats.append(cache.get(imports._heartbeat_key(job.pk)))
        return real_import(handle, progress=progress, **kwargs)

    monkeypatch.setattr(imports, "import_workbook", slow)
    imports.run(job.pk)
    assert beats[0] is not None and beats[1] - beats[0] >= 0.3
    imports.tidy(timezone.now() + dt.timedelta(minutes=10))
    job.refresh_from_db()
    assert job.state == ImportState.DONE  # an import that ended is not failed by its last heartbeat


def test_an_import_declared_stopped_keeps_nothing_when_it_ends_after_all(monkeypatch):
    """A slow import that `tidy` declared stopped meanwhile does not record its end, and rolls its rows back: the
    failure staff were told (nothing imported) stays true."""
    job = WorkbookImport.objects.create(file_name="x.xlsx")
    imports.upload_path(job).write_bytes(_upload().read())
    real_import = imports.import_workbook

    def slow(handle, progress, **kwargs):
        summary = real_import(handle, progress=progress, **kwargs)
        # Meanwhile the periodic pass gave up on it (here in the same transaction; in production another one).
        WorkbookImport.objects.filter(pk=job.pk).update(state=ImportState.FAILED, failure="stopped")
        return summary

    monkeypatch.setattr(imports, "import_workbook", slow)
    imports.run(job.pk)
    assert not Workshop.objects.exists() and not Participant.objects.exists()
    # Its end is not recorded over the failure.
    WorkbookImport.objects.filter(pk=job.pk).update(state=ImportState.FAILED, failure="stopped")
    assert not imports._finish(job.pk, state=ImportState.DONE, summary=["Workshops: 1 new"])
    job.refresh_from_db()
    assert (job.state, job.failure, job.summary) == (ImportState.FAILED, "stopped", [])


def test_imports_already_there_were_handed_to_a_worker_when_last_known():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("surveys.migrations.0010_workbook_import_stopped")
    uploaded = timezone.now() - dt.timedelta(days=3)
    awaited = uploaded + dt.timedelta(hours=1)
    plain = WorkbookImport.objects.create(file_name="plain.xlsx", state=ImportState.RUNNING)
    confirmed = WorkbookImport.objects.create(file_name="confirmed.xlsx", state=ImportState.WAITING)
    WorkbookImport.objects.filter(pk__in=[plain.pk, confirmed.pk]).update(created_at=uploaded)
    WorkbookImport.objects.filter(pk=confirmed.pk).update(awaiting_since=awaited)
    migration.queued_when_last_known(apps, None)
    plain.refresh_from_db()
    confirmed.refresh_from_db()
    assert (plain.queued_at, confirmed.queued_at) == (uploaded, awaited)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_the_page_shows_where_a_running_import_stands_before_it_commits(staff_client, monkeypatch):
    """The import writes inside one transaction; its page, served by another process (here another thread with
    its own database connection), still follows its progress line by line."""
    job = WorkbookImport.objects.create(file_name="x.xlsx")
    imports.upload_path(job).write_bytes(_upload().read())
    monkeypatch.setattr(imports, "PROGRESS_EVERY_SECONDS", 0)
    real_import, pages = imports.import_workbook, []

    def look(handle, progress, **kwargs):
        summary = real_import(handle, progress=progress, **kwargs)  # its last line: "writing, all in one transaction"

        def page_now() -> None:
            try:
                pages.append(staff_client.get(_status(job)).content.decode())
            finally:
                connections.close_all()

        thread = threading.Thread(target=page_now)
        thread.start()
        thread.join(30)
        return summary

    monkeypatch.setattr(imports, "import_workbook", look)
    imports.run(job.pk)
    assert "Running: writing, all in one transaction." in pages[0]
    job.refresh_from_db()
    assert job.state == ImportState.DONE


def test_a_finished_import_shows_no_progress_line(staff_client, monkeypatch):
    job = WorkbookImport.objects.create(file_name="x.xlsx")
    imports.upload_path(job).write_bytes(_upload().read())
    imports.run(job.pk)
    imports._show_progress(job.pk, "a line left behind")  # e.g. by a run that died before its end was recorded
    page = staff_client.get(_status(job)).content.decode()
    assert "a line left behind" not in page and "Workshops: 1 new" in page
    # A task delivered again runs afresh: the line it shows is its own.
    WorkbookImport.objects.filter(pk=job.pk).update(state=ImportState.WAITING)
    imports.upload_path(job).write_bytes(_upload().read())
    real_import, shown = imports.import_workbook, []

    def record(handle, progress, **kwargs):
        shown.append(imports.as_shown(WorkbookImport.objects.get(pk=job.pk), timezone.now()).progress)
        return real_import(handle, progress=progress, **kwargs)

    monkeypatch.setattr(imports, "import_workbook", record)
    imports.run(job.pk)
    assert shown == ["opening the workbook"]


def test_a_running_imports_page_in_french(staff_client):
    job = WorkbookImport.objects.create(
        file_name="x.xlsx", state=ImportState.RUNNING, language="fr", progress="ouverture du classeur"
    )
    page = staff_client.get(_status(job), **FRENCH).content.decode()
    assert "En cours : ouverture du classeur." in page
    assert "Cette page se met à jour toutes les 2 secondes." in page


def test_a_workbook_too_large_is_refused_in_the_staff_users_language(staff_client, settings):
    settings.WORKBOOK_MAX_BYTES = 2 * 2**20
    upload = SimpleUploadedFile("big.xlsx", b"x" * (5 * 2**19))  # 2.5 MiB
    page = staff_client.post(UPLOAD, {"workbook": upload}, **FRENCH).content.decode()
    assert "Le fichier fait 2,5 Mio ; 2 Mio au plus sont acceptés." in page
    assert not WorkbookImport.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_upload_returns_at_once_and_a_thread_imports_it_once(staff_client, settings, monkeypatch):
    """The embedded default (tasks in process): the upload answers with the import's page before the import runs,
    in a thread; reloading that page, or handing the same import over again, imports nothing twice."""
    settings.WORKBOOK_IMPORTS_IN_THREAD = True
    go, threads, imported = threading.Event(), [], []
    real_run, real_import = imports.run, imports.import_workbook

    def held_run(pk):
        threads.append(threading.current_thread().name)
        assert go.wait(30)  # the thread waits while the request has answered and the page is reloaded
        real_run(pk)

    def counted(handle, progress, **kwargs):
        imported.append(1)
        return real_import(handle, progress=progress, **kwargs)

    monkeypatch.setattr(imports, "run", held_run)
    monkeypatch.setattr(imports, "import_workbook", counted)
    response = staff_client.post(UPLOAD, {"workbook": _upload()})
    assert response.status_code == 302
    job = WorkbookImport.objects.get()
    for _ in range(3):  # reloads of the import's page
        page = staff_client.get(response["Location"]).content.decode()
        assert "Waiting for a worker" in page and 'http-equiv="refresh"' in page
    assert Workshop.objects.count() == 0 and imported == []
    go.set()
    for _ in range(300):
        job.refresh_from_db()
        if job.finished:
            break
        threading.Event().wait(0.1)
    assert job.state == ImportState.DONE and Participant.objects.count() == 1
    imports.hand_over(job.pk)  # handed over again (e.g. a second confirmation): a finished import runs no more
    threading.Event().wait(0.5)
    assert threads == [f"workbook-import-{job.pk}"] * 2 and imported == [1]
    assert WorkbookImport.objects.count() == 1
    assert "Workbook imported." in staff_client.get(response["Location"]).content.decode()
