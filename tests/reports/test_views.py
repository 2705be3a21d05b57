"""The staff pages of replies and tables, through the test client."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.models import ReportEdition
from surveys.models import Response
from tests.helpers import finish
from workshops.models import Workshop

PAGES = [
    reverse("reports:index"),
    reverse("reports:fiscal_year", args=[2019]),
    reverse("reports:tables_download", args=[2019]),
]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_the_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_participant_account_without_staff_status_is_refused(client, django_user_model, demo_data):
    client.force_login(django_user_model.objects.create_user("someone", password="a-long-test-password"))
    assert client.get(reverse("reports:fiscal_year", args=[2019])).status_code == 302


def test_index_lists_the_fiscal_years_and_takes_a_typed_one(staff_client, demo_data):
    page = staff_client.get(reverse("reports:index"))
    assert "FY2019/20" in page.content.decode()
    assert "4 surveyed workshops" in page.content.decode()
    response = staff_client.get(reverse("reports:index"), {"fiscal_year": "FY2019/20"})
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:fiscal_year", args=[2019])
    wrong = staff_client.get(reverse("reports:index"), {"fiscal_year": "next year"})
    assert "not a fiscal year" in wrong.content.decode()


def test_fiscal_year_page_shows_the_tables_charts_and_progress(staff_client, demo_data):
    page = staff_client.get(reverse("reports:fiscal_year", args=[2019]))
    html = page.content.decode()
    for n in range(1, 8):
        assert f'id="table{n}"' in html
    assert 'id="associations"' in html
    assert "Sub-total of Sub-Regional Workshops" in html
    assert "10 (77%)" in html  # Table 4's bottom line
    assert "<u>FJ</u>" in html or "<b>FJ</b>" in html  # the published marking
    assert html.count("<svg") == 3
    assert "Survey 2019" in html and "Survey 2020" in html  # the trend chart, earlier round included
    assert 'id="progress"' in html  # the round is still open
    assert html.count('class="table-responsive') >= 9
    assert "style=" not in html and "<script" not in html
    assert "not proof" in html


def test_progress_is_hidden_once_the_round_is_closed(staff_client, demo_data):
    finish(ReportEdition.objects.create(fiscal_year=2019)).make_final()
    html = staff_client.get(reverse("reports:fiscal_year", args=[2019])).content.decode()
    assert 'id="progress"' not in html
    assert "The round is closed" in html


def test_unknown_fiscal_year_is_404(staff_client, db):
    assert staff_client.get(reverse("reports:fiscal_year", args=[2030])).status_code == 404


@pytest.mark.parametrize("name", ["reports:fiscal_year", "reports:tables_download", "reports:report_pdf"])
def test_an_empty_fiscal_year_gets_a_styled_page(staff_client, demo_data, name):
    page = staff_client.get(reverse(name, args=[2030]))
    assert page.status_code == 404
    html = page.content.decode()
    assert "FY2030/31 has no surveyed workshops yet" in html
    assert "bootstrap" in html and 'aria-label="Staff pages"' in html  # the site's layout and navigation
    assert reverse("reports:fiscal_year", args=[2019]) in html  # the fiscal years that have something


def test_every_staff_page_shares_one_navigation_and_each_fy_page_links_the_pdf_and_quotes(staff_client, demo_data):
    workshop = Workshop.objects.filter(fiscal_year=2019).first()
    pages = [
        reverse("reports:index"),
        reverse("reports:fiscal_year", args=[2019]),
        reverse("reports:workshop_replies", args=[workshop.pk]),
        reverse("reports:quote_texts", args=[2019]),
    ]
    for url in pages:
        html = staff_client.get(url).content.decode()
        assert html.count('aria-label="Staff pages"') == 1, url
        assert f'href="{reverse("reports:index")}"' in html, url
        if url != reverse("reports:index"):  # a page of FY2019/20: its PDF and quotes are one click away
            assert f'href="{reverse("reports:report_pdf", args=[2019])}"' in html, url
            assert f'href="{reverse("reports:quote_texts", args=[2019])}"' in html, url
            assert f'href="{reverse("reports:fiscal_year", args=[2019])}"' in html, url


def test_the_site_root_leads_staff_to_the_staff_site(client, staff_client):
    assert staff_client.get("/").url == reverse("reports:index")
    followed = staff_client.get("/", follow=True)
    assert followed.status_code == 200 and "Replies and the report" in followed.content.decode()


def test_download_the_workbook(staff_client, demo_data):
    response = staff_client.get(reverse("reports:tables_download", args=[2019]))
    assert response.status_code == 200
    assert "FY2019-20.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[-1] == "Replies"


def test_workshop_replies_show_texts_escaped(staff_client, demo_data):
    workshop = Workshop.objects.get(title="WCO Regional Workshop on AEO")
    reply = Response.objects.replies().filter(participant__workshop=workshop).first()
    reply.q3_text = "<script>alert(1)</script> seized at the border"
    reply.save()
    page = staff_client.get(reverse("reports:workshop_replies", args=[workshop.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt; seized at the border" in html
    assert "<script>alert" not in html
    assert html.count('class="card mb-3"') == 12
    assert "12 of 22 participants replied" in html


def test_fiscal_year_page_counts_undeliverable_addresses_per_workshop_and_administration(staff_client, demo_data):
    from django.utils import timezone

    from workshops.models import Participant

    flagged = list(Participant.objects.filter(workshop__code="FY19-AEO").order_by("pk")[:2])
    Participant.objects.filter(pk__in=[p.pk for p in flagged]).update(undeliverable_since=timezone.now())
    page = staff_client.get(reverse("reports:fiscal_year", args=[2019]))
    overview = page.context["overview"]
    assert {row.workshop.code: row.undeliverable for row in overview.progress if row.undeliverable} == {"FY19-AEO": 2}
    expected: dict[str, int] = {}
    for participant in flagged:
        expected[participant.administration.code] = expected.get(participant.administration.code, 0) + 1
    assert {a.code: n for a, n in overview.undeliverable_by_administration} == expected
    assert 'id="undeliverable"' in page.content.decode()


def test_no_undeliverable_table_while_every_address_works(staff_client, demo_data):
    html = staff_client.get(reverse("reports:fiscal_year", args=[2019])).content.decode()
    assert 'id="undeliverable"' not in html
