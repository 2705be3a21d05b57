"""The report's section on the year's tangible results (impact.report, templates/impact/_report_results.html):
the publishable stories grouped by kind with their attribution, in the edition's language; absent when none."""

from __future__ import annotations

import pytest

from impact.models import Kind, SuccessStory
from impact.report import fingerprint_part, tangible_results
from reports.models import ReportEdition
from reports.pdf import fingerprint, render_html, report_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories(reply_factory):
    made = [
        SuccessStory.objects.create(
            response=reply_factory(administration=code),
            answer="q3_text",
            excerpt=excerpt,
            kind=kind,
            publishable=publish,
        )
        for code, excerpt, kind, publish in [
            ("MY", "Risk unit set up", Kind.UNIT, True),
            ("FJ", "Customs Act amended", Kind.LAW, True),
            ("TO", "Not for print", Kind.LAW, False),
        ]
    ]
    return made


def test_publishable_stories_grouped_by_kind_in_the_kinds_order(stories):
    groups = tangible_results(2019)
    assert [(g.kind, [s.excerpt for s in g.stories]) for g in groups] == [
        (Kind.LAW, ["Customs Act amended"]),
        (Kind.UNIT, ["Risk unit set up"]),
    ]
    assert groups[1].stories[0].attribution.startswith("(Malaysia – WCO Regional Workshop number")


def test_the_report_prints_the_section_in_the_editions_language(stories):
    ReportEdition.objects.create(fiscal_year=2019, language="fr")
    html = render_html(report_context(2019))
    assert "Résultats concrets" in html and "Loi ou règlement" in html and "Customs Act amended" in html
    assert "Not for print" not in html
    english = render_html(report_context(2019, language="en"))
    assert "Tangible results" in english and "Law or regulation" in english


def test_no_section_without_a_publishable_story(reply_factory):
    SuccessStory.objects.create(response=reply_factory(), answer="q3_text", excerpt="Private", kind=Kind.UNIT)
    html = render_html(report_context(2019, language="en"))
    assert 'id="s-tangible-results"' not in html and "Private" not in html


def test_a_changed_story_renders_the_pdf_again(stories):
    before = fingerprint(2019)
    stories[2].publishable = True
    stories[2].save()
    assert fingerprint(2019) != before and len(fingerprint_part(2019)) == 3


def test_the_pdf_prints_the_section(stories, tmp_path, settings):
    from django.core.management import call_command

    from tests.helpers import pdf_text

    settings.VAR_DIR = tmp_path
    target = tmp_path / "report.pdf"
    call_command("render_report", "--fiscal-year", "2019/20", "--language", "fr", str(target))
    text = " ".join(pdf_text(target).split())
    assert "Résultats concrets" in text and "Loi ou règlement" in text
    assert "Customs Act amended (Fiji – WCO Regional Workshop number" in text  # the attribution, as written
    assert "Not for print" not in text
