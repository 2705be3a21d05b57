import pytest

from reports.demo import add_demo_quotes
from reports.models import Quote, Section

pytestmark = pytest.mark.django_db


def test_demo_quotes_cover_every_section_with_real_texts_once(demo_data, settings):
    assert add_demo_quotes() == len(settings.OFFICE.demo.quotes) == 13
    assert add_demo_quotes() == 0
    quotes = list(Quote.objects.select_related("response"))
    assert {quote.section for quote in quotes} == set(Section.values)
    for quote in quotes:
        assert quote.excerpt == getattr(quote.response, quote.answer).strip()
        assert "illustrative" not in quote.excerpt


@pytest.mark.django_db
def test_the_demo_shows_a_survey_in_progress(settings, tmp_path, staff_client):
    from io import StringIO

    from django.core.management import call_command
    from django.urls import reverse
    from django.utils import timezone

    from reports.demo import CURRENT_CODE
    from surveys.mail.sending import run_pass
    from workshops.models import Workshop

    settings.EMAIL_BACKEND = "rocbap.mail.EmlFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    out = StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=out)  # every bin/demo start runs it: once is what counts
    assert "A survey in progress" in out.getvalue()
    workshop = Workshop.objects.get(code=CURRENT_CODE)
    assert workshop.participants.count() == len(settings.OFFICE.demo.in_progress.participants)

    run_pass(timezone.now(), in_process=True)  # the demo's first dispatch pass
    invitations = list((tmp_path / "mail").glob("*.eml"))
    # The two who replied already are not invited.
    assert len(invitations) == len(settings.OFFICE.demo.in_progress.participants) - 2
    assert all(b"Data Analytics" in path.read_bytes() for path in invitations)

    page = staff_client.get(reverse("reports:fiscal_year", args=[workshop.fiscal_year]))
    progress = {row.workshop.code: row for row in page.context["overview"].progress}
    assert (progress[CURRENT_CODE].participants, progress[CURRENT_CODE].replies) == (8, 2)
    assert progress[CURRENT_CODE].status.startswith("collecting replies until")
