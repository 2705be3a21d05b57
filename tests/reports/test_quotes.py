import pytest
from django.utils import timezone

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


def _reply(participant_factory, q2: str) -> Response:
    return Response.objects.create(
        participant=participant_factory(), status=Status.SUBMITTED, submitted_at=timezone.now(), q2_utilization=q2
    )


def _q2_quotes(participant_factory, said_and_chosen: list[tuple[str, str]]) -> None:
    """FY2019/20's edition: one reply per pair, its Q2 description suggested under the first heading and quoted
    under the second."""
    from impact.models import DescriptionSuggestion

    edition = ReportEdition.objects.get_or_create(fiscal_year=2019)[0]
    for said, chose in said_and_chosen:
        reply = _reply(participant_factory, "Used the guide at home.")
        DescriptionSuggestion.objects.create(response=reply, answer="q2_utilization", section=said, tangible=False)
        section = Section.OPERATIONAL if chose == "a" else Section.STRATEGIC
        Quote.objects.create(edition=edition, response=reply, answer="q2_utilization", excerpt="x", section=section)


def test_heading_agreement_on_a_hand_made_set_whose_kappa_is_known(participant_factory):
    from impact.models import DescriptionSuggestion
    from reports.quotes import heading_agreement

    # Suggested (a) 6 times, chosen (a) 5 times; 7 of 10 agree: observed 0.7, by chance 0.6 × 0.5 + 0.4 × 0.5 = 0.5,
    # kappa (0.7 − 0.5) / (1 − 0.5) = 0.4.
    _q2_quotes(participant_factory, [("a", "a")] * 4 + [("b", "b")] * 3 + [("a", "b")] * 2 + [("b", "a")])
    # Not counted: a description without a suggestion (too short), another answer's quote, a Q2 quote under 2.4.
    other = _reply(participant_factory, "Ok")
    DescriptionSuggestion.objects.create(response=other, answer="q2_utilization", reason="short")
    edition = ReportEdition.objects.get(fiscal_year=2019)
    Quote.objects.create(edition=edition, response=other, answer="q2_utilization", excerpt="Ok", section="2.3b")
    moved = Quote.objects.filter(section=Section.STRATEGIC).first()
    Quote.objects.create(edition=edition, response=moved.response, answer="q3_text", excerpt="y", section="2.3b")
    Quote.objects.create(edition=edition, response=moved.response, answer="q2_utilization", excerpt="z", section="2.4")

    figures = heading_agreement(2019)
    assert (figures.name, figures.accepted, figures.suggested, figures.n) == ("section", 7, 10, 10)
    assert figures.accepted_share == 70
    assert figures.kappa == pytest.approx(0.4)
    assert heading_agreement(2020).n == 0 and heading_agreement(2020).kappa is None


def test_the_descriptions_page_shows_the_heading_agreement_per_edition(participant_factory, staff_client):
    from django.urls import reverse

    _q2_quotes(participant_factory, [("a", "a")] * 4 + [("b", "b")] * 3 + [("a", "b")] * 2 + [("b", "a")])
    page = staff_client.get(reverse("reports:descriptions", args=[2019]), HTTP_ACCEPT_LANGUAGE="en")
    table = page.content.decode().split('id="suggestion-agreement"')[1].split("</table>")[0]
    row = table.split("Suggested heading (a)/(b) of the report's Q2 quotes")[1].split("</tr>")[0]
    assert "7 / 10 (70%)" in row and "0.40" in row and "<td>10</td>" in row
