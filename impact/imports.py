"""Past rounds' success stories from a workbook: the optional sheet `success_stories` (docs/import-format.md), with
the columns `workshop`, `email`, `kind`, `excerpt`, `publish` and, optionally, `description` (which answer the story
comes from: q1_others_text, q2_utilization, q3_text, q4_text or q5_text; blank: the reply's first description that
holds no story yet, in Q3, Q4, Q5, Q2, Q1 order).

It reads with the survey import's reader (surveys.imports.reading: the same limits, cell parsers and error lines,
`success_stories!3 email: ...`) and writes all or nothing: a row naming a reply that does not exist is refused with
its row, and nothing is imported. `import_success_stories` runs on its own; surveys.imports can call it inside its
own transaction once it knows the sheet (docs/impact.md, "The workbook sheet").
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from impact.models import Kind, SuccessStory
from surveys.imports.cells import CellError, parse_code, parse_email, parse_required_text, parse_tick, shown
from surveys.imports.columns import Column
from surveys.imports.outcome import WorkbookInvalid
from surveys.imports.reading import Reader, Row
from surveys.models import FREE_TEXTS, TEXT_MAX_LENGTH, Response

SHEET = "success_stories"
# The order in which a blank `description` takes a reply's texts: where results are most often written first.
DESCRIPTION_ORDER = ("q3_text", "q4_text", "q5_text", "q2_utilization", "q1_others_text")


def parse_kind(value: Any) -> str:
    """A kind by its code (law, system, ...) or its English name, any case."""
    text = parse_required_text(value, 60).lower()
    for kind in Kind:
        if text in (kind.value, str(kind.label).lower()):
            return kind.value
    raise CellError(
        gettext("expected one of %(kinds)s, got %(value)s") % {"kinds": ", ".join(Kind.values), "value": shown(value)}
    )


def parse_description(value: Any) -> str:
    text = "" if value is None else str(value).strip().lower()
    if text and text not in FREE_TEXTS:
        raise CellError(
            gettext("expected one of %(names)s, got %(value)s")
            % {"names": ", ".join(FREE_TEXTS), "value": shown(value)}
        )
    return text


COLUMNS = (
    Column("workshop", parse_code, required=True),
    Column("email", parse_email, required=True),
    Column("kind", parse_kind, required=True),
    Column("excerpt", lambda value: parse_required_text(value, TEXT_MAX_LENGTH), required=True),
    Column("publish", parse_tick),
    Column("description", parse_description),
)


class StoriesReader(Reader):
    """The survey import's reader, for the one sheet this app reads; the workbook's other sheets are left to the
    survey import."""

    def columns_of(self, sheet: str) -> tuple[Column, ...]:
        return COLUMNS

    def _read_sheets(self, book) -> dict[str, list[Row]]:
        for title, part in book.sheets:
            if title.strip().lower() == SHEET:
                return {SHEET: self._read_sheet(SHEET, book.rows(part))}
        return {}


def planned_stories(rows: list[Row], reader: Reader, user=None) -> list[SuccessStory]:
    """The stories the rows make, each checked against the database; every problem is an error of its row."""
    keys = {(row.values.get("workshop"), row.values.get("email")) for row in rows}
    replies: dict[tuple[str, str], Response] = {}
    for response in (
        Response.objects.replies()
        .filter(participant__workshop__code__in={workshop for workshop, _email in keys})
        .select_related("participant__workshop")
    ):
        replies[(response.participant.workshop.code, response.participant.email.lower())] = response
    taken = {
        (story.response_id, story.answer)
        for story in SuccessStory.objects.filter(response__in=list(replies.values())).only("response_id", "answer")
    }
    planned = []
    now = timezone.now()
    for row in rows:
        if not {"workshop", "email", "kind", "excerpt"} <= set(row.values):
            continue  # a cell of the row was refused already
        response = replies.get((row.values["workshop"], row.values["email"].lower()))
        if response is None:
            reader.error(SHEET, row.number, "email", gettext("no reply of this participant in this workshop"))
            continue
        answer = row.values.get("description") or next(
            (
                name
                for name in DESCRIPTION_ORDER
                if getattr(response, name).strip() and (response.pk, name) not in taken
            ),
            "",
        )
        if not answer or not getattr(response, answer).strip():
            reader.error(SHEET, row.number, "description", gettext("The reply has no text for this description."))
            continue
        if (response.pk, answer) in taken:
            reader.error(SHEET, row.number, "description", gettext("this description holds a success story already"))
            continue
        taken.add((response.pk, answer))
        story = SuccessStory(
            response=response,
            answer=answer,
            excerpt=row.values["excerpt"],
            kind=row.values["kind"],
            publishable=row.values.get("publish", False),
        )
        story.confirm(user, now)
        planned.append(story)
    return planned


def import_success_stories(source: str | Path | IO[bytes], user=None) -> int:
    """Import the sheet's stories, all or nothing: raises WorkbookInvalid, having written nothing, on any error.
    Returns how many stories were added (0 for a workbook without the sheet)."""
    reader = StoriesReader()
    sheets = reader.read(source)
    if not sheets and reader.errors:  # not a workbook we can read: nothing to check against the database
        raise WorkbookInvalid(reader.errors, reader.unlisted)
    stories = planned_stories(sheets.get(SHEET, []), reader, user)
    if reader.errors:
        raise WorkbookInvalid(sorted(reader.errors, key=lambda e: e.row or 0), reader.unlisted)
    with transaction.atomic():
        SuccessStory.objects.bulk_create(stories)
    return len(stories)
