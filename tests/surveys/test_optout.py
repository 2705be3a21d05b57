"""The opt-out link in every e-mail: signed, confirmed by a button, one-click for mail clients."""

import pytest
from django.core import mail

from surveys.mail.optout import optout_url
from surveys.mail.sending import run_pass
from tests.helpers import INVITATION, REMINDER_1, at

pytestmark = pytest.mark.django_db


def path_of(url: str) -> str:
    return url.removeprefix("http://127.0.0.1:8000")


def test_get_confirms_post_opts_out(client, participant_factory, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    participant = participant_factory()
    url = path_of(optout_url(participant))
    page = client.get(url)
    assert page.status_code == 200 and b"Send me no more e-mail" in page.content
    participant.refresh_from_db()
    assert participant.opted_out_at is None  # a GET (a link scanner) changes nothing
    page = client.post(url)
    assert page.status_code == 200 and b"You will receive no more e-mail" in page.content
    participant.refresh_from_db()
    assert participant.opted_out_at is not None


def test_one_click_post_without_csrf_token(participant_factory, settings):
    from django.test import Client

    settings.SITE_URL = "http://127.0.0.1:8000"
    participant = participant_factory()
    response = Client(enforce_csrf_checks=True).post(
        path_of(optout_url(participant)), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    participant.refresh_from_db()
    assert participant.opted_out_at is not None


@pytest.mark.parametrize("signed", ["1", "tampered:abc:def", "x" * 80])
def test_forged_links_are_refused(client, participant_factory, signed):
    participant_factory()
    assert client.post(f"/o/{signed}/").status_code == 404


def test_the_link_in_the_invitation_stops_later_messages(client, workshop_factory, participant_factory, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    workshop = workshop_factory()
    leaver, stayer = participant_factory(workshop=workshop), participant_factory(workshop=workshop)
    run_pass(at(INVITATION), in_process=True)
    [invitation] = [m for m in mail.outbox if m.to == [leaver.email]]
    unsubscribe = invitation.extra_headers["List-Unsubscribe"].split(",")[0].strip("<> ")
    assert unsubscribe in invitation.body
    assert client.post(path_of(unsubscribe)).status_code == 200
    mail.outbox.clear()
    run_pass(at(REMINDER_1), in_process=True)
    assert {m.to[0] for m in mail.outbox} == {stayer.email}
