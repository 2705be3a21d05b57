"""Benchmark of the report's tables: 100,000 replies over 10 fiscal years in PostgreSQL.

    .venv/bin/python bench/tables.py            # starts a throwaway PostgreSQL on 127.0.0.1, removes it after
    DATABASE_URL=postgres://... .venv/bin/python bench/tables.py   # or uses that (empty) database

Prints, measured side by side in one run: one FY's tables (load + count), the all-rounds reply-rate trend, and
the number of SQL queries of each, beside a naive per-workshop ORM loop; then how much of the counting frame's load
is PostgreSQL executing its queries (the rest is fetching the rows and building the frame). Aims: one FY < 100 ms,
< 10 ms when nothing changed since (the kept counted round of reports.counted), trend < 500 ms, queries that do not
grow with the number of workshops.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FISCAL_YEARS = range(2012, 2022)
WORKSHOPS_PER_YEAR = 50
PARTICIPANTS_PER_WORKSHOP = 280
REPLIES_PER_YEAR = 10_000  # 100,000 in all


def start_postgres(folder: Path) -> tuple[str, callable]:
    """initdb + pg_ctl on a free port; returns the DATABASE_URL and a function that stops it."""
    pg_bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    data = folder / "pg"
    data.mkdir()
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(data, "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    run = [*as_postgres, str(pg_bin / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
    subprocess.run([*run, "--locale=C.UTF-8"], check=True, capture_output=True)
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
    ctl = [*as_postgres, str(pg_bin / "pg_ctl"), "-D", str(data)]
    subprocess.run([*ctl, "-l", str(data / "log"), "-o", options, "-w", "start"], check=True, capture_output=True)
    return f"postgres://postgres@127.0.0.1:{port}/postgres", lambda: subprocess.run(
        [*ctl, "-m", "fast", "-w", "stop"], check=False, capture_output=True
    )


def populate() -> None:
    from django.utils import timezone

    from surveys.models import Response, Status
    from workshops.models import MemberAdministration, Participant, Workshop

    rng = random.Random(2020)
    administrations = list(MemberAdministration.objects.all())
    workshops = []
    for year in FISCAL_YEARS:
        for number in range(WORKSHOPS_PER_YEAR):
            start = dt.date(year, 7, 1) + dt.timedelta(days=7 * number)
            workshops.append(
                Workshop(
                    code=f"FY{year}-{number}",
                    title=f"WCO Regional Workshop {number} of {year}",
                    scope=rng.choice(["regional", "sub-regional"]),
                    start_date=start,
                    end_date=start + dt.timedelta(days=3),
                    fiscal_year=year,
                )
            )
    Workshop.objects.bulk_create(workshops, batch_size=2000)
    participants = [
        Participant(
            workshop=workshop,
            name=f"Participant {index}",
            email=f"p{index}@example.org",
            administration=administrations[index % len(administrations)],
        )
        for workshop in workshops
        for index in range(PARTICIPANTS_PER_WORKSHOP)
    ]
    Participant.objects.bulk_create(participants, batch_size=5000)
    by_year: dict[int, list[Participant]] = {}
    for participant in participants:
        by_year.setdefault(participant.workshop.fiscal_year, []).append(participant)
    now = timezone.now()
    responses = []
    for chosen in (rng.sample(people, REPLIES_PER_YEAR) for people in by_year.values()):
        for participant in chosen:
            responses.append(
                Response(
                    participant=participant,
                    status=Status.SUBMITTED,
                    submitted_at=now,
                    q1_shared_materials=rng.random() < 0.8,
                    q1_submitted_report=rng.random() < 0.7,
                    q1_made_recommendations=rng.random() < 0.5,
                    q1_inhouse_workshop=rng.random() < 0.4,
                    q1_manuals=rng.random() < 0.3,
                    q1_others=rng.random() < 0.3,
                    q1_shared_with=rng.randint(0, 50),
                    q2_utilization="Shared with the risk management unit and used in the profiling of shipments.",
                    q3_direct_effects=rng.choice([True, False, None]),
                    q4_contributed=rng.choice([True, True, False]),
                    q5_new_project=rng.choice([True, False]),
                )
            )
    Response.objects.bulk_create(responses, batch_size=5000)


def naive_fiscal_year(fiscal_year: int) -> dict:
    """The per-workshop ORM loop the product avoids: a few queries per workshop and Python counting."""
    from surveys.models import Response
    from workshops.models import Workshop

    rows = {}
    for workshop in Workshop.objects.surveyed().of_fiscal_year(fiscal_year):
        participants = workshop.participants.count()
        administrations = workshop.participants.values("administration").distinct().count()
        replies = list(Response.objects.replies().filter(participant__workshop=workshop).select_related("participant"))
        rows[workshop.pk] = (
            administrations,
            participants,
            len(replies),
            sum(r.q1_shared_materials for r in replies),
            sum(r.q3_direct_effects is True for r in replies),
        )
    return rows


def naive_trend() -> dict:
    from surveys.models import Response
    from workshops.models import Workshop

    rates = {}
    for workshop in Workshop.objects.surveyed():
        participants = workshop.participants.count()
        replies = Response.objects.replies().filter(participant__workshop=workshop).count()
        total = rates.setdefault(workshop.fiscal_year, [0, 0])
        total[0] += participants
        total[1] += replies
    return rates


def measure(function, repeat: int) -> tuple[float, int]:
    """Median milliseconds and the number of SQL queries of one call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    function()  # warm: imports, connection, caches of the database
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            function()
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), len(queries)


