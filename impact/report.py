"""The Good Practice Report's section on the year's tangible results (reports.pdf puts it in the report's context;
templates/impact/_report_results.html prints it): the publishable success stories of the fiscal year, grouped by
kind in the kinds' order, each with its attribution. No story that may be published, no section."""

from __future__ import annotations

from dataclasses import dataclass

from impact.models import Kind, SuccessStory


@dataclass(frozen=True)
class StoryGroup:
    kind: Kind
    stories: list[SuccessStory]

    @property
    def label(self) -> str:
        return str(self.kind.label)  # read where the report is rendered, in the edition's language


def tangible_results(fiscal_year: int) -> list[StoryGroup]:
    stories = (
        SuccessStory.objects.counted()
        .of_fiscal_year(fiscal_year)
        .filter(publishable=True)
        .select_related("response__participant__workshop", "response__participant__administration")
    )
    by_kind: dict[str, list[SuccessStory]] = {}
    for story in stories:
        by_kind.setdefault(story.kind, []).append(story)
    return [StoryGroup(kind, by_kind[kind.value]) for kind in Kind if kind.value in by_kind]


def fingerprint_part(fiscal_year: int) -> list[tuple]:
    """What of the stories the report prints, for reports.pdf.fingerprint: a changed story renders the PDF again."""
    return list(
        SuccessStory.objects.of_fiscal_year(fiscal_year)
        .order_by("pk")
        .values_list("pk", "response_id", "excerpt", "kind", "publishable")
    )
