"""Erasing personal data on request (admin action) and for retention (purge_personal_data): the reply stays."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from surveys.models import Message, MessageKind, MessageStatus, Response, Status
from surveys.privacy import ERASED_NAME, erase_personal_data, is_erased
from workshops.models import Participant


@pytest.fixture
def replied(participant_factory):
    participant = participant_factory(name="Jane Doe", email="jane.doe@customs.gov.fj")
    Response.objects.create(
        participant=participant,
        contact_email="jane.private@example.org",
        status=Status.SUBMITTED,
        submitted_at=timezone.now(),
        q1_shared_materials=True,
        q2_utilization="Shared the AEO guide.",
        q3_direct_effects=True,
    )
    return participant


@pytest.mark.django_db
def test_erase_keeps_the_reply_and_the_administration(replied):
    old_token = replied.token
    assert erase_personal_data(replied) is True
    participant = Participant.objects.get(pk=replied.pk)
    assert participant.name == ERASED_NAME
    assert participant.email == f"participant-{participant.pk}@erased.invalid"
    assert participant.token != old_token
    assert participant.opted_out_at is not None
    assert participant.administration.code == "FJ"
    reply = Response.objects.get(participant=participant)
    assert reply.status == Status.SUBMITTED
    assert reply.q2_utilization == "Shared the AEO guide."
    assert reply.contact_email == ""
    assert Response.objects.replies().filter(participant__workshop=participant.workshop).count() == 1
    assert erase_personal_data(participant) is False  # twice is harmless


@pytest.mark.django_db
def test_erase_blanks_the_address_in_the_message_log(replied):
    Message.objects.create(
        participant=replied,
        kind=MessageKind.INVITATION,
        status=MessageStatus.FAILED,
        to_email=replied.email,
        error="550 5.1.1 <jane.doe@customs.gov.fj>: mailbox unknown",
        body=f"Dear {replied.name},\n\nyour link: https://survey.example.org/r/{replied.token}/",
        bounce="hard",
        bounce_detail="Status: 5.1.1; Diagnostic-Code: smtp; 550 5.1.1 <jane.doe@customs.gov.fj>: User unknown",
    )
    replied.undeliverable_since = timezone.now()
    replied.undeliverable_reason = "550 5.1.1 <jane.doe@customs.gov.fj>: User unknown"
    replied.save()
    erase_personal_data(replied)
    message = Message.objects.get(participant=replied)
    assert message.to_email.endswith("@erased.invalid")
    assert "jane.doe" not in message.error
    assert message.error.startswith("550 5.1.1")
    # The text as sent named the person and carried their link; the bounce report quoted the address.
    assert message.body == "" and "jane.doe" not in message.bounce_detail
    replied.refresh_from_db()
    assert replied.undeliverable_reason == "" and not replied.undeliverable


@pytest.mark.django_db
def test_old_link_stops_working(client, replied):
    url = reverse("surveys:questionnaire", args=[replied.token])
    erase_personal_data(replied)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_placeholders_are_unique_per_participant_in_one_workshop(participant_factory, workshop_factory):
    workshop = workshop_factory()
    first, second = participant_factory(workshop=workshop), participant_factory(workshop=workshop)
    erase_personal_data(first)
    erase_personal_data(second)
    assert first.email != second.email


@pytest.mark.django_db
def test_admin_action_confirms_then_erases_and_records_history(staff_client, replied):
    changelist = reverse("admin:workshops_participant_changelist")
    # An edit made before erasure has the name in its history label; erasure relabels it.
    edit = staff_client.post(
        reverse("admin:workshops_participant_change", args=[replied.pk]),
        {
            "workshop": replied.workshop.pk,
            "name": "Jane Doe",
            "email": replied.email,
            "administration": replied.administration.pk,
            "language": replied.language,
            "messages-TOTAL_FORMS": "0",
            "messages-INITIAL_FORMS": "0",
        },
    )
    assert edit.status_code == 302
    assert LogEntry.objects.filter(object_id=str(replied.pk), object_repr__contains="Jane").exists()
    form = {"action": "erase_personal_data", "_selected_action": [replied.pk]}
    confirmation = staff_client.post(changelist, form)
    assert confirmation.status_code == 200
    assert "cannot be undone" in confirmation.content.decode()
    assert Participant.objects.get(pk=replied.pk).name == "Jane Doe"  # nothing erased before "yes"

    done = staff_client.post(changelist, {**form, "confirm": "yes"}, follow=True)
    assert "Personal data of 1 participant erased" in done.content.decode()
    assert is_erased(Participant.objects.get(pk=replied.pk))
    history = LogEntry.objects.filter(object_id=str(replied.pk))
    assert any("Erased personal data" in entry.get_change_message() for entry in history)
    assert all("Jane" not in entry.object_repr for entry in history)


@pytest.mark.django_db
def test_purge_erases_only_earlier_fiscal_years(participant_factory, workshop_factory, capsys):
    old = participant_factory(workshop=workshop_factory(start_date=dt.date(2018, 8, 1), end_date=dt.date(2018, 8, 3)))
    edge = participant_factory(workshop=workshop_factory(start_date=dt.date(2019, 6, 30), end_date=dt.date(2019, 7, 2)))
    kept = participant_factory(workshop=workshop_factory(start_date=dt.date(2019, 7, 1), end_date=dt.date(2019, 7, 3)))

    call_command("purge_personal_data", "--before-fy", "2019/20", "--dry-run")
    assert "Would erase 2 participants" in capsys.readouterr().out
    assert not is_erased(Participant.objects.get(pk=old.pk))

    call_command("purge_personal_data", "--before-fy", "2019/20")
    assert "Erased the personal data of 2 participants of workshops before FY2019/20" in capsys.readouterr().out
    assert is_erased(Participant.objects.get(pk=old.pk))
    assert is_erased(Participant.objects.get(pk=edge.pk))
    assert Participant.objects.get(pk=kept.pk).email == kept.email

    call_command("purge_personal_data", "--before-fy", "2019/20")
    assert "of 0 participants" in capsys.readouterr().out


@pytest.mark.django_db
def test_purge_refuses_a_bad_fiscal_year():
    with pytest.raises(CommandError, match="not a fiscal year"):
        call_command("purge_personal_data", "--before-fy", "last year")
