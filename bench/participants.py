"""Benchmark of Admin > Participants at scale: 30,000 participants (100 workshops over 3 fiscal years, every one
invited, half reminded, a third replied, a few drafts, opt-outs and bounces), the list's page as staff open it,
unfiltered and under each status filter (surveys.status), through Django's full request path.

    .venv/bin/python bench/participants.py          # a throwaway PostgreSQL on 127.0.0.1, then a SQLite file
    DATABASE_URL=postgres://... .venv/bin/python bench/participants.py   # or that (empty) database only

Prints the median of 7 requests per list (after one warm-up): the wall time, this process's CPU time (Django: the
filters, the page's rendering), the time spent waiting for SQL, and the number of queries. Aim: every filtered
list under 300 ms. On a machine whose cores are busy with other work, the wall time grows with the load (uptime
says how much): the CPU and SQL columns tell where it goes.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PARTICIPANTS = int(os.environ.get("BENCH_PARTICIPANTS", "30000"))
WORKSHOPS = 100
LISTS = {
    "all": {},
    "not replied": {"reply": "not-replied"},
    "draft": {"reply": "draft"},
    "reminded": {"mail": "reminded"},
    "opted out": {"mail": "opted-out"},
    "not replied + invited + FY": {"reply": "not-replied", "mail": "invited", "fy": "2019"},
    "not replied + workshop": {"reply": "not-replied", "workshop__id__exact": "{workshop}"},
    "search + not replied": {"reply": "not-replied", "q": "P1234"},
}


def populate() -> None:
    from django.utils import timezone

    from surveys.models import Message, MessageKind, MessageStatus, Response, Status
    from workshops.models import MemberAdministration, Participant, Workshop

    rng = random.Random(22)
    administrations = list(MemberAdministration.objects.all())
    Workshop.objects.bulk_create(
        Workshop(
            code=f"W{number}",
            title=f"WCO Regional Workshop {number}",
            scope="regional",
            start_date=dt.date(2018 + number % 3, 9, 1) + dt.timedelta(days=number),
            end_date=dt.date(2018 + number % 3, 9, 3) + dt.timedelta(days=number),
            fiscal_year=2018 + number % 3,
        )
        for number in range(WORKSHOPS)
    )
    workshops = list(Workshop.objects.order_by("pk"))
    now = timezone.now()
    Participant.objects.bulk_create(
        (
            Participant(
                workshop=workshops[n % WORKSHOPS],
                name=f"P{n}",
                email=f"p{n}@example.org",
                administration=rng.choice(administrations),
                opted_out_at=now if n % 97 == 0 else None,
                undeliverable_since=now if n % 89 == 0 else None,
            )
            for n in range(PARTICIPANTS)
        ),
        batch_size=2000,
    )
    ids = list(Participant.objects.order_by("pk").values_list("pk", flat=True))
    messages = [Message(participant_id=pk, kind=MessageKind.INVITATION, status=MessageStatus.SENT) for pk in ids]
    messages += [Message(participant_id=pk, kind=MessageKind.REMINDER_1, status=MessageStatus.SENT) for pk in ids[::2]]
    Message.objects.bulk_create(messages, batch_size=5000)
    Response.objects.bulk_create(
        [Response(participant_id=pk, status=Status.SUBMITTED, submitted_at=now) for pk in ids[::3]]
        + [Response(participant_id=ids[i]) for i in range(1, len(ids), 31) if i % 3],
        batch_size=5000,
    )
    # A database in use has its planner statistics (PostgreSQL's autovacuum analyzes a table soon after a bulk load;
    # SQLite keeps what ANALYZE last wrote): measured right after the load without them, the planner guesses one
    # row per table and the status filters take four times as long as they will in production.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(label: str) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from workshops.models import Workshop

    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    workshop = Workshop.objects.order_by("pk").first()
    print(f"\n{label}: {PARTICIPANTS:,} participants, median of 7 requests of the list's first page")
    print(f"{'list':32} {'ms':>8} {'cpu ms':>8} {'sql ms':>8} {'queries':>8} {'rows':>8}")
    for name, query in LISTS.items():
        params = {k: v.format(workshop=workshop.pk) for k, v in query.items()}
        client.get("/admin/workshops/participant/", params)  # warm-up
        times, cpu, sql = [], [], []
        for _ in range(7):
            reset_queries()
            started, cpu_started = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as queries:
                page = client.get("/admin/workshops/participant/", params)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
            sql.append(sum(float(query["time"]) for query in queries.captured_queries) * 1000)
        assert page.status_code == 200, (name, page.status_code)
        # The paginator's count ("1234 participants"), as staff read it under the list.
        found = re.search(r'class="paginator">.*?(\d[\d,]*) participant', page.content.decode(), re.S)
        rows = found.group(1) if found else "?"
        median = statistics.median
        print(f"{name:32} {median(times):8.1f} {median(cpu):8.1f} {median(sql):8.1f} {len(queries):8d} {rows:>8}")
        if os.environ.get("BENCH_SLOWEST"):
            for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]:
                print(f"    {float(query['time']) * 1000:6.1f} ms  {query['sql'][:300]}")


def run(database_url: str, label: str, folder: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "VAR_DIR": str(folder / "var"),
        "DJANGO_SETTINGS_MODULE": "rocbap.settings",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "testserver",
        "BENCH_CHILD": label,
    }
    subprocess.run([sys.executable, __file__], env=env, check=True)


def child() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    call_command("migrate", verbosity=0)
    populate()
    # The admin's static files by their plain names: the manifest needs collectstatic, which is not measured.
    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=plain):
        measure(os.environ["BENCH_CHILD"])


def main() -> None:
    if os.environ.get("BENCH_CHILD"):
        child()
        return
    folder = Path(tempfile.mkdtemp(prefix="rocbap-bench-"))
    if os.environ.get("DATABASE_URL"):
        run(os.environ["DATABASE_URL"], "given database", folder)
        return
    from bench.tables import start_postgres

    url, stop = start_postgres(folder)
    try:
        run(url, "PostgreSQL", folder)
    finally:
        stop()
    run(f"sqlite:///{folder / 'bench.sqlite3'}", "SQLite", folder)


if __name__ == "__main__":
    main()