def database_milliseconds(function, repeat: int) -> float | None:
    """Median milliseconds PostgreSQL spends executing the queries of one call (EXPLAIN ANALYZE without per-node
    timing: no rows sent, none turned into Python objects); None on another database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        return None
    with CaptureQueriesContext(connection) as queries:
        function()
    totals = []
    with connection.cursor() as cursor:
        for _ in range(repeat):
            total = 0.0
            for query in queries.captured_queries:
                cursor.execute(f"EXPLAIN (ANALYZE, TIMING OFF) {query['sql']}")
                total += float(cursor.fetchall()[-1][0].split(":")[1].split()[0])  # "Execution Time: 27.1 ms"
            totals.append(total)
    return statistics.median(totals)


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="rocbap-bench-"))
    stop = None
    try:
        if not os.environ.get("DATABASE_URL"):
            url, stop = start_postgres(folder)
            os.environ["DATABASE_URL"] = url
        os.environ.setdefault("VAR_DIR", str(folder / "var"))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rocbap.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        from workshops.models import Workshop

        if not Workshop.objects.exists():  # a database given by DATABASE_URL may hold the data of a run before
            populate()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # as autovacuum would soon after a bulk load
        print(
            f"data: {len(FISCAL_YEARS)} FYs, {len(FISCAL_YEARS) * WORKSHOPS_PER_YEAR} workshops, "
            f"{len(FISCAL_YEARS) * WORKSHOPS_PER_YEAR * PARTICIPANTS_PER_WORKSHOP:,} participants, "
            f"{len(FISCAL_YEARS) * REPLIES_PER_YEAR:,} replies (bulk_create {time.perf_counter() - started:.1f} s)"
        )

        from reports import frames, tables
        from reports.counted import counted_round
        from reports.figures import reply_rate_trend, report_data

        year = 2019
        lean = frames.replies_frame(year, texts=False)
        rows = [
            ("one FY: load the full frame (with texts)", lambda: frames.replies_frame(year), 5),
            ("one FY: load the counting frame", lambda: frames.replies_frame(year, texts=False), 5),
            (
                "one FY: Tables 1-7 + associations from a loaded frame (count only)",
                lambda: tables.build_tables(lean),
                5,
            ),
            (
                "one FY: Tables 1-7 + associations (load + count)",
                lambda: tables.build_tables(frames.replies_frame(year, texts=False)),
                5,
            ),
            ("one FY: the same, nothing changed since (kept counted round)", lambda: counted_round(year).tables, 20),
            ("one FY: report_data (+ previous round)", lambda: report_data(year), 5),
            ("one FY: naive per-workshop ORM loop (3 of the 7 tables' counts)", lambda: naive_fiscal_year(year), 3),
            ("all-rounds trend", reply_rate_trend, 5),
            ("all-rounds trend: naive per-workshop ORM loop", naive_trend, 3),
        ]
        results = {}
        print(f"{'measure':<66} {'median ms':>10} {'queries':>8}")
        for name, function, repeat in rows:
            milliseconds, queries = measure(function, repeat)
            results[name] = milliseconds
            print(f"{name:<66} {milliseconds:>10.2f} {queries:>8}")
        in_database = database_milliseconds(lambda: frames.replies_frame(year, texts=False), 5)
        if in_database is not None:
            name = "one FY: the counting frame's queries, executing in PostgreSQL only"
            print(f"{name:<66} {in_database:>10.2f}")
        tables_ms, kept_ms = results[rows[3][0]], results[rows[4][0]]
        print(
            f"naive loop / product, one FY: {results[rows[6][0]] / tables_ms:.1f}x slower; "
            f"trend: {results[rows[8][0]] / results['all-rounds trend']:.1f}x slower"
        )
        print(
            f"aims: one FY < 100 ms -> {'met' if tables_ms < 100 else 'NOT met'}; unchanged < 10 ms -> "
            f"{'met' if kept_ms < 10 else 'NOT met'}; trend < 500 ms -> "
            f"{'met' if results['all-rounds trend'] < 500 else 'NOT met'}"
        )
    finally:
        if stop is not None:
            from django.db import connections

            connections.close_all()
            stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
