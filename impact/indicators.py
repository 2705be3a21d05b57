"""The office's indicators (rocbap.office: the `[[indicators]]` of its file) and how far each has come: "7 of 10,
30 June 2024". An indicator counts the confirmed success stories whose reply was submitted in its period."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.dateformat import format as date_format
from django.utils.translation import get_language, gettext

from impact.models import SuccessStory, SuccessStoryQuerySet
from rocbap.office import Indicator


@dataclass(frozen=True)
class Progress:
    indicator: Indicator
    count: int

    @property
    def label(self) -> str:
        return self.indicator.label(get_language())

    @property
    def reached(self) -> bool:
        return self.count >= self.indicator.target

    @property
    def summary(self) -> str:
        """'7 of 10, 30 June 2024', in the active language."""
        return gettext("%(count)s of %(target)s, %(end)s") % {
            "count": self.count,
            "target": self.indicator.target,
            "end": date_format(self.indicator.end, "j F Y"),
        }

    @property
    def period(self) -> str:
        return gettext("%(start)s to %(end)s") % {
            "start": date_format(self.indicator.start, "j F Y"),
            "end": date_format(self.indicator.end, "j F Y"),
        }


def counted_stories(indicator: Indicator) -> SuccessStoryQuerySet:
    """The stories an indicator counts."""
    return SuccessStory.objects.counted().reported_between(indicator.start, indicator.end)


def indicator_progress() -> list[Progress]:
    """Each of the office's indicators with its count, in the file's order (one query each: there are few)."""
    return [Progress(indicator, counted_stories(indicator).count()) for indicator in settings.OFFICE.indicators]


def indicator_named(key: str) -> Indicator | None:
    return next((indicator for indicator in settings.OFFICE.indicators if indicator.key == key), None)
