"""The Django admin as staff use it: lists with counts, filters, read-only replies, the workbook upload."""

from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys.models import Response, Status
from tests.helpers import DEMO_WORKBOOK, WORKSHOP_HEADER, make_workbook
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
    assert "invitation 12 June 2020; due 3 July 2020" in html


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


def flag_undeliverable(*emails: str) -> None:
    from django.utils import timezone

    from workshops.models import Participant

    Participant.objects.filter(email__in=emails).update(
        undeliverable_since=timezone.now(), undeliverable_reason="Status: 5.1.1; Diagnostic-Code: smtp; 550 5.1.1"
    )


def test_undeliverable_addresses_filtered_and_counted_per_workshop_and_administration(staff_client, demo_data):
    from workshops.models import MemberAdministration, Participant

    aeo = Workshop.objects.get(code="FY19-AEO")
    first, second = aeo.participants.order_by("pk")[:2]
    other = Participant.objects.exclude(workshop=aeo).order_by("pk").first()
    flag_undeliverable(first.email, second.email, other.email)

    page = staff_client.get(reverse("admin:workshops_participant_changelist") + "?address=undeliverable")
    assert {p.pk for p in page.context["cl"].result_list} == {first.pk, second.pk, other.pk}
    deliverable = staff_client.get(reverse("admin:workshops_participant_changelist") + "?address=deliverable")
    assert deliverable.context["cl"].result_count == Participant.objects.count() - 3

    workshops = staff_client.get(reverse("admin:workshops_workshop_changelist"))
    counts = {w.code: w.undeliverable_count for w in workshops.context["cl"].result_list}
    assert counts["FY19-AEO"] == 2 and counts[other.workshop.code] == 1 and sum(counts.values()) == 3
    assert f"?address=undeliverable&amp;workshop__id__exact={aeo.pk}" in workshops.content.decode()

    administrations = staff_client.get(reverse("admin:workshops_memberadministration_changelist") + "?all=")
    by_code = {a.code: a.undeliverable_count for a in administrations.context["cl"].result_list}
    assert {code: n for code, n in by_code.items() if n} == Counter(
        p.administration.code for p in (first, second, other)
    )
    assert MemberAdministration.objects.count() == len(by_code)

    change = staff_client.get(reverse("admin:workshops_participant_change", args=[first.pk])).content.decode()
    assert "address undeliverable since" in change.lower() and "550 5.1.1" in change


def test_correcting_an_undeliverable_address_in_the_admin_clears_the_flag(staff_client, demo_data):
    from workshops.models import Participant

    participant = Participant.objects.order_by("pk").first()
    flag_undeliverable(participant.email)
    url = reverse("admin:workshops_participant_change", args=[participant.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "email": "corrected@example.org",
            "administration": participant.administration_id,
            "workshop": participant.workshop_id,
            "messages-TOTAL_FORMS": "0",
            "messages-INITIAL_FORMS": "0",
        }
    )
    response = staff_client.post(url, data, follow=True)
    assert response.redirect_chain, response.context["adminform"].form.errors
    assert "replaces the address that bounced" in response.content.decode()
    participant.refresh_from_db()
    assert participant.email == "corrected@example.org" and not participant.undeliverable
