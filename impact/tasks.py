"""Celery tasks of the impact app: thin, named explicitly (a queued task outlives a moved module)."""

from __future__ import annotations

from celery import shared_task

from impact import suggesting


@shared_task(name=suggesting.TASK_NAME, ignore_result=True)
def suggest_for_fiscal_year(fiscal_year: int) -> None:
    suggesting.refresh(fiscal_year)
