"""Benchmark: 10,000 participants due at once, through Redis and a Celery worker (concurrency 2) into a local
aiosmtpd server, side by side with a plain smtplib loop sending the same rendered messages to the same server.

    .venv/bin/python bench/dispatch.py [--participants 10000]

Uses DATABASE_URL when set (PostgreSQL recommended), else a SQLite file in a temporary folder.

Also prints the CPU time each side spends per message (Linux: the workers' from /proc): the SMTP server runs in
this process, so it shares the cores with the two worker processes in the first part and with one client in the
second. On a machine whose cores are busy with other work, throughput follows CPU per message, and the ratio tends
to the plain loop's CPU per message over the dispatch's.
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
TICKS = os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) of a process and its children so far, from /proc."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()  # state, ppid, ... utime (11), stime (12)
        except OSError:
            continue  # gone meanwhile
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


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
    from surveys.mail.emails import build_email
    from surveys.mail.sending import run_pass
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
        workers_cpu, here_cpu, main_cpu = tree_cpu_seconds(worker.process.pid), time.process_time(), time.thread_time()
        started = time.perf_counter()
        result = run_pass(timezone.now(), in_process=False)
        planned = time.perf_counter() - started
        wait_for(lambda: not Message.objects.filter(status=MessageStatus.PENDING).exists(), 300, "all messages", 0.25)
        elapsed = time.perf_counter() - started
        workers_cpu = tree_cpu_seconds(worker.process.pid) - workers_cpu
        # This process's CPU but its main thread's (the pass, then polling): the SMTP server's thread.
        server_cpu = time.process_time() - here_cpu - (time.thread_time() - main_cpu)
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
    loop_started, here_cpu, client_cpu = time.perf_counter(), time.process_time(), time.thread_time()
    with smtplib.SMTP("127.0.0.1", smtp.port) as connection:
        for to, data in rendered:
            connection.sendmail(sender, [to], data)
    loop_elapsed = time.perf_counter() - loop_started
    client_cpu = time.thread_time() - client_cpu
    loop_server_cpu = time.process_time() - here_cpu - client_cpu
    assert smtp.handler.count() == args.participants

    ours, plain = sent / elapsed, len(rendered) / loop_elapsed
    print(f"participants: {args.participants}, database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[1]}")
    print(f"dispatch pass (plan + claim {result.batches} batches): {planned:.2f} s")
    print(f"Redis + Celery worker (concurrency 2): {elapsed:6.1f} s  {ours:7.0f} messages/s (render + send + log)")
    print(f"plain smtplib loop, pre-rendered:      {loop_elapsed:6.1f} s  {plain:7.0f} messages/s")
    print(f"ratio: {ours / plain:.0%}")
    ms = 1000 / args.participants
    print(
        f"CPU per message: dispatch {workers_cpu * ms:.2f} ms in the worker processes + {server_cpu * ms:.2f} ms in "
        f"the SMTP server; plain loop {client_cpu * ms:.2f} ms in the client + {loop_server_cpu * ms:.2f} ms in the "
        "SMTP server"
    )


if __name__ == "__main__":
    main()
