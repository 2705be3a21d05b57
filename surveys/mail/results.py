"""A workshop's aggregated answers, as its participants read them in the feedback e-mail (and staff on the
workshop's page): how many replied, how many took each follow-up action, how many said Yes and No.

Counted in the database in two queries. Only submitted replies count (surveys.models.ResponseQuerySet.replies),
late ones included, drafts never; a question left blank is neither Yes nor No.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.functional import Promise

from surveys.instrument import Q1_ACTIONS, YES_NO_QUESTIONS
from surveys.models import Response
from workshops.models import Workshop


@dataclass(frozen=True)
class WorkshopResults:
    replies: int
    participants: int
    # Labels stay lazy: one workshop's results are counted once per batch and read in each recipient's language.
    actions: list[tuple[str | Promise, int]]  # (Q1 action as the questionnaire's box reads, replies that ticked it)
    yes_no: list[tuple[str | Promise, int, int]]  # (Q3/Q4/Q5 label, yes, no)


def _label(name: str) -> str | Promise:
    """An answer field's name, translated when it is read."""
    return Response._meta.get_field(name).verbose_name  # type: ignore[union-attr]


def workshop_results(workshop: Workshop) -> WorkshopResults:
    counts = (
        Response.objects.replies()
        .filter(participant__workshop=workshop)
        .aggregate(
            replies=Count("pk"),
            **{action: Count("pk", filter=Q(**{action: True})) for action in Q1_ACTIONS},
            **{f"{question}_yes": Count("pk", filter=Q(**{question: True})) for question in YES_NO_QUESTIONS},
            **{f"{question}_no": Count("pk", filter=Q(**{question: False})) for question in YES_NO_QUESTIONS},
        )
    )
    return WorkshopResults(
        replies=counts["replies"],
        participants=workshop.participants.count(),
        actions=[(_label(action), counts[action]) for action in Q1_ACTIONS],
        yes_no=[
            (_label(question), counts[f"{question}_yes"], counts[f"{question}_no"]) for question in YES_NO_QUESTIONS
        ],
    )
