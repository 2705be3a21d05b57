"""Benchmark: one bounce pass over 1,000 reports (RFC 3464, qmail and Exim formats in turn, each about a message of
the log) in a local Dovecot IMAP mailbox: read over IMAP, parsed, matched, recorded, deleted. The aim: under 30 s.

    .venv/bin/python bench/bounces.py [--reports 1000]

Uses DATABASE_URL when set (PostgreSQL recommended), else a SQLite file in a temporary folder. Needs Dovecot
(bin/test installs dovecot-imapd) and root, as the integration tests do.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
AIM_SECONDS = 30


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1000)
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
    from surveys.mail.bounces import process_bounces
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
    started = time.perf_counter()
    reports = [
        formats[index % len(formats)](
            build_email(message, today).message().as_bytes(linesep="\r\n"), message.to_email, return_path(message.pk)
        )
        for index, message in enumerate(messages)
    ]
    dovecot.append(reports)
    prepared = time.perf_counter() - started

    started = time.perf_counter()
    result = process_bounces()
    elapsed = time.perf_counter() - started
    assert result.read == args.reports and result.unmatched == 0, result
    assert Participant.objects.undeliverable().count() == args.reports
    assert dovecot.inbox() == []

    size = sum(len(report) for report in reports) / len(reports)
    print(f"reports: {args.reports} (RFC 3464, qmail, Exim in turn; {size / 1024:.1f} KiB each on average)")
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[1]}")
    print(f"writing them into the mailbox (not part of the figure): {prepared:.1f} s")
    print(f"bounce pass (read, parse, match, record, delete): {elapsed:.2f} s  {args.reports / elapsed:.0f} reports/s")
    print(f"aim: under {AIM_SECONDS} s: {'met' if elapsed < AIM_SECONDS else 'MISSED'}")


if __name__ == "__main__":
    main()
