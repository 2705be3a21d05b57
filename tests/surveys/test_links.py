from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from surveys.questionnaire.links import participant_for_token, questionnaire_url

pytestmark = pytest.mark.django_db


def test_link_is_site_url_plus_an_unguessable_token(settings, participant):
    settings.SITE_URL = "https://survey.example.org"
    link = questionnaire_url(participant)
    assert link == f"https://survey.example.org/r/{participant.token}/"
    assert len(participant.token) >= 43


def test_command_prints_the_full_link(participant):
    out = io.StringIO()
    call_command("participant_link", workshop=participant.workshop.code, email=participant.email.upper(), stdout=out)
    assert out.getvalue().strip() == questionnaire_url(participant)


def test_command_revoke_replaces_the_link(participant):
    old_token = participant.token
    out = io.StringIO()
    call_command(
        "participant_link", "--revoke", workshop=participant.workshop.code, email=participant.email, stdout=out
    )
    participant.refresh_from_db()
    assert participant.token != old_token
    assert out.getvalue().strip() == questionnaire_url(participant)
    assert participant_for_token(old_token) is None


def test_command_unknown_participant_is_a_clear_error(participant):
    with pytest.raises(CommandError, match="No participant"):
        call_command("participant_link", workshop=participant.workshop.code, email="nobody@example.org")


class TestAdmin:
    def test_participant_page_and_inline_show_the_link(self, staff_client, participant):
        link = questionnaire_url(participant)
        page = staff_client.get(reverse("admin:workshops_participant_change", args=[participant.pk]))
        assert link in page.content.decode()
        page = staff_client.get(reverse("admin:workshops_workshop_change", args=[participant.workshop.pk]))
        assert link in page.content.decode()

    def test_revoke_button_replaces_the_link(self, staff_client, participant, client):
        old_url = reverse("surveys:questionnaire", args=[participant.token])
        change_url = reverse("admin:workshops_participant_change", args=[participant.pk])
        form = {
            "name": participant.name,
            "email": participant.email,
            "workshop": participant.workshop.pk,
            "administration": participant.administration.pk,
            "language": participant.language,
            "_revoke_link": "1",
            # the message log inline's management form, as the browser sends it
            "messages-TOTAL_FORMS": "0",
            "messages-INITIAL_FORMS": "0",
        }
        page = staff_client.post(change_url, form, follow=True)
        participant.refresh_from_db()
        assert questionnaire_url(participant) in page.content.decode()
        assert client.get(old_url).status_code == 404
        assert client.get(reverse("surveys:questionnaire", args=[participant.token])).status_code == 200

    def test_revoke_action(self, staff_client, participant):
        old_token = participant.token
        staff_client.post(
            reverse("admin:workshops_participant_changelist"),
            {"action": "revoke_links", "_selected_action": [participant.pk]},
        )
        participant.refresh_from_db()
        assert participant.token != old_token


@pytest.mark.parametrize("token", ["", "a\x00b", "A" * 65, "ab/cd", "é" * 10, "abc\n"])
def test_a_token_of_another_shape_is_unknown_without_asking_the_database(token, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert participant_for_token(token) is None


def test_the_lookup_reads_what_the_page_needs_in_one_query(participant, django_assert_num_queries):
    from django.utils import timezone

    from surveys.models import Response, Status
    from surveys.questionnaire import rounds

    with django_assert_num_queries(1):
        found = participant_for_token(participant.token)
        assert (found.pk, found.name, found.workshop.title, found.administration.name) == (
            participant.pk,
            participant.name,
            participant.workshop.title,
            participant.administration.name,
        )
        assert found.round_closed is False
        with pytest.raises(Response.DoesNotExist):
            found.response  # noqa: B018 - read with the participant: no reply, and no query to say so
    submitted = timezone.now()
    Response.objects.create(
        participant=participant, status=Status.SUBMITTED, submitted_at=submitted, q1_shared_with=7, q3_text="Yes."
    )
    rounds.close(participant.workshop.fiscal_year)
    with django_assert_num_queries(1):
        found = participant_for_token(participant.token)
        reply = found.response
        assert (reply.q1_shared_with, reply.q3_text, reply.submitted_at, reply.is_reply) == (7, "Yes.", submitted, True)
        assert found.round_closed is True
    assert participant_for_token("no-such-token") is None
