"""The Celery tasks' registered names, in one place: surveys.tasks registers each under its name, and the modules
that hand work to a task (the dispatch, the workbook import) send it by name, so that they need not import the
tasks module, which imports them.

The names are the ones Celery derived from the module path before the tasks were named (surveys.tasks.<function>):
a task queued by the previous release still runs after an upgrade. Never rename one; add a new name and keep the
old task until no queue can hold it (docs/deployment.md). rocbap/celery.py spells the two beat schedules by the
same strings (the project package may not import an app).
"""

DISPATCH_MESSAGES = "surveys.tasks.dispatch_messages"
SEND_BATCH = "surveys.tasks.send_batch"
PROCESS_BOUNCES = "surveys.tasks.process_bounces"
IMPORT_WORKBOOK_FILE = "surveys.tasks.import_workbook_file"
