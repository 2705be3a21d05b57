"""Faults not tried by the whole-stack run (issue 25), each on its own and at a known point, with real processes on
127.0.0.1: PostgreSQL restarted while a worker is mid-batch in a dispatch pass, and the worker killed (kill -9)
mid-way through a bounce pass over a mailbox of several chunks."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter

import pytest
from django.utils import timezone

from surveys.mail.emails import build_email, return_path
from surveys.models import Bounce, Message, MessageKind, MessageStatus
from tests.integration.servers import ROOT, CeleryProcess, Dovecot, PostgreSQL, pending, query, stack_env, wait_for
from tests.surveys import bounce_reports
from workshops.models import MemberAdministration, Participant, Workshop

pytestmark = pytest.mark.integration

PARTICIPANTS = 60
SEED = f"""
import datetime as dt, django
django.setup()
from django.core.management import call_command
from django.utils import timezone
from workshops.models import MemberAdministration, Participant, Workshop
call_command("migrate", verbosity=0)
workshop = Workshop.objects.create(code="INV", title="WCO Regional Workshop INV", scope="regional",
    start_date=dt.date(2019, 12, 2), end_date=dt.date(2019, 12, 5), invitation_date_override=timezone.localdate())
administration = MemberAdministration.objects.get(code="FJ")
Participant.objects.bulk_create(Participant(workshop=workshop, name=f"P {{n}}", email=f"p{{n}}@example.org",
    administration=administration) for n in range({PARTICIPANTS}))
"""


@pytest.fixture
def database():
    cluster = PostgreSQL()
    yield cluster
    cluster.stop()


def test_postgresql_restarted_during_a_dispatch_pass_loses_and_doubles_no_message(database, redis, smtp, tmp_path):
    env = stack_env(database, redis, smtp, tmp_path)
    subprocess.run([sys.executable, "-c", SEED], cwd=ROOT, env={**os.environ, **env}, check=True, timeout=120)
    smtp.handler.delay = 0.05  # a slow server: the worker is mid-batch when the database goes
    smtp.handler.hold.set()  # and held at a known point: a message on the wire, its row not yet marked sent
    processes = [CeleryProcess("worker", env, tmp_path), CeleryProcess("beat", env, tmp_path)]
    try:
        wait_for(lambda: smtp.handler.held >= 1, 60, "the worker waiting on the server mid-batch")
        database.restart()  # every connection cut, the pass's included
        smtp.handler.hold.clear()  # the held messages are accepted: sent while the database was away
        wait_for(lambda: pending(database) == 0, 120, "every message sent", interval=0.5)
    finally:
        for process in reversed(processes):
            process.stop(graceful=False)

    rows = query(database, "SELECT m.id, p.email, m.kind, m.status FROM surveys_message m JOIN workshops_participant p "
                 "ON p.id = m.participant_id")  # fmt: skip
    deliveries = smtp.handler.deliveries()
    doubles = {key: times for key, times in deliveries.items() if times > 1}
    assert not doubles, f"delivered more than once: {doubles}"
    assert {pk for _, pk in deliveries} == {row[0] for row in rows if row[3] == "sent"}
    assert Counter((row[2], row[3]) for row in rows) == {("invitation", "sent"): PARTICIPANTS}
    assert {to for to, _ in deliveries} == {f"p{n}@example.org" for n in range(PARTICIPANTS)}
    assert smtp.handler.held >= 1


REPORTS = 1200  # three chunks of the pass


@pytest.mark.django_db(transaction=True)
def test_the_worker_killed_during_a_bounce_pass_loses_and_doubles_no_report(start_celery, celery_env, settings):
    """kill -9 once the pass has recorded its first chunk: a second worker's pass records the rest, nothing twice
    (the first chunk's marks keep their time), and the mailbox ends empty."""
    dovecot = Dovecot()
    try:
        _bounce_pass_killed_and_run_again(dovecot, start_celery, celery_env, settings)
    finally:
        dovecot.stop()


def _bounce_pass_killed_and_run_again(dovecot, start_celery, celery_env, settings) -> None:
    bounce_env = {"BOUNCE_IMAP_URL": dovecot.url, "BOUNCE_ADDRESS": "bounces@rocbap.example.org"}
    settings.BOUNCE_ADDRESS = bounce_env["BOUNCE_ADDRESS"]
    MemberAdministration.objects.get_or_create(code="FJ", defaults={"name": "Fiji"})
    today = timezone.localdate()
    workshop = Workshop.objects.create(
        code="BNC", title="Bounces", scope="regional", start_date=today, end_date=today, invitation_date_override=today
    )
    administration = MemberAdministration.objects.get(code="FJ")
    participants = Participant.objects.bulk_create(
        Participant(workshop=workshop, name=f"P{n}", email=f"p{n}@members.example.net", administration=administration)
        for n in range(REPORTS)
    )
    messages = Message.objects.bulk_create(
        Message(participant=p, kind=MessageKind.INVITATION, status=MessageStatus.SENT, sent_at=timezone.now(),
                to_email=p.email)
        for p in participants
    )  # fmt: skip
    formats = list(bounce_reports.FORMATS.values())
    dovecot.file(
        [
            formats[n % len(formats)](
                build_email(message, today).message().as_bytes(), message.to_email, return_path(message.pk)
            )
            for n, message in enumerate(messages)
        ]
    )
    env = {**os.environ, **celery_env, **bounce_env, "DJANGO_SETTINGS_MODULE": "rocbap.settings"}
    queue = "import django; django.setup(); from surveys.tasks import process_bounces; process_bounces.delay()"

    worker = start_celery("worker", **bounce_env)
    subprocess.run([sys.executable, "-c", queue], cwd=ROOT, env=env, check=True, timeout=60)
    wait_for(lambda: Message.objects.exclude(bounce="").exists(), 120, "the pass to record its first chunk")
    worker.kill()
    first = dict(Message.objects.exclude(bounce="").values_list("pk", "bounced_at"))
    assert 0 < len(first) < REPORTS, "killed mid-pass"

    start_celery("worker", **bounce_env)
    subprocess.run([sys.executable, "-c", queue], cwd=ROOT, env=env, check=True, timeout=60)
    wait_for(lambda: not Message.objects.filter(bounce="").exists(), 180, "the second pass to record the rest")
    wait_for(lambda: dovecot.inbox() == [], 60, "the mailbox emptied")

    assert Counter(Message.objects.values_list("bounce", flat=True)) == {Bounce.HARD: REPORTS}
    assert Participant.objects.undeliverable().count() == REPORTS
    # Counted once: what the first pass recorded keeps its mark and time, whether or not its reports were still in
    # the mailbox when the worker died.
    assert dict(Message.objects.filter(pk__in=first).values_list("pk", "bounced_at")) == first
