"""The suggestions of a fiscal year's descriptions, computed in the background (impact.tasks) after its replies
change, never in a request, and stored for the staff page; how often staff agreed with them. The model is loaded
once per process; a model that fails to load leaves everything else working and the staff page says so."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import transaction
from django.utils import timezone

from impact import suggestions
from impact.models import DescriptionSuggestion, SuccessStory
from rocbap.celery import app as celery_app
from rocbap.percentages import percent
from surveys.models import FREE_TEXTS, Response

logger = logging.getLogger(__name__)

TASK_NAME = "impact.tasks.suggest_for_fiscal_year"
FAILURE_KEY = "impact:suggestions:model-failure"
QUEUED_KEY = "impact:suggestions:queued:{fiscal_year}"
QUEUED_SECONDS = 600


@cache
def model():
    """Loaded once per process (about 0.6 s); an exception is not kept, so the next task tries again."""
    return suggestions.load_model()


def model_failure() -> str:
    """Why the last computation could not load the model ("" when it could), for the staff page."""
    return django_cache.get(FAILURE_KEY) or ""


def enqueue(fiscal_year: int) -> None:
    """Queue the FY's computation once, however many replies of a transaction changed."""
    if not settings.SUGGESTIONS_ENABLED:
        return
    if django_cache.add(QUEUED_KEY.format(fiscal_year=fiscal_year), 1, QUEUED_SECONDS):
        celery_app.signature(TASK_NAME, args=(fiscal_year,)).delay()


def reply_changed(sender, instance: Response, **kwargs) -> None:
    """post_save of a response: a reply's texts may have changed; computed after the commit, in the background."""
    if settings.SUGGESTIONS_ENABLED and instance.is_reply:
        fiscal_year = instance.participant.workshop.fiscal_year
        transaction.on_commit(lambda: enqueue(fiscal_year))


def refresh(fiscal_year: int) -> int:
    """Compute and store the suggestions of the FY's descriptions (replacing the earlier ones); how many."""
    django_cache.delete(QUEUED_KEY.format(fiscal_year=fiscal_year))
    try:
        loaded = model()
    except Exception as error:  # any failure of a third-party loader: the product goes on without suggestions
        logger.exception("Suggestions: the model could not be loaded")
        django_cache.set(FAILURE_KEY, f"{type(error).__name__}: {error}", None)
        return 0
    django_cache.delete(FAILURE_KEY)
    learned = [(story.excerpt, story.kind) for story in SuccessStory.objects.counted()]
    suggester = suggestions.Suggester(loaded, learned)
    found = []  # (response id, answer, text)
    replies = Response.objects.replies().filter(participant__workshop__fiscal_year=fiscal_year)
    for row in replies.order_by("pk").values("pk", *FREE_TEXTS):
        found += [(row["pk"], answer, row[answer].strip()) for answer in FREE_TEXTS if row[answer].strip()]
    texts = [text for _pk, _answer, text in found]
    made = suggester.suggest(texts, q2=[answer == "q2_utilization" for _pk, answer, _text in found])
    now = timezone.now()
    rows = [
        DescriptionSuggestion(
            response_id=pk,
            answer=answer,
            language=suggestion.language,
            reason=suggestion.reason,
            tangible=suggestion.tangible,
            kind=suggestion.kind,
            section=suggestion.section,
            computed_at=now,
        )
        for (pk, answer, _text), suggestion in zip(found, made, strict=True)
    ]
    with transaction.atomic():
        DescriptionSuggestion.objects.filter(response__participant__workshop__fiscal_year=fiscal_year).delete()
        DescriptionSuggestion.objects.bulk_create(rows)
        for first, second in suggester.near_duplicates(texts):
            # Saved one by one: bulk_create sets no primary keys on every database.
            original = DescriptionSuggestion.objects.get(response_id=found[first][0], answer=found[first][1])
            DescriptionSuggestion.objects.filter(response_id=found[second][0], answer=found[second][1]).update(
                duplicate_of=original
            )
    return len(rows)


@dataclass(frozen=True)
class Agreement:
    """How often staff agreed with one kind of suggestion: the share of suggestions accepted unchanged, Cohen's
    kappa between the suggestion and the staff's decision, and n."""

    name: str
    accepted: int
    suggested: int
    kappa: float | None
    n: int

    @property
    def accepted_share(self) -> int | None:
        return percent(self.accepted, self.suggested)


# How often staff agreed with a suggestion decided in an app to the right of this one, which this app may not
# import: the (a)/(b) heading is chosen in the report's quotes, so ReportsConfig.ready adds
# reports.quotes.heading_agreement here. Each takes a fiscal year.
MEASURED_ELSEWHERE: list[Callable[[int], Agreement]] = []


def agreement(fiscal_year: int) -> list[Agreement]:
    """For the FY's descriptions with a suggestion: the hint against whether staff made a story of it, and the kind
    against the story's kind; then those measured elsewhere (MEASURED_ELSEWHERE: the (a)/(b) heading against the
    heading staff chose for the edition's Q2 quotes)."""
    rows = DescriptionSuggestion.objects.filter(
        response__participant__workshop__fiscal_year=fiscal_year, reason=""
    ).values_list("response_id", "answer", "tangible", "kind")
    stories = {
        (story.response_id, story.answer): story.kind
        for story in SuccessStory.objects.counted().filter(response__participant__workshop__fiscal_year=fiscal_year)
    }
    hint = [(bool(tangible), (pk, answer) in stories) for pk, answer, tangible, _kind in rows]
    kinds = [(kind, stories[(pk, answer)]) for pk, answer, tangible, kind in rows if (pk, answer) in stories and kind]
    return [
        Agreement(
            "hint",
            sum(1 for said, made in hint if said and made),
            sum(1 for said, _made in hint if said),
            suggestions.cohen_kappa(hint),
            len(hint),
        ),
        Agreement(
            "kind",
            sum(1 for said, made in kinds if said == made),
            len(kinds),
            suggestions.cohen_kappa(kinds),
            len(kinds),
        ),
        *(measure(fiscal_year) for measure in MEASURED_ELSEWHERE),
    ]
