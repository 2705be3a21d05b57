from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from surveys.links import participant_for_token, questionnaire_url

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
