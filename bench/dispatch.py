"""Benchmark: 10,000 participants due at once, through Redis and a Celery worker (concurrency 2) into a local
aiosmtpd server, side by side with a plain smtplib loop sending the same rendered messages to the same server.

    .venv/bin/python bench/dispatch.py [--participants 10000]

Uses DATABASE_URL when set (PostgreSQL recommended), else a SQLite file in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import smtplib
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=10_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="rocbap-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}")
    os.environ.update(VAR_DIR=str(folder / "var"), DJANGO_SETTINGS_MODULE="rocbap.settings", LOG_LEVEL="WARNING")

    from tests.integration.servers import CeleryProcess, Redis, SMTPServer, wait_for

    redis, smtp = Redis(folder), SMTPServer()
    try:
        run(args, folder, redis, smtp, wait_for, CeleryProcess)
    finally:
        smtp.stop()
        redis.stop()


def run(args, folder: Path, redis, smtp, wait_for, CeleryProcess) -> None:
    os.environ.update(REDIS_URL=redis.url, EMAIL_URL=smtp.url + "?timeout=10", SURVEY_BATCH_SIZE="250")

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from surveys.dispatch import run_pass
    from surveys.emails import build_email
    from surveys.models import Message, MessageStatus
    from workshops.models import MemberAdministration, Participant, Workshop

    Message.objects.all().delete()
    Workshop.objects.filter(code="BENCH").delete()
    workshop = Workshop.objects.create(
        code="BENCH",
        title="WCO Regional Workshop on Benchmarks",
        scope="regional",
        start_date=timezone.localdate(),
        end_date=timezone.localdate(),
        invitation_date_override=timezone.localdate(),
    )
    administration = MemberAdministration.objects.get(code="FJ")
    Participant.objects.bulk_create(
        (
            Participant(workshop=workshop, name=f"P{n}", email=f"p{n}@example.org", administration=administration)
            for n in range(args.participants)
        ),
        batch_size=2000,
    )
    worker = CeleryProcess("worker", dict(os.environ), folder, concurrency=2)
    time.sleep(4)  # the worker's start is not part of the figure
    try:
        started = time.perf_counter()
        result = run_pass(timezone.now(), in_process=False)
        planned = time.perf_counter() - started
        wait_for(lambda: not Message.objects.filter(status=MessageStatus.PENDING).exists(), 300, "all messages", 0.25)
        elapsed = time.perf_counter() - started
    finally:
        worker.stop()
    sent = Message.objects.filter(status=MessageStatus.SENT).count()
    assert sent == args.participants == smtp.handler.count(), (sent, smtp.handler.count())

    # The same messages, rendered beforehand, through one plain smtplib connection.
    today = timezone.localdate()
    rendered = [
        (m.to_email, build_email(m, today).message().as_bytes(linesep="\r\n"))
        for m in Message.objects.select_related("participant__workshop", "participant__response")
    ]
    smtp.handler.messages.clear()
    from django.conf import settings

    sender = settings.DEFAULT_FROM_EMAIL
    loop_started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", smtp.port) as connection:
        for to, data in rendered:
            connection.sendmail(sender, [to], data)
    loop_elapsed = time.perf_counter() - loop_started
    assert smtp.handler.count() == args.participants

    ours, plain = sent / elapsed, len(rendered) / loop_elapsed
    print(f"participants: {args.participants}, database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[1]}")
    print(f"dispatch pass (plan + claim {result.batches} batches): {planned:.2f} s")
    print(f"Redis + Celery worker (concurrency 2): {elapsed:6.1f} s  {ours:7.0f} messages/s (render + send + log)")
    print(f"plain smtplib loop, pre-rendered:      {loop_elapsed:6.1f} s  {plain:7.0f} messages/s")
    print(f"ratio: {ours / plain:.0%}")


if __name__ == "__main__":
    main()
