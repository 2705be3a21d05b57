"""Faults across the whole stack, in one run: gunicorn + PostgreSQL + redis-server + a Celery worker and beat +
aiosmtpd, all real processes on 127.0.0.1. Participants submit their replies from parallel threads while the SMTP
server answers 451 for a while, redis-server is restarted, the worker is killed with kill -9 mid-batch and started
again, and PostgreSQL is restarted. A participant whose submit hits an outage reloads the page and submits again,
as a person would. Afterwards every reply is stored once, and every message due is delivered exactly once.

The test owns its PostgreSQL cluster (it restarts it), so it does not use the suite's test database.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest

from tests.integration.participants import SimulatedParticipant, marker
from tests.integration.servers import ROOT, CeleryProcess, Gunicorn, PostgreSQL, pending, query, stack_env, wait_for

pytestmark = pytest.mark.integration

INVITED_TODAY = 100  # workshop whose invitations are due today; all but 20 reply
REMINDED_TODAY = 40  # workshop invited 8 days ago, first reminder due today; all but 10 reply
SILENT = 20, 10

SEED = """
import datetime as dt, json, django
django.setup()
from django.core.management import call_command
from django.utils import timezone
from surveys.models import Message, MessageStatus
from workshops.models import MemberAdministration, Participant, Workshop
call_command("migrate", verbosity=0)
today = timezone.localdate()
tokens = {}
for code, count, invitation, due in (
    ("INV", %(invited)d, today, None),
    ("REM", %(reminded)d, today - dt.timedelta(days=8), today + dt.timedelta(days=7)),
):
    workshop = Workshop.objects.create(code=code, title=f"WCO Regional Workshop {code}", scope="regional",
        start_date=dt.date(2019, 12, 2), end_date=dt.date(2019, 12, 5),
        invitation_date_override=invitation, due_date_override=due)
    administration = MemberAdministration.objects.get(code="FJ")
    Participant.objects.bulk_create(Participant(workshop=workshop, name=f"{code} {n}",
        email=f"{code.lower()}{n}@example.org", administration=administration) for n in range(count))
    if code == "REM":  # their invitations went out 8 days ago
        Message.objects.bulk_create(Message(participant=p, kind="invitation", status=MessageStatus.SENT,
            sent_at=timezone.now() - dt.timedelta(days=8)) for p in workshop.participants.all())
    tokens[code] = list(workshop.participants.order_by("pk").values_list("email", "token"))
