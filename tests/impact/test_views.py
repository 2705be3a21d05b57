"""The impact staff pages: the indicators on the staff home, the stories an indicator counts, the
administrations' ledger, a fiscal year's descriptions to mark."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from impact.models import Kind, SuccessStory
from workshops.models import MemberAdministration
from workshops.roles import REPORT_VIEWERS

pytestmark = pytest.mark.django_db

KEY = "rsp-2022-2024-tangible-results"


@pytest.fixture
def story(reply_factory, workshop_factory):
    workshop = workshop_factory(start_date=dt.date(2022, 9, 5), end_date=dt.date(2022, 9, 9))
    reply = reply_factory(workshop=workshop, administration="MY", submitted=dt.date(2023, 3, 10))
    return SuccessStory.objects.create(
        response=reply, answer="q3_text", excerpt="Risk management unit set up.", kind=Kind.UNIT
    )


def test_the_staff_home_shows_each_indicators_progress(viewer, story):
    page = viewer.get(reverse("reports:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "RSP 2022-2024" in page and "1 of 10, 30 June 2024" in page
    assert reverse("reports:indicator_stories", args=[KEY]) in page


def test_the_indicator_page_lists_the_stories_counted(viewer, story, reply_factory):
    outside = reply_factory(administration="FJ", submitted=dt.date(2021, 3, 1), q3_text="Old unit.")
    SuccessStory.objects.create(response=outside, answer="q3_text", excerpt="Before the plan.", kind=Kind.UNIT)
    page = viewer.get(reverse("reports:indicator_stories", args=[KEY]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Risk management unit set up." in page and "1 of 10, 30 June 2024" in page
    assert "Before the plan." not in page
    assert viewer.get(reverse("reports:indicator_stories", args=["nothing"])).status_code == 404


def test_the_administrations_pages(viewer, story):
    malaysia = MemberAdministration.objects.get(code="MY")
    table = viewer.get(reverse("reports:administrations"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "FY2022/23" in table and "1 / 1 (100%) / 0 / <strong>1</strong>" in table
    page = viewer.get(reverse("reports:administration", args=[malaysia.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    text = page.content.decode()
    # The fiscal year named in the page's language (it read "FY2022/23" on a French page before).
    assert "Exercice 2022/23" in text and "100\u202f%" in text and "Risk management unit set up." in text


def test_descriptions_offer_marking_to_managers_only(manager, reply_factory, story, django_user_model):
    reply = reply_factory(q2_utilization="Risk profiles are shared weekly.", submitted=dt.date(2020, 6, 1))
    url = reverse("reports:descriptions", args=[2019])
    page = manager.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Risk profiles are shared weekly." in page
    assert f"{reverse('admin:impact_successstory_add')}?response={reply.pk}&amp;answer=q2_utilization" in page
    later = manager.get(reverse("reports:descriptions", args=[2022]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "A new risk management unit was set up." in later and "Success story" in later
    assert "Mark as a tangible result" not in later  # its one description is a story already
    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    viewer.groups.add(Group.objects.get(name=REPORT_VIEWERS))
    manager.force_login(viewer)
    page = manager.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Risk profiles are shared weekly." in page and "Mark as a tangible result" not in page
