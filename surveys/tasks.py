"""Celery tasks: thin, ids (claim tokens) in, one service call inside. surveys.dispatch does the work."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from surveys import dispatch


@shared_task(ignore_result=True)
def dispatch_messages() -> None:
    """Beat's pass: plan what is due now and hand the claimed batches to the workers."""
    dispatch.run_pass(timezone.now(), in_process=False)


@shared_task(ignore_result=True)
def send_batch(claim: str) -> None:
    dispatch.send_batch(claim)