print(json.dumps(tokens))
"""


@pytest.fixture
def database():
    cluster = PostgreSQL()
    yield cluster
    cluster.stop()


class Participants:
    """Threads taking participants from a queue; each replies, retrying through outages."""

    def __init__(self, base: str, threads: int = 4) -> None:
        self.base = base
        self.todo: queue.Queue = queue.Queue()
        self.done: list[tuple[SimulatedParticipant, bool]] = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._work, daemon=True) for _ in range(threads)]
        for thread in self.threads:
            thread.start()

    def release(self, participants: list[SimulatedParticipant]) -> None:
        for participant in participants:
            self.todo.put(participant)

    def _work(self) -> None:
        while (participant := self.todo.get()) is not None:
            # Up to a minute of reloading and submitting again, half a second apart.
            ok = participant.reply(tries=120, pause=0.5)
            with self.lock:
                self.done.append((participant, ok))
            time.sleep(0.1)  # the next person

    def finish(self, timeout: float) -> None:
        for _ in self.threads:
            self.todo.put(None)
        for thread in self.threads:
            thread.join(timeout)
        assert not any(thread.is_alive() for thread in self.threads), "participants still submitting"

    def attempts_between(self, start: float, end: float) -> Counter:
        with self.lock:
            attempts = [a for p, _ in self.done for a in p.attempts]
        return Counter(a.status for a in attempts if a.started < end and a.started + a.seconds > start)


def test_no_reply_or_message_lost_or_doubled_through_faults(database, redis, smtp, tmp_path, collected_static):
    env = stack_env(database, redis, smtp, tmp_path)
    seeded = subprocess.run(
        [sys.executable, "-c", SEED % {"invited": INVITED_TODAY, "reminded": REMINDED_TODAY}],
        cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    tokens = json.loads(seeded.stdout)
    smtp.handler.tempfail = True  # (d) SMTP refuses from the start, for a while
    web = Gunicorn(env, tmp_path, workers=2, static_root=collected_static)
    processes = [CeleryProcess("worker", env, tmp_path), CeleryProcess("beat", env, tmp_path)]
    replying = [
        SimulatedParticipant(web.url, token, number)
        for code, silent in zip(("INV", "REM"), SILENT, strict=True)
        for number, (_, token) in enumerate(tokens[code][silent:], start=silent + (1000 if code == "REM" else 0))
    ]
    waves = [replying[i::5] for i in range(5)]  # one wave of participants per fault, and one after
    participants = Participants(web.url)
    windows: dict[str, tuple[float, float]] = {}
    try:
        # (d) 451 for every recipient while the first participants submit.
        start = time.monotonic()
        participants.release(waves[0])
        wait_for(lambda: smtp.handler.tempfailed >= 30, 60, "451 answers")

        # (b) redis-server restarted (empty: the queued batches are gone; their claims expire and are taken again).
        participants.release(waves[1])
        tempfailed = smtp.handler.tempfailed
        redis.restart()
        wait_for(lambda: smtp.handler.tempfailed > tempfailed + 10, 60, "worker and beat back on the new redis")
        smtp.handler.tempfail = False
        windows["SMTP 451 + redis restart"] = (start, time.monotonic())

        # (a) the worker killed with kill -9 while both its processes wait on the SMTP server, then started again.
        start = time.monotonic()
        participants.release(waves[2])
        smtp.handler.delay = 0.05  # a slow server: the worker is mid-batch through the next faults
        wait_for(lambda: smtp.handler.count() >= 30, 60, "30 messages delivered")
        smtp.handler.hold.set()
        wait_for(lambda: smtp.handler.held >= 1, 30, "the worker waiting on the server")
        processes[0].kill()
        smtp.handler.drop_held = True
        smtp.handler.hold.clear()
        processes[0] = CeleryProcess("worker", env, tmp_path)
        delivered = smtp.handler.count()
        wait_for(lambda: smtp.handler.count() >= delivered + 5, 60, "the new worker sending")
        windows["worker kill -9"] = (start, time.monotonic())

        # (c) PostgreSQL restarted while participants submit and the worker sends.
        start = time.monotonic()
        participants.release(waves[3])
        time.sleep(0.5)
        database.restart()
        windows["PostgreSQL restart"] = (start, time.monotonic() + 1)

        participants.release(waves[4])
        participants.finish(timeout=120)
        wait_for(lambda: pending(database) == 0, 90, "every message sent", interval=0.5)
    finally:
        for process in reversed(processes):
            process.stop(graceful=False)  # the counts below are read from the database and the SMTP server
        web.stop()

    # --- the replies: every participant who submitted has one submitted reply holding their answers ------------
    gave_up = [p.number for p, ok in participants.done if not ok]
    assert not gave_up, f"participants who could not submit: {gave_up}"
    assert len(participants.done) == len(replying)
    rows = query(
        database,
        "SELECT p.email, p.token, count(r.id), max(r.status), max(r.q2_utilization) FROM workshops_participant p "
        "LEFT JOIN surveys_response r ON r.participant_id = p.id GROUP BY p.id",
    )
    by_token = {token: (email, count, status, text) for email, token, count, status, text in rows}
    for participant in replying:
        email, count, status, text = by_token[participant.token]
        assert (count, status, text) == (1, "submitted", marker(participant.number)), email
    silent_tokens = {token for code, n in zip(("INV", "REM"), SILENT, strict=True) for _, token in tokens[code][:n]}
    assert all(by_token[token][1] == 0 for token in silent_tokens)

    # --- the messages: every due message delivered exactly once, each delivery a row marked sent --------------
    messages = query(
        database,
        "SELECT m.id, p.email, w.code, m.kind, m.status, m.attempts, r.status FROM surveys_message m "
        "JOIN workshops_participant p ON p.id = m.participant_id JOIN workshops_workshop w ON w.id = p.workshop_id "
        "LEFT JOIN surveys_response r ON r.participant_id = p.id",
    )
    deliveries = smtp.handler.deliveries()  # (recipient, message row) -> times delivered
    delivered_rows = Counter()
    for (_, pk), times in deliveries.items():
        delivered_rows[pk] += times
    doubles = {pk: n for pk, n in delivered_rows.items() if n > 1}
    assert not doubles, f"messages delivered more than once: {doubles}"
    sent_now = {m[0] for m in messages if m[4] == "sent" and not (m[2] == "REM" and m[3] == "invitation")}
    assert set(delivered_rows) == sent_now, "a delivery without its row marked sent, or a row sent but not delivered"
    assert not [m for m in messages if m[4] in ("pending", "failed")]

    # Everybody invited today got the invitation, unless they had replied before it went out (through their link,
    # which the test hands them at once): then it was not planned, or skipped at send time.
    invited_today = {f"inv{n}@example.org" for n in range(INVITED_TODAY)}
    replied = {email for email, _, status, _ in by_token.values() if status == "submitted"}
    invitation_rows = [m for m in messages if m[2] == "INV" and m[3] == "invitation"]
    invitations = Counter(m[1] for m in invitation_rows if m[4] == "sent")
    assert set(invitations) | (replied & invited_today) == invited_today
    assert set(invitations.values()) == {1}
    assert all(m[4] == "sent" or (m[4] == "skipped" and m[6] == "submitted") for m in invitation_rows)
    reminders = [m for m in messages if m[2] == "REM" and m[3] == "reminder-1"]
    silent_reminded = {m[1] for m in reminders if m[4] == "sent" and m[6] is None}
    assert silent_reminded == {f"rem{n}@example.org" for n in range(SILENT[1])}
    # A reminder skipped at send time belongs to somebody who had replied by then.
    assert all(m[6] == "submitted" for m in reminders if m[4] == "skipped")
    recipients = Counter((m[1], m[3]) for m in messages if m[4] == "sent")
    assert set(recipients.values()) == {1}

    # --- the counts ---------------------------------------------------------------------------------------------
    statuses = Counter(a.status for p, _ in participants.done for a in p.attempts)
    print(f"\nreplies stored: {len(replying)} of {len(replying)} participants who submitted, once each")
    print(f"requests by status: {dict(sorted(statuses.items()))} (0: no answer, 5xx: during an outage, retried)")
    for name, (begin, end) in windows.items():
        print(f"  during {name}: {dict(sorted(participants.attempts_between(begin, end).items()))}")
    kinds = Counter((m[2], m[3], m[4]) for m in messages)
    print(f"message rows: {dict(sorted(kinds.items()))}")
    print(
        f"SMTP: {sum(deliveries.values())} delivered to {len({r for r, _ in deliveries})} recipients, "
        f"none twice; {smtp.handler.tempfailed} answered 451; {smtp.handler.held} held when the worker was killed"
    )
    assert statuses[200] >= len(replying) and sum(n for s, n in statuses.items() if s == 302) >= len(replying)
