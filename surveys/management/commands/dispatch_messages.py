"""Run the dispatch pass in this process: cron, the embedded default without Redis, tests and staff. Like beat's
pass, it also expires the workbook imports left awaiting confirmation too long (surveys.imports.jobs.tidy)."""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from surveys.imports import jobs as imports
from surveys.mail.sending import run_pass


def parse_moment(text: str) -> dt.datetime:
    """ISO-8601, e.g. 2020-06-12 or 2020-06-12T09:00 (office time) or 2020-06-12T02:00:00+00:00."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"--now must be an ISO-8601 date or time such as 2020-06-12T09:00, got {text!r}") from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = "Send every invitation, reminder and feedback message due now, each exactly once."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--now", help="Run the pass as of this moment (ISO-8601), e.g. 2020-06-12T09:00.")
        parser.add_argument(
            "--loop", type=int, metavar="SECONDS", help="Run a pass every SECONDS until stopped (the demo's scheduler)."
        )

    def handle(self, *args, now: str | None = None, loop: int | None = None, **options) -> None:
        if loop is not None and (now or loop < 1):
            raise CommandError("--loop takes a number of seconds (at least 1) and cannot be combined with --now")
        moment = parse_moment(now) if now else None
        while True:
            at = moment or timezone.now()
            result = run_pass(at, in_process=True)
            expired = imports.tidy(at)
            if loop is None or result.planned or result.batches or options["verbosity"] > 1:
                self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M:%S} {result}")
            if expired:
                self.stdout.write(f"{expired} workbook import(s) expired awaiting confirmation")
            if loop is None:
                return
            time.sleep(loop)
