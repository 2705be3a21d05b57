"""Load: 200 participants submitting at once against gunicorn + PostgreSQL on 127.0.0.1.

    .venv/bin/python bench/load.py [--participants 200] [--workers 2,4]

Each simulated participant (a thread with its own cookie jar: tests/integration/participants.py) opens their own
personal link, takes the page's CSRF token and cookie, and submits a complete reply. All of them open their page
at once, then all submit at once. Afterwards the database must hold every reply, submitted, once, with the
answers that were sent, and no request may have had a 5xx. One round per gunicorn worker count, side by side;
each round has its own participants. The bench starts its own throwaway PostgreSQL cluster and stops it at the end.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.integration.servers import Gunicorn, PostgreSQL  # noqa: E402


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def seed(code: str, count: int) -> list[str]:
    import datetime as dt

    from django.utils import timezone

    from workshops.models import MemberAdministration, Participant, Workshop

    workshop = Workshop.objects.create(
        code=code,
        title="WCO Regional Workshop on Risk Management",
        scope="regional",
        start_date=dt.date(2025, 1, 6),
        end_date=dt.date(2025, 1, 9),
        venue="Bangkok, Thailand",
        due_date_override=timezone.localdate() + dt.timedelta(days=10),
    )
    administrations = list(MemberAdministration.objects.all())
    Participant.objects.bulk_create(
        Participant(
            workshop=workshop,
            name=f"Participant {n}",
            email=f"p{n}@example.org",
            administration=administrations[n % len(administrations)],
        )
        for n in range(count)
    )
    return list(workshop.participants.order_by("pk").values_list("token", flat=True))


def check_answers_are_valid(count: int) -> None:
    """The simulated replies pass the questionnaire form's own rules for a submitted reply."""
    from surveys.questionnaire.forms import QuestionnaireForm
    from tests.integration.participants import answers_for

    for number in range(count):
        form = QuestionnaireForm({**answers_for(number), "revision": "0"}, submit=True)
        assert form.is_valid(), (number, form.errors)


def run_round(base: str, tokens: list[str]) -> dict:
    from tests.integration.participants import SimulatedParticipant

    participants = [SimulatedParticipant(base, token, number) for number, token in enumerate(tokens)]
    start_gets = threading.Barrier(len(participants) + 1)
    start_posts = threading.Barrier(len(participants) + 1)
    accepted: list[bool] = [False] * len(participants)

    def participant_thread(index: int) -> None:
        participant = participants[index]
        start_gets.wait()
        hidden = participant.open_page()
        start_posts.wait()
        if hidden is not None:
            accepted[index] = participant.submit(hidden)

    threads = [threading.Thread(target=participant_thread, args=(i,)) for i in range(len(participants))]
    for thread in threads:
        thread.start()
    start_gets.wait()
    get_started = time.monotonic()
    start_posts.wait()
    post_started = time.monotonic()
    for thread in threads:
        thread.join()
    post_ended = time.monotonic()
    attempts = [a for p in participants for a in p.attempts]
    gets = [a.seconds for a in attempts if a.method == "GET"]
    posts = [a.seconds for a in attempts if a.method == "POST"]
    return {
        "accepted": sum(accepted),
        "statuses": Counter(a.status for a in attempts),
        "get_seconds": post_started - get_started,
        "post_seconds": post_ended - post_started,
        "get": gets,
        "post": posts,
    }


def check_database(code: str, count: int) -> list[str]:
    """What is wrong with the stored replies of the round's workshop (nothing, ideally)."""
    from django.db.models import Count

    from surveys.models import Response, Status
    from tests.integration.participants import marker
    from workshops.models import Participant

    problems = []
    participants = list(Participant.objects.filter(workshop__code=code).order_by("email"))
    numbers = {p.pk: int(p.email[1:].split("@")[0]) for p in participants}
    replies = Response.objects.filter(participant__workshop__code=code)
    if replies.count() != count:
        problems.append(f"{replies.count()} replies stored for {count} participants")
    doubles = replies.values("participant").annotate(n=Count("id")).filter(n__gt=1).count()
    if doubles:
        problems.append(f"{doubles} participants with more than one reply")
    for reply in replies:
        if reply.status != Status.SUBMITTED or reply.submitted_at is None:
            problems.append(f"reply {reply.pk} is not submitted")
        if reply.q2_utilization != marker(numbers[reply.participant_id]):
            problems.append(f"reply {reply.pk} does not hold the answers its participant sent")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--workers", default="2,4", help="gunicorn worker counts, one round each")
    args = parser.parse_args()
    worker_counts = [int(w) for w in args.workers.split(",")]

    folder = Path(tempfile.mkdtemp(prefix="rocbap-bench-"))
    database = PostgreSQL()
    servers: list[Gunicorn] = []
    try:
        env = {
            "DATABASE_URL": database.url,
            "VAR_DIR": str(folder / "var"),
            "DJANGO_SETTINGS_MODULE": "rocbap.settings",
            "LOG_LEVEL": "WARNING",
            "SECRET_KEY": "bench-load-" + "x" * 50,
            "REDIS_URL": "",
        }
        os.environ.update(env)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        check_answers_are_valid(args.participants)

        results = []
        for workers in worker_counts:
            code = f"LOAD-{workers}"
            tokens = seed(code, args.participants)
            server = Gunicorn(env, folder, workers=workers)
            servers.append(server)
            # Every worker loads its templates and opens its database connection before the figures start.
            for token in tokens[: workers * 4]:
                from tests.integration.participants import SimulatedParticipant

                SimulatedParticipant(server.url, token, 0).open_page()
            result = run_round(server.url, tokens)
            server.stop()
            servers.remove(server)
            result["problems"] = check_database(code, args.participants)
            results.append((workers, result))

        ok = True
        print(
            f"\nLoad: {args.participants} participants at once (all open their page, then all submit), "
            "gunicorn sync workers, PostgreSQL, DEBUG off"
        )
        print(
            f"{'workers':>8}{'replies/s':>11}{'GET p50':>9}{'GET p99':>9}{'POST p50':>10}{'POST p99':>10}"
            f"{'stored':>8}{'5xx':>5}  statuses"
        )
        for workers, r in results:
            fives = sum(n for status, n in r["statuses"].items() if status >= 500 or status == 0)
            stored = args.participants - sum("replies stored" in p for p in r["problems"])
            print(
                f"{workers:>8}{r['accepted'] / r['post_seconds']:>11.0f}"
                f"{percentile(r['get'], 0.5) * 1000:>8.0f}ms{percentile(r['get'], 0.99) * 1000:>7.0f}ms"
                f"{percentile(r['post'], 0.5) * 1000:>8.0f}ms{percentile(r['post'], 0.99) * 1000:>8.0f}ms"
                f"{stored:>8}{fives:>5}  {dict(sorted(r['statuses'].items()))}"
            )
            print(
                f"{'':>8}all {args.participants} pages in {r['get_seconds']:.2f} s, "
                f"all {r['accepted']} replies accepted in {r['post_seconds']:.2f} s"
            )
            for problem in r["problems"][:10]:
                print(f"{'':>8}PROBLEM: {problem}")
            ok = ok and not r["problems"] and fives == 0 and r["accepted"] == args.participants
        print("every reply stored once, submitted, no 5xx" if ok else "FAILED: see the problems above")
        return 0 if ok else 1
    finally:
        for server in servers:
            server.stop()
        database.stop()
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
