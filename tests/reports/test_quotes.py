import pytest

from reports.models import Quote, ReportEdition, Section
from reports.quotes import QuoteForm, reply_texts
from surveys.models import Response, Status

pytestmark = pytest.mark.django_db


def demo_reply(workshop: str, administration: str) -> Response:
    return Response.objects.get(participant__workshop__code=workshop, participant__administration__code=administration)


def test_reply_texts_lists_every_non_empty_text_of_the_fiscal_years_replies(demo_data):
    texts = reply_texts(2019)
    expected = sum(
        1
        for response in Response.objects.replies()
        for answer in ("q1_others_text", "q2_utilization", "q3_text", "q4_text", "q5_text")
        if getattr(response, answer).strip()
    )
    assert len(texts) == expected > 20
    assert all(text.text for text in texts)
    assert reply_texts(2020) == []


def test_reply_texts_leave_out_drafts(demo_data):
    reply = demo_reply("FY19-AEO", "HK")
    before = len(reply_texts(2019))
    Response.objects.filter(pk=reply.pk).update(status=Status.DRAFT, submitted_at=None, late=False)
    assert len(reply_texts(2019)) == before - 3  # its Q2, Q4 and Q5 texts


def test_a_quote_takes_the_answers_text_section_and_last_place_by_default(demo_data):
    reply = demo_reply("FY19-AEO", "HK")
    first = QuoteForm({"response": reply.pk, "answer": "q5_text", "excerpt": "", "section": "", "order": ""})
    assert first.is_valid(), first.errors
    quote = first.save()
    assert quote.excerpt == reply.q5_text.strip()
    assert quote.section == Section.PROJECTS
    assert quote.edition == ReportEdition.objects.get(fiscal_year=2019)
    assert quote.attribution == "(Hong Kong, China – WCO Regional Workshop on AEO)"
    second = QuoteForm(
        {"response": reply.pk, "answer": "q2_utilization", "excerpt": "  Shorter.  ", "section": "2.6", "order": ""}
    ).save()
    assert (second.excerpt, second.order) == ("Shorter.", quote.order + 1)
    assert [text.quoted for text in reply_texts(2019, reply.pk)] == [True, False, True]


def test_an_empty_answer_or_a_draft_cannot_be_quoted(demo_data):
    reply = demo_reply("FY19-AEO", "BD")  # no texts at all
    form = QuoteForm({"response": reply.pk, "answer": "q3_text", "excerpt": "Made up", "section": "2.4"})
    assert not form.is_valid()
    assert "has no text" in str(form.errors["answer"])
    draft = demo_reply("FY19-AEO", "HK")
    Response.objects.filter(pk=draft.pk).update(status=Status.DRAFT, submitted_at=None, late=False)
    form = QuoteForm({"response": draft.pk, "answer": "q5_text", "excerpt": "", "section": ""})
    assert not form.is_valid()
    assert "draft" in str(form.non_field_errors())
    assert Quote.objects.count() == 0
