"""The staff roles: groups made by migration, permissions applied after migrate, and what each role may do."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from workshops.roles import REPORT_VIEWERS, ROLES, SURVEY_MANAGERS, apply_role_permissions


def _codenames(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


@pytest.mark.django_db
def test_migrate_creates_both_groups_with_their_permissions():
    managers = _codenames(SURVEY_MANAGERS)
    viewers = _codenames(REPORT_VIEWERS)
    assert {"workshops.change_workshop", "workshops.change_participant", "reports.change_quote"} <= managers
    assert "surveys.view_response" in managers
    assert {"workshops.view_workshop", "surveys.view_response", "reports.view_reportedition"} <= viewers
    assert not [codename for codename in viewers if not codename.split(".")[1].startswith("view_")]
    # No participant list (e-mail addresses) for report viewers.
    assert "workshops.view_participant" not in viewers


@pytest.mark.django_db
def test_permissions_are_reapplied_exactly_by_codename():
    group = Group.objects.get(name=REPORT_VIEWERS)
    group.permissions.add(Permission.objects.get(codename="delete_workshop"))
    group.permissions.remove(Permission.objects.get(codename="view_response"))
    apply_role_permissions(Group, Permission)
    viewers = _codenames(REPORT_VIEWERS)
    assert "workshops.delete_workshop" not in viewers
    assert "surveys.view_response" in viewers
    # Every granted codename that exists is there; those of models not built yet are simply skipped.
    expected = {
        f"{label.split('.')[0]}.{action}_{label.split('.')[1]}"
        for label, actions in ROLES[REPORT_VIEWERS].items()
        for action in actions
    }
    existing = {f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.select_related("content_type")}
    assert viewers == expected & existing


@pytest.fixture
def member(django_user_model):
    def make(group_name: str):
        user = django_user_model.objects.create_user(group_name.split()[0].lower(), password="x", is_staff=True)
        user.groups.add(Group.objects.get(name=group_name))
        return user

    return make


@pytest.mark.django_db
def test_survey_manager_edits_a_workshop_and_it_is_in_the_history(client, member, workshop_factory):
    from django.contrib.admin.models import LogEntry

    client.force_login(member(SURVEY_MANAGERS))
    workshop = workshop_factory()
    url = reverse("admin:workshops_workshop_change", args=[workshop.pk])
    form = {
        "code": workshop.code,
        "title": "Renamed workshop",
        "scope": "regional",
        "start_date": "2019-12-02",
        "end_date": "2019-12-05",
        "venue": "Bangkok",
        "mode": "in-person",
        "surveyed": "on",
        "participants-TOTAL_FORMS": "0",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    workshop.refresh_from_db()
    assert workshop.title == "Renamed workshop"
    assert LogEntry.objects.filter(object_id=str(workshop.pk), action_flag=2).exists()
    assert client.get(reverse("admin:workshops_workshop_import")).status_code == 200


@pytest.mark.django_db
def test_report_viewer_reads_but_changes_nothing(client, member, participant_factory):
    client.force_login(member(REPORT_VIEWERS))
    participant = participant_factory()
    workshop = participant.workshop
    assert client.get(reverse("admin:workshops_workshop_changelist")).status_code == 200
    change_page = client.get(reverse("admin:workshops_workshop_change", args=[workshop.pk]))
    assert change_page.status_code == 200
    assert 'name="_save"' not in change_page.content.decode()  # read-only view
    assert (
        client.post(reverse("admin:workshops_workshop_change", args=[workshop.pk]), {"title": "x"}).status_code == 403
    )
    assert client.get(reverse("admin:workshops_workshop_add")).status_code == 403
    assert client.get(reverse("admin:workshops_participant_changelist")).status_code == 403
    assert participant.email not in change_page.content.decode()
    # The import is refused with a message, not done.
    assert client.get(reverse("admin:workshops_workshop_import")).status_code == 302
    workshop.refresh_from_db()
    assert workshop.title != "x"
