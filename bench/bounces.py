"""Benchmark: one bounce pass over 10,000 reports (RFC 3464, qmail and Exim formats in turn, each about a message of
the log; every tenth a forgery, delivered to another message's id with a wrong signature) in a local Dovecot IMAP
mailbox: read over IMAP, parsed, matched, recorded, deleted (the forgeries tagged and left). The aims: under 60 s,
and memory that does not grow with the mailbox (the pass reads it in chunks): the peak resident size is printed.
Then, side by side on the same rows, the recording alone: one UPDATE per report against record_bounces.

    .venv/bin/python bench/bounces.py [--reports 10000]

Uses DATABASE_URL when set (PostgreSQL recommended), else a SQLite file in a temporary folder. Needs Dovecot
(bin/test installs dovecot-imapd) and root, as the integration tests do.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
AIM_SECONDS = 60
FORGED_EVERY = 10


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=10000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="rocbap-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}")
    os.environ.update(
        VAR_DIR=str(folder / "var"),
        DJANGO_SETTINGS_MODULE="rocbap.settings",
        LOG_LEVEL="WARNING",
        DEFAULT_FROM_EMAIL="ROCB A/P Follow-Up Survey <survey@rocbap.example.org>",
    )

    from tests.integration.servers import Dovecot

    dovecot = Dovecot()
    try:
        os.environ["BOUNCE_IMAP_URL"] = dovecot.url
        run(args, dovecot)
    finally:
        dovecot.stop()


def run(args, dovecot) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from surveys.mail.emails import build_email, return_path
    from surveys.models import Message, MessageKind, MessageStatus
    from tests.surveys import bounce_reports
    from workshops.models import MemberAdministration, Participant, Workshop

    Message.objects.all().delete()
    Workshop.objects.filter(code="BENCH-BOUNCES").delete()
    today = timezone.localdate()
    workshop = Workshop.objects.create(
        code="BENCH-BOUNCES",
        title="WCO Regional Workshop on Benchmarks",
        scope="regional",
        start_date=today,
        end_date=today,
        invitation_date_override=today,
    )
    administration = MemberAdministration.objects.get(code="FJ")
    participants = Participant.objects.bulk_create(
        Participant(workshop=workshop, name=f"P{n}", email=f"p{n}@members.example.net", administration=administration)
        for n in range(args.reports)
    )
    messages = Message.objects.bulk_create(
        Message(
            participant=participant,
            kind=MessageKind.INVITATION,
            status=MessageStatus.SENT,
            sent_at=timezone.now(),
            to_email=participant.email,
        )
        for participant in participants
    )
    formats = list(bounce_reports.FORMATS.values())
    # The same pass over the empty mailbox: the memory a pass takes whatever the mailbox holds.
    _, baseline = pass_in_child(ROOT)
    started = time.perf_counter()
    size, forged = 0, 0
    for start in range(0, len(messages), 500):
        reports = []
        for index, message in enumerate(messages[start : start + 500], start=start):
            original = build_email(message, today).message().as_bytes(linesep="\r\n")
            deliver_to = return_path(message.pk)
            if index % FORGED_EVERY == FORGED_EVERY - 1:
                # Another message's id with this one's signature: refused.
                deliver_to = deliver_to.replace(f"+{message.pk}.", f"+{messages[index - 1].pk}.")
                forged += 1
            reports.append(formats[index % len(formats)](original, message.to_email, deliver_to))
        size += sum(len(report) for report in reports)
        dovecot.file(reports)
    del reports
    gc.collect()
    prepared = time.perf_counter() - started

    elapsed, peak = pass_in_child(ROOT)
    result = (Message.objects.exclude(bounce="").count(), len(dovecot.inbox()))
    assert result == (args.reports - forged, forged), result
    assert Participant.objects.undeliverable().count() == args.reports - forged

    print(
        f"reports: {args.reports} (RFC 3464, qmail, Exim in turn; {size / args.reports / 1024:.1f} KiB each on "
        f"average), {forged} of them forged"
    )
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[1]}")
    print(f"writing them into the mailbox (not part of the figure): {prepared:.1f} s")
    print(f"bounce pass (read, parse, match, record, delete): {elapsed:.2f} s  {args.reports / elapsed:.0f} reports/s")
    print(
        f"peak resident size of the pass's process: {baseline:.0f} MiB over an empty mailbox, "
        f"{peak:.0f} MiB over this one"
    )
    print(f"aim: under {AIM_SECONDS} s: {'met' if elapsed < AIM_SECONDS else 'MISSED'}")
    compare_recording([m for index, m in enumerate(messages) if index % FORGED_EVERY != FORGED_EVERY - 1])


class StatementCount:
    """Counts the statements sent to the database (a connection's execute wrapper)."""

    def __init__(self) -> None:
        self.statements = 0

    def __call__(self, execute, sql, params, many, context):
        self.statements += 1
        return execute(sql, params, many, context)


def compare_recording(messages) -> None:
    """Recording the counted reports alone, side by side on the same rows: one conditional UPDATE per report (the
    message, then its participant: how earlier versions recorded) against MessageQuerySet.record_bounces, a chunk
    at a time as the pass hands them over. Each starts from the same unmarked rows."""
    from django.db import connection
    from django.utils import timezone

    from surveys.mail.bounces import CHUNK
    from surveys.models import Bounce, Message
    from workshops.models import Participant

    reports = [(message.pk, Bounce.HARD, f"550 5.1.1 <{message.to_email}>: User unknown") for message in messages]
    addresses = {message.pk: (message.participant_id, message.to_email) for message in messages}

    def unmark() -> None:
        Message.objects.update(bounce="", bounced_at=None, bounce_detail="")
        Participant.objects.update(undeliverable_since=None, undeliverable_reason="")

    def one_by_one(chunk, now) -> None:
        for pk, bounce, detail in chunk:
            Message.objects.filter(pk=pk).exclude(bounce=bounce).update(
                bounce=bounce, bounced_at=now, bounce_detail=detail
            )
            participant, address = addresses[pk]
            Participant.objects.filter(pk=participant, email__iexact=address, undeliverable_since__isnull=True).update(
                undeliverable_since=now, undeliverable_reason=detail
            )

    def in_bulk(chunk, now) -> None:
        Message.objects.record_bounces(chunk, now)

    figures = {}
    for name, record in (("one UPDATE per report", one_by_one), ("record_bounces", in_bulk)):
        unmark()
        now = timezone.now()
        counted = StatementCount()
        with connection.execute_wrapper(counted):
            started = time.perf_counter()
            for start in range(0, len(reports), CHUNK):
                record(reports[start : start + CHUNK], now)
            figures[name] = (time.perf_counter() - started, counted.statements)
        assert Participant.objects.undeliverable().count() == len(reports), name
    print(f"recording {len(reports)} counted reports, {CHUNK} a chunk, on the same rows:")
    for name, (seconds, statements) in figures.items():
        print(f"  {name}: {seconds:.2f} s, {statements} statements")
    (slow, _), (fast, _) = figures.values()
    print(f"  ratio: {slow / fast:.1f}x faster")


# A pass as production runs it, in a process of its own, printing its time and the process's peak resident size
# (VmHWM: counted from the start of the program, unlike a child's ru_maxrss, which includes its parent's at fork).
CHILD = """
import os
import time
import django
django.setup()
from surveys.mail.bounces import process_bounces
started = time.perf_counter()
if os.environ.get("BENCH_PROFILE"):  # where the time goes: a cProfile file of the pass
    import cProfile
    cProfile.run("process_bounces()", os.environ["BENCH_PROFILE"])
else:
    process_bounces()
elapsed = time.perf_counter() - started
peak = open("/proc/self/status").read().split("VmHWM:")[1].split()[0]
print(elapsed, int(peak) / 1024)
"""


def pass_in_child(root: Path) -> tuple[float, float]:
    """(seconds, peak MiB) of one pass in a process of its own."""
    import subprocess

    out = subprocess.run([sys.executable, "-c", CHILD], cwd=root, check=True, capture_output=True, text=True).stdout
    seconds, peak = out.split()
    return float(seconds), float(peak)


if __name__ == "__main__":
    main()
