"""Past rounds' success stories from a workbook: the optional sheet `success_stories` of the survey import
(docs/import-format.md), with the columns `workshop`, `email`, `kind`, `excerpt`, `publish` and, optionally,
`description` (which answer the story comes from: q1_others_text, q2_utilization, q3_text, q4_text or q5_text; blank:
the reply's story with the same excerpt, else its first description that holds no story yet, in Q3, Q4, Q5, Q2, Q1
order).

`ImpactConfig.ready` registers the sheet with the survey import (surveys.imports.extra_sheets), which may not import
this app: the admin's upload and `manage.py import_workbook` read it with the other sheets (the same limits, cell
parsers and error lines, `success_stories!3 email: ...`), `check_stories` checks it after them (a story may stand on
a reply the same workbook brings), and `write_stories` writes it in the same transaction, all or nothing. Importing
the same workbook again changes nothing: a row matches the story already on its description.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext

from impact.models import Kind, SuccessStory
from surveys.imports.cells import CellError, fold, parse_code, parse_email, parse_required_text, parse_tick, shown
from surveys.imports.checks import Plan
from surveys.imports.columns import Column
from surveys.imports.extra_sheets import ExtraSheet
from surveys.imports.outcome import Counts
from surveys.imports.reading import Row
from surveys.models import FREE_TEXTS, TEXT_MAX_LENGTH, Response

SHEET = "success_stories"
# The order in which a blank `description` takes a reply's texts: where results are most often written first.
DESCRIPTION_ORDER = ("q3_text", "q4_text", "q5_text", "q2_utilization", "q1_others_text")

Key = tuple[str, str]  # (workshop code, e-mail), folded


@cache
def kinds_by_english_name() -> dict[str, str]:
    """The kinds by their English name, lower case (read once: the labels are lazy and would otherwise follow the
    importer's language)."""
    with translation.override("en"):
        return {str(kind.label).lower(): kind.value for kind in Kind}


def parse_kind(value: Any) -> str:
    """A kind by its code (law, system, ...) or its English name, any case, whatever the language of the import."""
    text = parse_required_text(value, 60).lower()
    if text in Kind.values:
        return text
    if text in kinds_by_english_name():
        return kinds_by_english_name()[text]
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


@dataclass
class PlannedStory:
    """A checked row: the story it adds to a reply's description, or the stored story it matches."""

    key: Key
    answer: str
    values: dict[str, Any]  # excerpt, kind, publishable
    stored: SuccessStory | None


def check_stories(rows: list[Row], plan: Plan) -> list[PlannedStory]:
    """The stories the rows make, each checked against the replies the workbook leaves (those of its `responses`
    sheet, and the database's): every problem is an error of its row; nothing is written."""
    error = plan.reader.error
    complete = [row for row in rows if {"workshop", "email", "kind", "excerpt"} <= set(row.values)]
    replies = plan.replies_after_import({(row.values["workshop"], row.values["email"]) for row in complete})
    stored: dict[Key, dict[str, SuccessStory]] = {}
    keys_of = {reply.stored.pk: key for key, reply in replies.items() if reply.stored is not None}
    for story in SuccessStory.objects.filter(response_id__in=list(keys_of)):
        stored.setdefault(keys_of[story.response_id], {})[story.answer] = story
    claimed: dict[tuple[Key, str], int] = {}  # (reply, description) -> the row that took it
    planned = []
    for row in complete:  # a row with a refused cell was reported already
        key = (fold(row.values["workshop"]), fold(row.values["email"]))
        reply = replies.get(key)
        if reply is None or not reply.is_reply:
            error(SHEET, row.number, "email", gettext("no reply of this participant in this workshop"))
            continue
        stories = stored.get(key, {})
        excerpt = row.values["excerpt"]
        answer = row.values.get("description") or next(
            # The same story imported again, else the first description still free.
            (name for name, story in stories.items() if story.excerpt == excerpt and (key, name) not in claimed),
            next(
                (
                    name
                    for name in DESCRIPTION_ORDER
                    if reply.texts[name].strip() and name not in stories and (key, name) not in claimed
                ),
                "",
            ),
        )
        if not answer or not reply.texts[answer].strip():
            error(SHEET, row.number, "description", gettext("The reply has no text for this description."))
            continue
        if (key, answer) in claimed:
            error(
                SHEET,
                row.number,
                "description",
                gettext("a second story of this description (also row %(row)s)") % {"row": claimed[(key, answer)]},
            )
            continue
        claimed[(key, answer)] = row.number
        values = {"excerpt": excerpt, "kind": row.values["kind"], "publishable": row.values.get("publish", False)}
        planned.append(PlannedStory(key, answer, values, stories.get(answer)))
    return planned


def write_stories(planned: list[PlannedStory], user) -> Counts:
    """Write the checked stories, inside the survey import's transaction once its replies are written: a new story
    is added, a stored one changed only where the row differs, confirmed by whoever imports (None: the command)."""
    counts = Counts()
    replies: dict[Key, Response] = {}
    if any(story.stored is None for story in planned):
        codes = {code for code, _email in (story.key for story in planned)}
        for response in (
            Response.objects.annotate(code_key=Lower("participant__workshop__code"))
            .filter(code_key__in=codes)
            .select_related("participant__workshop")
        ):
            replies[(fold(response.participant.workshop.code), fold(response.participant.email))] = response
    now = timezone.now()
    new: list[SuccessStory] = []
    for planned_story in planned:
        story = planned_story.stored or SuccessStory(response=replies[planned_story.key], answer=planned_story.answer)
        if story.pk is not None and all(getattr(story, k) == v for k, v in planned_story.values.items()):
            counts.unchanged += 1
            continue
        for name, value in planned_story.values.items():
            setattr(story, name, value)
        story.confirm(user, now)
        if story.pk is None:
            new.append(story)
            counts.created += 1
        else:
            story.save()
            counts.updated += 1
    SuccessStory.objects.bulk_create(new)
    return counts


def summary(counts: Counts) -> str:
    return gettext("Success stories: %(created)s new, %(updated)s updated, %(unchanged)s unchanged") % counts.values()


def notes() -> dict[str, str]:
    """The template workbook's note on each column (the survey's own note serves for `workshop`)."""
    return {
        "email": gettext(
            "The participant's address; they must have a reply, in the responses sheet or already in the database."
        ),
        "kind": gettext("law, system, procedure, unit, project, outcome or other (or the kind's English name)."),
        "excerpt": gettext("The result in a few words, up to 5,000 characters; the reply is kept as written."),
        "publish": gettext("Ticked (x, yes or 1): the report may print it; blank: it may not."),
        "description": gettext(
            "The answer the story comes from: q1_others_text, q2_utilization, q3_text, q4_text or q5_text; blank: "
            "the reply's first answer without a story."
        ),
    }


SUCCESS_STORIES = ExtraSheet(
    name=SHEET,
    columns=COLUMNS,
    check=check_stories,
    write=write_stories,
    summary=summary,
    notes=notes,
    # A story of the template's sample reply (surveys.imports.template.SAMPLE), so the template imports as it is.
    sample={
        "workshop": "FY24-AEO",
        "email": "jane.doe@customs.example.org",
        "kind": "procedure",
        "excerpt": "AEO self-assessment used in the national programme",
        "publish": "x",
        "description": "q2_utilization",
    },
)
