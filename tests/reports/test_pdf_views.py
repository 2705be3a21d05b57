import pytest
from django.urls import reverse

from reports import pdf
from reports.models import Quote
from surveys.models import Response

pytestmark = pytest.mark.django_db


def test_staff_pages_need_a_staff_login(client):
    for url in (reverse("reports:report_pdf", args=[2019]), reverse("reports:quote_texts", args=[2019])):
        assert client.get(url).status_code == 302


def test_quote_texts_page_creates_a_quote(staff_client, demo_data):
    url = reverse("reports:quote_texts", args=[2019])
    page = staff_client.get(url)
    assert b"Implemented AEO Program on Strategic Action Plan 2020-2024." in page.content
    reply = Response.objects.get(participant__workshop__code="FY19-AEO", participant__administration__code="MV")
    posted = staff_client.post(
        url, {"response": reply.pk, "answer": "q1_others_text", "excerpt": "Implemented AEO Program.", "section": "2.2"}
    )
    assert posted.status_code == 302
    quote = Quote.objects.get()
    assert (quote.excerpt, quote.section, quote.edition.fiscal_year) == ("Implemented AEO Program.", "2.2", 2019)
    assert b"(Maldives \xe2\x80\x93 WCO Regional Workshop on AEO)" in staff_client.get(url).content


def test_quote_texts_page_shows_why_a_quote_was_refused(staff_client, demo_data):
    reply = Response.objects.get(participant__workshop__code="FY19-AEO", participant__administration__code="BD")
    url = reverse("reports:quote_texts", args=[2019])
    page = staff_client.post(url, {"response": reply.pk, "answer": "q3_text", "excerpt": "Invented", "section": "2.4"})
    assert page.status_code == 200
    assert "has no text" in page.content.decode()
    assert not Quote.objects.exists()


def test_quote_reply_leads_to_that_replys_texts(staff_client, demo_data):
    reply = Response.objects.get(participant__workshop__code="FY19-AEO", participant__administration__code="HK")
    page = staff_client.get(reverse("reports:quote_reply", args=[reply.pk]), follow=True)
    assert page.content.count(b"Quote this</button>") == 3


def test_waiting_page_refreshes_itself_while_rendering(staff_client, demo_data, var_dir):
    pdf.mark_rendering(2019, pdf.fingerprint(2019))
    page = staff_client.get(reverse("reports:report_pdf", args=[2019]))
    assert b'http-equiv="refresh"' in page.content
    assert b"being rendered" in page.content
    assert b"<script" not in page.content


def test_render_then_download_then_kept_until_a_reply_changes(staff_client, demo_data, var_dir, monkeypatch):
    url = reverse("reports:report_pdf", args=[2019])
    page = staff_client.get(url, follow=True)  # no broker in tests: the task runs in this process
    assert b"Download the PDF" in page.content
    download = staff_client.get(reverse("reports:report_pdf_download", args=[2019]))
    body = b"".join(download.streaming_content)
    assert body.startswith(b"%PDF")
    assert 'filename="GoodPracticeReport-FY2019-20.pdf"' in download["Content-Disposition"]

    def must_not_render(html: str) -> bytes:
        raise AssertionError("an unchanged report was rendered again")

    monkeypatch.setattr(pdf, "html_to_pdf", must_not_render)
    again = staff_client.get(reverse("reports:report_pdf_download", args=[2019]))
    assert b"".join(again.streaming_content) == body

    reply = Response.objects.replies().first()
    reply.q2_utilization += " More."
    reply.save()
    assert staff_client.get(reverse("reports:report_pdf_download", args=[2019])).status_code == 302
    assert len(list((var_dir / "reports").glob("*.pdf"))) == 1


def test_a_failed_rendering_says_so_and_can_be_retried(staff_client, demo_data, var_dir, monkeypatch):
    def broken(html: str) -> bytes:
        raise RuntimeError("fonts missing")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)
    page = staff_client.get(reverse("reports:report_pdf", args=[2019]))
    assert page.status_code == 503
    assert b"fonts missing" in page.content
    assert not pdf.is_rendering(2019, pdf.fingerprint(2019))


def test_the_kept_report_is_rendered_anew_when_the_previous_round_changes(demo_data, var_dir, participant_factory):
    # The previous round's figures and the reply-rate chart come from earlier rounds' replies too.
    before = pdf.fingerprint(2020)
    earlier = Response.objects.replies().filter(participant__workshop__fiscal_year=2019).first()
    earlier.q2_utilization += " (corrected)"
    earlier.save()
    assert pdf.fingerprint(2020) != before
    unchanged = pdf.fingerprint(2018)
    earlier.q2_utilization += " again"
    earlier.save()
    assert pdf.fingerprint(2018) == unchanged  # a later round never changes an earlier report


def test_the_kept_report_is_rendered_anew_when_an_earlier_round_becomes_complete_or_its_record_changes(
    demo_data, var_dir
):
    from reports.models import EarlierRound, ReportEdition
    from tests.helpers import finish

    before = pdf.fingerprint(2020)
    finish(ReportEdition.objects.create(fiscal_year=2019)).make_final()  # FY2019/20's replies now the round
    after_final = pdf.fingerprint(2020)
    assert after_final != before
    EarlierRound.objects.filter(fiscal_year=2019).update(q3_yes_percent=51)
    assert pdf.fingerprint(2020) != after_final


# --- issue 16: no PDF for a fiscal year without a survey, renderings limited per user, GETs write nothing ---------


def test_no_pdf_for_a_fiscal_year_without_workshops(staff_client, demo_data, var_dir, monkeypatch):
    started = []
    monkeypatch.setattr("reports.pdf_views.render_report_pdf.delay", started.append)
    for year in (1999, 2031, 32767):
        assert staff_client.get(reverse("reports:report_pdf", args=[year])).status_code == 404
        assert staff_client.get(reverse("reports:report_pdf_download", args=[year])).status_code == 404
    assert started == []
    assert list(pdf.reports_dir().iterdir()) == []  # no file kept, no rendering marker


def test_renderings_are_limited_per_user(staff_client, demo_data, var_dir, monkeypatch, settings, django_user_model):
    from django.core.cache import cache

    cache.clear()
    settings.REPORT_RENDERS_PER_HOUR = 2
    started = []
    monkeypatch.setattr("reports.pdf_views.render_report_pdf.delay", started.append)
    # Each visit finds nothing kept and nothing under way (as when a reply changes between visits).
    monkeypatch.setattr(pdf, "is_rendering", lambda fiscal_year, key: False)
    url = reverse("reports:report_pdf", args=[2019])
    assert [staff_client.get(url).status_code for _ in range(3)] == [200, 200, 429]
    assert started == [2019, 2019]
    assert "please wait" in staff_client.get(url).content.decode()
    other = django_user_model.objects.create_user("other", password="x", is_staff=True, is_superuser=True)
    staff_client.force_login(other)
    assert staff_client.get(url).status_code == 200  # another user's count is their own
    assert started == [2019, 2019, 2019]


def test_the_quotes_page_get_writes_nothing(staff_client, demo_data):
    from reports.models import ReportEdition

    page = staff_client.get(reverse("reports:quote_texts", args=[2019]))
    assert page.status_code == 200
    assert b"Quote this</button>" in page.content
    assert not ReportEdition.objects.exists()
