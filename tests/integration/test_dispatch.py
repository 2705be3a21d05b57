"""The scheduler with real parts: redis-server, Celery worker and beat processes, an aiosmtpd server,
PostgreSQL shared by the test and the workers. Faults: a worker killed mid-batch, two passes at once,
an SMTP server answering 451 for a while, and 550 for one address."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys.models import Message, MessageStatus, Response, Status
from tests.integration.servers import ROOT, wait_for
from workshops.models import MemberAdministration, Participant, Workshop

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def make_workshop(participants: int, invitation: dt.date, **fields) -> Workshop:
    workshop = Workshop.objects.create(
        code=f"IT-{invitation:%Y%m%d}-{participants}",
        title="WCO Regional Workshop on Integration",
        scope="regional",
        start_date=dt.date(2019, 12, 2),
        end_date=dt.date(2019, 12, 5),
        invitation_date_override=invitation,
        **fields,
    )
    # Transactional tests flush the rows the migrations seeded.
    administration, _ = MemberAdministration.objects.get_or_create(code="FJ", defaults={"name": "Fiji"})
    Participant.objects.bulk_create(
        Participant(workshop=workshop, name=f"P{n}", email=f"p{n}@example.org", administration=administration)
        for n in range(participants)
    )
    return workshop


def kinds_delivered(smtp) -> Counter:
    """(recipient, kind) -> deliveries, the kind read from the log row the Message-ID names."""
    deliveries = smtp.handler.deliveries()
    kinds = dict(Message.objects.filter(pk__in={pk for _, pk in deliveries}).values_list("pk", "kind"))
    counted: Counter = Counter()
    for (recipient, pk), times in deliveries.items():
        counted[(recipient, kinds[pk])] += times
    return counted


def settled() -> bool:
    return not Message.objects.filter(status=MessageStatus.PENDING).exists()


def test_beat_and_worker_run_the_cycle(start_celery, smtp, client):
    today = timezone.localdate()
    # Invited 8 days ago (within the catch-up window), due in 7 days: the first reminder is due today.
    workshop = make_workshop(6, today - dt.timedelta(days=8), due_date_override=today + dt.timedelta(days=7))
    emails = sorted(workshop.participants.values_list("email", flat=True))
    replied = workshop.participants.get(email="p0@example.org")
    Response.objects.create(participant=replied, status=Status.SUBMITTED, submitted_at=timezone.now())
    start_celery("worker")
    start_celery("beat")

    wait_for(lambda: Message.objects.filter(kind="reminder-1", status="sent").count() == 5, 60, "5 reminders")
    delivered = kinds_delivered(smtp)
    # Who replied already (before the invitation's day came) is neither invited nor reminded.
    assert {r for r, k in delivered if k == "invitation"} == set(emails) - {replied.email}
    assert {r for r, k in delivered if k == "reminder-1"} == set(emails) - {replied.email}
    assert set(delivered.values()) == {1}
    for message in smtp.handler.messages:
        link = next(
            line for line in message.get_payload()[0].get_payload(decode=True).decode().split() if "/r/" in line
        )
        assert client.get(link.removeprefix(client_base(link))).status_code == 200


def client_base(link: str) -> str:
    return link[: link.index("/r/")]


def test_worker_killed_mid_batch_loses_and_repeats_nothing(start_celery, smtp):
    workshop = make_workshop(200, timezone.localdate())
    worker = start_celery("worker")
    start_celery("beat")  # beat keeps running passes throughout: it takes the rows over once the lease expired
    # Hold the mail server's replies once 60 messages are in: each worker process then waits on the reply to
    # its next message, its earlier ones marked sent. Killed there, it leaves claimed rows to the lease.
    wait_for(lambda: smtp.handler.count() >= 60, 60, "60 messages")
    smtp.handler.hold.set()
    wait_for(lambda: smtp.handler.held >= 2, 30, "both worker processes waiting on the server")
    worker.kill()
    smtp.handler.drop_held = True
    smtp.handler.hold.clear()
    assert Message.objects.filter(status="pending").exclude(claim="").exists()  # claimed by the dead worker

    start_celery("worker")
    wait_for(settled, 90, "every message sent")
    delivered = kinds_delivered(smtp)
    assert len(delivered) == 200 and set(delivered.values()) == {1}
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    assert workshop.participants.count() == Message.objects.filter(kind="invitation").count()


def test_two_passes_at_once_send_each_message_once(celery_env, smtp):
    make_workshop(150, timezone.localdate())
    command = [sys.executable, "manage.py", "dispatch_messages"]
    env = {**__import__("os").environ, **celery_env, "REDIS_URL": ""}
    passes = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=120)[0] for p in passes]
    assert all(p.returncode == 0 for p in passes), outputs
    delivered = kinds_delivered(smtp)
    assert len(delivered) == 150 and set(delivered.values()) == {1}
    assert Message.objects.filter(status="sent").count() == 150


def test_temporary_and_permanent_smtp_errors(start_celery, smtp, staff_client):
    make_workshop(30, timezone.localdate())
    smtp.handler.refuse = {"p7@example.org"}
    smtp.handler.tempfail = True
    start_celery("worker")
    start_celery("beat")
    wait_for(lambda: smtp.handler.tempfailed >= 29, 30, "451 answers")
    assert smtp.handler.count() == 0
    smtp.handler.tempfail = False
    wait_for(settled, 60, "every message sent or failed")

    delivered = kinds_delivered(smtp)
    assert len(delivered) == 29 and set(delivered.values()) == {1}
    failed = Message.objects.get(status=MessageStatus.FAILED)
    assert failed.participant.email == "p7@example.org" and failed.error.startswith("p7@example.org: 550")
    assert Message.objects.filter(status=MessageStatus.SENT, attempts__gte=2).count() == 29  # retried after the 451
    page = staff_client.get(reverse("admin:surveys_message_changelist") + "?status__exact=failed")
    assert [m.pk for m in page.context["cl"].result_list] == [failed.pk]
    assert "550 5.1.1 No such user here" in page.content.decode()


def test_feedback_reaches_every_participant_replied_or_not(start_celery, smtp):
    today = timezone.localdate()
    workshop = make_workshop(
        4, today - dt.timedelta(days=22), due_date_override=today - dt.timedelta(days=1), feedback_date_override=today
    )
    Message.objects.bulk_create(
        Message(participant=p, kind="invitation", status=MessageStatus.SENT, sent_at=timezone.now())
        for p in workshop.participants.all()
    )
    # Three replies: the least FEEDBACK_MIN_REPLIES lets the results e-mail show figures for.
    replied = workshop.participants.get(email="p0@example.org")
    for email in ("p0@example.org", "p2@example.org", "p3@example.org"):
        Response.objects.create(
            participant=workshop.participants.get(email=email),
            status=Status.SUBMITTED,
            submitted_at=timezone.now(),
            q1_submitted_report=True,
        )
    start_celery("worker")
    start_celery("beat")
    wait_for(lambda: Message.objects.filter(kind="feedback", status="sent").count() == 4, 60, "4 feedback mails")
    delivered = kinds_delivered(smtp)
    assert {r for r, k in delivered} == set(workshop.participants.values_list("email", flat=True))
    assert set(delivered.values()) == {1}
    bodies = {m["To"]: m.get_payload()[0].get_payload(decode=True).decode() for m in smtp.handler.messages}
    assert "3 of 4 participants replied" in bodies[replied.email]
    assert f"/r/{replied.token}/" not in bodies[replied.email]
    other = workshop.participants.get(email="p1@example.org")
    assert f"/r/{other.token}/" in bodies[other.email]
