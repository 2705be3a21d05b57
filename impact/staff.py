"""What the impact staff pages ask (under /staff/impact/): a fiscal year's descriptions to confirm as success
stories, the stories an indicator counts, an administration's ledger. The views only shape the answers."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from impact.ledger import LedgerRow, ledger
from impact.models import DescriptionSuggestion, SuccessStory
from surveys.models import FREE_TEXTS, Response
from workshops.models import MemberAdministration


@dataclass(frozen=True)
class Description:
    """A reply's free text, with the story staff made of it (or None) and where to make one."""

    response: Response
    answer: str
    label: str
    text: str
    story: SuccessStory | None
    suggestion: DescriptionSuggestion | None = None

    @property
    def mark_url(self) -> str:
        """The admin's form for a new story, the reply and description chosen and the excerpt filled in."""
        query = urlencode({"response": self.response.pk, "answer": self.answer})
        return f"{reverse('admin:impact_successstory_add')}?{query}"


def descriptions(fiscal_year: int) -> list[Description]:
    """Every description of the fiscal year's replies, by workshop, administration and participant."""
    replies = (
        Response.objects.replies()
        .filter(participant__workshop__fiscal_year=fiscal_year)
        .select_related("participant__workshop", "participant__administration")
        .prefetch_related("success_stories", "description_suggestions__duplicate_of__response__participant")
        .order_by("participant__workshop__start_date", "participant__administration__code", "participant__name")
    )
    found = []
    for reply in replies:
        stories = {story.answer: story for story in reply.success_stories.all()}
        suggested = {suggestion.answer: suggestion for suggestion in reply.description_suggestions.all()}
        for answer in FREE_TEXTS:
            text = (getattr(reply, answer) or "").strip()
            if text:
                label = Response.answer_label(answer)
                found.append(Description(reply, answer, label, text, stories.get(answer), suggested.get(answer)))
    return found


@dataclass(frozen=True)
class AdministrationLedger:
    administration: MemberAdministration
    rows: list[LedgerRow]
    stories: list[SuccessStory]


def administration_ledger(administration: MemberAdministration) -> AdministrationLedger:
    stories = (
        SuccessStory.objects.counted()
        .filter(response__participant__administration=administration)
        .select_related("response__participant__workshop", "response__participant__administration")
    )
    return AdministrationLedger(administration, ledger(administration=administration), list(stories))
