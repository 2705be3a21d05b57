"""Celery tasks: thin, ids (claim tokens) in, one service call inside. Each carries its name explicitly
(surveys.task_names), so that moving a module never orphans a queued task."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from surveys import task_names
from surveys.imports import jobs
from surveys.mail import bounces, sending


@shared_task(name=task_names.DISPATCH_MESSAGES, ignore_result=True)
def dispatch_messages() -> None:
    """Beat's pass: plan what is due now and hand the claimed batches to the workers; expire the workbook imports
    left awaiting confirmation too long (the periodic work's other chore)."""
    now = timezone.now()
    sending.run_pass(now, in_process=False)
    jobs.tidy(now)


@shared_task(name=task_names.SEND_BATCH, ignore_result=True)
def send_batch(claim: str) -> None:
    sending.send_batch(claim)


@shared_task(name=task_names.PROCESS_BOUNCES, ignore_result=True)
def process_bounces() -> None:
    """Beat's bounce pass (only scheduled when BOUNCE_IMAP_URL is set)."""
    try:
        bounces.process_bounces()
    except bounces.MailboxError as error:
        # The next pass tries again; the reports wait in the mailbox meanwhile.
        bounces.logger.error("Bounce pass skipped: %s", error)


@shared_task(name=task_names.IMPORT_WORKBOOK_FILE, ignore_result=True, acks_late=True)
def import_workbook_file(import_id: int) -> None:
    """An uploaded workbook's import (surveys.imports.jobs), away from the web request."""
    jobs.run(import_id)
