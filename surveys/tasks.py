"""Celery tasks: thin, ids (claim tokens) in, one service call inside. surveys.dispatch does the work."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from surveys import bounces, dispatch, imports


@shared_task(ignore_result=True)
def dispatch_messages() -> None:
    """Beat's pass: plan what is due now and hand the claimed batches to the workers; expire the workbook imports
    left awaiting confirmation too long (the periodic work's other chore)."""
    now = timezone.now()
    dispatch.run_pass(now, in_process=False)
    imports.tidy(now)


@shared_task(ignore_result=True)
def send_batch(claim: str) -> None:
    dispatch.send_batch(claim)


@shared_task(ignore_result=True)
def process_bounces() -> None:
    """Beat's bounce pass (only scheduled when BOUNCE_IMAP_URL is set)."""
    try:
        bounces.process_bounces()
    except bounces.MailboxError as error:
        # The next pass tries again; the reports wait in the mailbox meanwhile.
        bounces.logger.error("Bounce pass skipped: %s", error)


@shared_task(ignore_result=True, acks_late=True)
def import_workbook_file(import_id: int) -> None:
    """An uploaded workbook's import (surveys.imports), away from the web request."""
    imports.run(import_id)
