"""The Celery tasks keep their names across moves: a task queued by an older release (its name is all the queue
holds) still finds its function after an upgrade (docs/deployment.md)."""

from __future__ import annotations

from rocbap.celery import app
from surveys import task_names, tasks

# The names Celery derived from the module path before the names were explicit: what an older release queued.
QUEUED_BY_EARLIER_RELEASES = {
    "surveys.tasks.dispatch_messages": tasks.dispatch_messages,
    "surveys.tasks.send_batch": tasks.send_batch,
    "surveys.tasks.process_bounces": tasks.process_bounces,
    "surveys.tasks.import_workbook_file": tasks.import_workbook_file,
}


def test_a_task_queued_under_an_earlier_name_finds_its_function():
    for name, task in QUEUED_BY_EARLIER_RELEASES.items():
        assert app.tasks[name].run is task.run


def test_every_task_name_is_the_one_the_senders_use():
    named = {value for key, value in vars(task_names).items() if key.isupper()}
    registered = {name for name in app.tasks if name.startswith("surveys.")}
    assert named == registered == set(QUEUED_BY_EARLIER_RELEASES)


def test_the_beat_schedule_names_registered_tasks():
    app.loader.import_default_modules()
    beat = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert beat and beat <= set(app.tasks)
