"""The Django admin as staff use it: lists with counts, filters, read-only replies, the workbook upload."""

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys.models import Response, Status
from tests.conftest import DEMO_WORKBOOK, WORKSHOP_HEADER, make_workbook
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


def test_workshop_list_shows_participants_replies_and_reply_rate(staff_client, demo_data):
    page = staff_client.get(reverse("admin:workshops_workshop_changelist"))
    assert page.status_code == 200
    rows = {w.title: w for w in page.context["cl"].result_list}
    aeo = rows["WCO Regional Workshop on AEO"]
    assert (aeo.participant_count, aeo.reply_count) == (22, 12)
    html = page.content.decode()
    assert "55%" in html and "80%" in html and "100%" in html and "86%" in html
    assert "Import a workbook" in html


def test_workshop_list_rounds_the_reply_rate_half_up_as_the_report_does(
    staff_client, workshop_factory, participant_factory
):
    workshop = workshop_factory()
    participants = [participant_factory(workshop) for _ in range(8)]
    Response.objects.create(participant=participants[0], status=Status.SUBMITTED, submitted_at=timezone.now())
    page = staff_client.get(reverse("admin:workshops_workshop_changelist"))
    # 1 of 8 = 12.5%: the report prints 13%, and so does the admin (Python's round() would give 12%).
    changelist = page.context["cl"]
    assert [changelist.model_admin.reply_rate(row) for row in changelist.result_list] == ["13%"]
    assert "13%" in page.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [("fy=2019", 4), ("fy=2020", 0), ("scope__exact=regional", 1), ("surveyed__exact=1", 4), ("q=Counterfeiting", 1)],
)
def test_workshop_filters_and_search(staff_client, demo_data, query, expected):
    page = staff_client.get(reverse("admin:workshops_workshop_changelist") + "?" + query)
    assert page.status_code == 200
    assert page.context["cl"].result_count == expected


def test_workshop_page_shows_participants_inline_and_schedule(staff_client, demo_data):
    workshop = Workshop.objects.get(code="FY19-AEO")
    page = staff_client.get(reverse("admin:workshops_workshop_change", args=[workshop.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "au.fy19-aeo@example.org" in html
    assert "invitation 12 Jun 2020; due 03 Jul 2020" in html


def test_administrations_list_has_33(staff_client, db):
    page = staff_client.get(reverse("admin:workshops_memberadministration_changelist"))
    assert page.context["cl"].result_count == 33


def test_response_is_read_only_in_questionnaire_order_and_words(staff_client, demo_data):
    reply = Response.objects.get(participant__email="np.fy19-rmt@example.org")
    page = staff_client.get(reverse("admin:surveys_response_change", args=[reply.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    positions = [html.index(f"{number}. ") for number in ("Q1", "Q1bis", "Q2", "Q3", "Q4", "Q5")]
    assert positions == sorted(positions)
    assert "Have you observed any direct effects realized" in html
    assert 'name="q2_utilization"' not in html  # nothing editable
    assert staff_client.post(reverse("admin:surveys_response_change", args=[reply.pk]), {}).status_code == 403


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", 28),
        ("status__exact=submitted", 28),
        ("status__exact=draft", 0),
        ("late__exact=1", 3),
        ("late__exact=0", 25),
        ("fy=2019", 28),
    ],
)
def test_response_filters(staff_client, demo_data, query, expected):
    page = staff_client.get(reverse("admin:surveys_response_changelist") + "?" + query)
    assert page.context["cl"].result_count == expected


def test_upload_a_good_workbook(staff_client, db):
    with DEMO_WORKBOOK.open("rb") as handle:
        page = staff_client.post(reverse("admin:workshops_workshop_import"), {"workbook": handle}, follow=True)
    assert "Workbook imported." in page.content.decode()
    assert Workshop.objects.count() == 4
    assert Response.objects.replies().count() == 28


def test_upload_a_broken_workbook_lists_errors_and_changes_nothing(staff_client, db):
    upload = make_workbook({"workshops": [WORKSHOP_HEADER, ["T-1", "", "global", "2020-01-02", "2020-01-01"]]})
    upload.name = "broken.xlsx"
    page = staff_client.post(reverse("admin:workshops_workshop_import"), {"workbook": upload}, follow=True)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Nothing was imported" in html
    assert "workshops!2 title: required" in html
    assert "workshops!2 end_date: 2020-01-01 is before the start date 2020-01-02" in html
    assert Workshop.objects.count() == 0


def test_upload_needs_a_file(staff_client, db):
    page = staff_client.post(reverse("admin:workshops_workshop_import"), {})
    assert page.status_code == 200
    assert "This field is required" in page.content.decode()


def test_anonymous_users_cannot_import(client, db):
    page = client.get(reverse("admin:workshops_workshop_import"))
    assert page.status_code == 302
    assert "/admin/login/" in page["Location"]
