"""Benchmark of the report PDF: the demo FY and a large FY (20 workshops, 400 replies, 60 quotes).

For each: the whole rendering (figures, HTML, WeasyPrint), WeasyPrint alone on the same HTML in the same run,
our own code's share, and a repeated download of the unchanged, kept report through the staff view.
Run: .venv/bin/python bench/pdf.py   (uses a throwaway SQLite database in a temporary folder)
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
scratch = tempfile.mkdtemp(prefix="rocbap-bench-")
os.environ["VAR_DIR"] = scratch
os.environ.pop("DATABASE_URL", None)
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rocbap.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from reports import pdf  # noqa: E402


def large_fiscal_year(fiscal_year: int = 2021, workshops: int = 20, replies: int = 400, quotes: int = 60) -> None:
    from reports.models import Quote, Section
    from reports.quotes import edition_for
    from surveys.models import Q1_ACTIONS, Response, Status
    from workshops.models import MemberAdministration, Participant, Workshop

    rng = random.Random(6)
    administrations = list(MemberAdministration.objects.all())
    made = []
    for number in range(workshops):
        start = dt.date(fiscal_year, 7, 1) + dt.timedelta(days=17 * number)
        made.append(
            Workshop.objects.create(
                code=f"BENCH-{number}",
                title=f"WCO {'Regional' if number % 3 else 'Sub-regional'} Workshop on Topic {number}",
                scope="regional" if number % 3 else "sub-regional",
                start_date=start,
                end_date=start + dt.timedelta(days=3),
            )
        )
    participants = Participant.objects.bulk_create(
        Participant(
            workshop=made[index % workshops],
            name=f"P{index}",
            email=f"p{index}@example.org",
            administration=administrations[index % len(administrations)],
            token=f"bench-token-{index}",
        )
        for index in range(25 * workshops)
    )
    now = dt.datetime.now(dt.UTC)
    sentence = "Shared the lessons with colleagues at the headquarters and the border offices, number {}."
    Response.objects.bulk_create(
        Response(
            participant=participant,
            status=Status.SUBMITTED,
            submitted_at=now,
            **{action: rng.random() < 0.5 for action in Q1_ACTIONS},
            q1_shared_with=rng.randint(1, 40),
            q2_utilization=sentence.format(index),
            q3_direct_effects=rng.random() < 0.5,
            q3_text=sentence.format(index),
            q4_contributed=rng.random() < 0.9,
            q4_text=sentence.format(index),
            q5_new_project=rng.random() < 0.6,
            q5_text=sentence.format(index),
        )
        for index, participant in enumerate(rng.sample(participants, replies))
    )
    edition = edition_for(fiscal_year)
    answers = ["q2_utilization", "q3_text", "q4_text", "q5_text", "q2_utilization", "q2_utilization"]
    sections = list(Section.values)
    replies_of_year = Response.objects.filter(participant__workshop__fiscal_year=fiscal_year)
    Quote.objects.bulk_create(
        Quote(
            edition=edition,
            response=response,
            answer=answers[index % 6],
            excerpt=getattr(response, answers[index % 6]),
            section=sections[index % 6],
            order=index,
        )
        for index, response in enumerate(replies_of_year[:quotes])
    )


def measure(fiscal_year: int, label: str, client: Client) -> None:
    # Our code: figures + context + HTML; WeasyPrint: layout and PDF of that same HTML.
    started = time.perf_counter()
    context = pdf.report_context(fiscal_year)
    html = pdf.render_html(context)
    ours = time.perf_counter() - started
    started = time.perf_counter()
    document = pdf.html_to_pdf(html)
    weasy = time.perf_counter() - started
    total = ours + weasy
    path = pdf.render_report(fiscal_year)  # keep it, for the download figures
    url = reverse("reports:report_pdf_download", args=[fiscal_year])
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        response = client.get(url)
        b"".join(response.streaming_content)
        timings.append(time.perf_counter() - started)
    assert response.status_code == 200 and path.exists()
    print(
        f"{label:<34} total {total:6.2f} s | WeasyPrint alone {weasy:6.2f} s | our code {ours:5.2f} s "
        f"({ours / total:4.0%}) | {len(document) / 1024:5.0f} KiB | kept download median "
        f"{statistics.median(timings) * 1000:5.1f} ms, max {max(timings) * 1000:5.1f} ms"
    )


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)
    large_fiscal_year()
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="staff"))
    import importlib.util

    if importlib.util.find_spec("reports.figures") is None:
        from tests.reports.conftest import small_report_data

        print("NOTE: reports.figures is not there yet: the tables are a small stand-in, figures are not final")
        pdf.compute_data = lambda fiscal_year: small_report_data()
    pdf.html_to_pdf("<p>warm up</p>")  # the first WeasyPrint call loads fonts: not part of a report's cost
    print("aims: large FY < 5 s in all, our code < 20 % of it, kept download < 100 ms")
    measure(2019, "demo FY2019/20 (4 workshops)", client)
    measure(2021, "large FY2021/22 (20 ws, 400 replies)", client)


if __name__ == "__main__":
    main()
