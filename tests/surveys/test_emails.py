"""The e-mails as participants read them; the feedback mail's results come from surveys.feedback."""

import datetime as dt

import pytest
from django.core import mail

from surveys.dispatch import run_pass
from surveys.models import Response, Status
from tests.surveys.test_dispatch import FEEDBACK, INVITATION, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(workshop_factory, participant_factory):
    w = workshop_factory(title="WCO Regional Workshop on AEO <Phase 2>")
    for code in ("FJ", "PG", "WS"):
        participant_factory(workshop=w, administration=code)
    return w


def test_plain_text_is_not_html_escaped_and_html_is(workshop, settings):
    run_pass(at(INVITATION), in_process=True)
    email = mail.outbox[0]
    assert "<Phase 2>" in email.subject and "<Phase 2>" in email.body
    assert "&lt;Phase 2&gt;" in email.alternatives[0][0]
    assert "2-5 December 2019" in email.body
    assert email.reply_to == [settings.OFFICE_EMAIL] and settings.OFFICE_EMAIL in email.body
    assert "Message-ID" in email.extra_headers


def test_feedback_carries_the_workshops_results_and_the_link_to_those_without_a_reply(workshop):
    run_pass(at(INVITATION), in_process=True)
    first, second, third = workshop.participants.order_by("pk")
    Response.objects.create(
        participant=first,
        status=Status.SUBMITTED,
        submitted_at=at(INVITATION),
        q1_submitted_report=True,
        q3_direct_effects=True,
        q4_contributed=True,
        q5_new_project=False,
    )
    Response.objects.create(
        participant=second,
        status=Status.SUBMITTED,
        submitted_at=at(INVITATION),
        q1_submitted_report=True,
        q1_manuals=True,
        q3_direct_effects=False,
        q4_contributed=True,
        q5_new_project=False,
    )
    mail.outbox.clear()
    run_pass(at(FEEDBACK), in_process=True)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email, third.email])
    by_recipient = {m.to[0]: m for m in mail.outbox}
    body = by_recipient[first.email].body
    assert "2 of 3 participants replied" in body
    assert "  2  Submitted a mission report to superiors" in body
    assert "  1  Developed/updated operation manuals, etc." in body
    assert "Direct effects observed: Yes 1, No 1" in body
    assert "New modernization project initiated: Yes 0, No 2" in body
    assert f"/r/{first.token}/" not in body  # replied: no invitation to reply
    assert f"/r/{third.token}/" in by_recipient[third.email].body
    assert "not too late" in by_recipient[third.email].body
    html = by_recipient[third.email].alternatives[0][0]
    assert "Submitted a mission report to superiors" in html and f"/r/{third.token}/" in html
    run_pass(at(FEEDBACK + dt.timedelta(days=1)), in_process=True)
    assert len(mail.outbox) == 3
