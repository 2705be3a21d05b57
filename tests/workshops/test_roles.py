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


# --- What each role gets from the staff pages, the export and the admin's actions ---------------------------


@pytest.fixture
def replied(participant_factory):
    """A surveyed FY2019/20 workshop with one reply, whose participant and contact addresses are known."""
    from surveys.questionnaire.replies import save_reply

    participant = participant_factory(name="Ana Tuilagi", email="ana.tuilagi@customs.example.org")
    answers = {"contact_email": "ana.private@example.net", "q1_shared_materials": True, "q2_utilization": "Shared."}
    answers |= {"q3_direct_effects": True, "q4_contributed": True, "q5_new_project": False}
    save_reply(participant, answers, submit=True, revision=0)
    return participant


def _export(client) -> tuple[list[str], list[list[str]]]:
    """(Replies header, every cell of every sheet as text) of the tables download."""
    import io

    from openpyxl import load_workbook

    response = client.get(reverse("reports:tables_download", args=[2019]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(response.content))
    cells = [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    header = [cell.value for cell in next(book["Replies"].iter_rows(max_row=1))]
    return header, cells


@pytest.mark.django_db
def test_report_viewer_reads_reports_and_gets_an_export_without_addresses_or_names(client, member, replied):
    client.force_login(member(REPORT_VIEWERS))
    for url in (
        reverse("reports:index"),
        reverse("reports:fiscal_year", args=[2019]),
        reverse("reports:workshop_replies", args=[replied.workshop_id]),
        reverse("admin:surveys_response_change", args=[replied.response.pk]),
    ):
        assert client.get(url).status_code == 200, url
    header, cells = _export(client)
    assert "email" not in header
    assert "Shared." in cells  # the replies are there ...
    text = " ".join(cells)
    assert "@" not in text  # ... but no address of anybody
    assert replied.name not in text


@pytest.mark.django_db
def test_survey_manager_gets_the_full_export(client, member, replied):
    client.force_login(member(SURVEY_MANAGERS))
    header, cells = _export(client)
    assert header[:3] == ["workshop", "email", "submitted_at"]  # the import format, so it can be imported again
    assert replied.email in cells


@pytest.mark.django_db
def test_report_viewer_does_not_see_the_contact_address_of_a_reply(client, member, replied):
    change = reverse("admin:surveys_response_change", args=[replied.response.pk])
    client.force_login(member(REPORT_VIEWERS))
    page = client.get(change).content.decode()
    assert "Shared." in page
    assert "ana.private@example.net" not in page
    # Nor can a viewer find a reply by an address.
    found = client.get(reverse("admin:surveys_response_changelist"), {"q": "ana.tuilagi@customs"}).content.decode()
    assert "Ana Tuilagi" not in found
    client.force_login(member(SURVEY_MANAGERS))
    assert "ana.private@example.net" in client.get(change).content.decode()
    found = client.get(reverse("admin:surveys_response_changelist"), {"q": "ana.tuilagi@customs"}).content.decode()
    assert "Ana Tuilagi" in found


@pytest.mark.django_db
def test_report_viewer_cannot_quote_a_reply(client, member, replied):
    from reports.models import Quote

    client.force_login(member(REPORT_VIEWERS))
    url = reverse("reports:quote_texts", args=[2019])
    assert client.get(url).status_code == 200  # reads the texts
    form = {"response": replied.response.pk, "answer": "q2_utilization", "excerpt": "Shared.", "section": "q2"}
    assert client.post(url, form).status_code == 403
    assert not Quote.objects.exists()


@pytest.mark.django_db
def test_staff_without_a_role_see_no_report(client, django_user_model, replied):
    client.force_login(django_user_model.objects.create_user("norole", password="x", is_staff=True))
    assert client.get(reverse("reports:fiscal_year", args=[2019])).status_code == 403
    assert client.get(reverse("reports:tables_download", args=[2019])).status_code == 403


@pytest.mark.django_db
def test_report_viewer_cannot_send_messages_or_change_a_workshop(client, member, replied):
    from surveys.models import Message

    workshop = replied.workshop
    changelist = reverse("admin:workshops_workshop_changelist")
    client.force_login(member(REPORT_VIEWERS))
    page = client.get(changelist).content.decode()
    assert "send_invitations_now" not in page  # the action is not offered ...
    forged = client.post(changelist, {"action": "send_invitations_now", "_selected_action": [workshop.pk]})
    assert forged.status_code in (200, 302)  # ... and a forged POST of it does nothing
    workshop.refresh_from_db()
    assert workshop.invitations_released_at is None
    # A change form's POST is refused; the participant (where "send the link again" is) is not even visible.
    change = client.post(reverse("admin:workshops_workshop_change", args=[workshop.pk]), {"title": "Changed"})
    assert change.status_code == 403
    participants = reverse("admin:workshops_participant_changelist")
    assert client.post(participants, {"action": "send_link_again", "_selected_action": [replied.pk]}).status_code == 403
    assert not Message.objects.exists()
    workshop.refresh_from_db()
    assert workshop.title != "Changed"


@pytest.mark.django_db
def test_survey_manager_is_offered_the_sending_actions(client, member, replied):
    client.force_login(member(SURVEY_MANAGERS))
    assert "send_invitations_now" in client.get(reverse("admin:workshops_workshop_changelist")).content.decode()
    page = client.get(reverse("admin:workshops_participant_changelist")).content.decode()
    assert "send_link_again" in page
    assert "revoke_links" in page
