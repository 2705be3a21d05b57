"""Writing a checked workbook: all in one transaction or nothing; a row that changes nothing is not saved."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from surveys.imports import extra_sheets
from surveys.imports.cells import fold
from surveys.imports.checks import Plan
from surveys.imports.outcome import Counts, ImportSummary, WorkbookError, WorkbookInvalid
from surveys.models import Response, Status
from surveys.questionnaire import rounds
from surveys.questionnaire.schedule import schedule_for
from workshops.models import (
    Participant,
    Workshop,
    fiscal_year_label,
)


@transaction.atomic
def write(plan: Plan) -> ImportSummary:
    """Write what the checked plan holds, all in one transaction."""
    # A round closed since the check: the lock makes a closing wait for this transaction, or this one see it.
    for year in sorted(plan.touched_fiscal_years):
        if rounds.is_closed(year, lock=True):
            message = gettext("the FY%(label)s round was closed while the workbook was checked") % {
                "label": fiscal_year_label(year)
            }
            raise WorkbookInvalid([WorkbookError("workbook", None, None, message)])
    summary = ImportSummary()
    workshops = dict(plan.existing_workshops)
    for code, row in plan.workshops.items():
        workshop = workshops.get(code) or Workshop()
        workshops[code] = workshop
        _apply(workshop, row.values, summary.workshops)

    participants = dict(plan.existing_participants)
    new_participants: list[Participant] = []
    for (code, email), row in plan.participants.items():
        participant = participants.get((code, email)) or Participant(workshop=workshops[code])
        participants[(code, email)] = participant
        values = {**row.values}
        values.pop("workshop")
        if participant.pk and fold(participant.email) == fold(values["email"]):
            values["email"] = participant.email  # same address, other case: leave it as first written
        if not values.get("language"):
            # Blank: a new participant gets the field's default (the office's language); one already in the
            # database keeps theirs, which they may have chosen on the questionnaire page.
            values.pop("language", None)
        _apply(participant, values, summary.participants, new=new_participants)
    # New participants in batches: a 100,000-row sheet is a few hundred INSERTs, not 100,000 (the database gives
    # their ids back, which the replies below need).
    Participant.objects.bulk_create(new_participants, batch_size=2_000)

    for key, row in plan.responses.items():
        if key in plan.frozen_replies:
            summary.responses.unchanged += 1
            continue
        participant = participants[key]
        response = Response.objects.filter(participant=participant).first() or Response(participant=participant)
        values = {k: v for k, v in row.values.items() if k not in ("workshop", "email")}
        values["status"] = Status.SUBMITTED
        values["late"] = schedule_for(participant.workshop).is_late(values["submitted_at"])
        _apply(response, values, summary.responses)

    # Other apps' sheets, in the same transaction, once the replies they may name are written.
    for name, planned in plan.extra.items():
        sheet = extra_sheets.REGISTERED[name]
        summary.others.append((sheet.summary, sheet.write(planned, plan.user)))
    return summary


def _apply(instance, values: dict[str, Any], counts: Counts, new: list | None = None) -> None:
    """Set the values on a model instance; save it only when something changed, so a re-import is a no-op.
    A new instance is added to `new`, when given, for the caller to create with the others at once."""
    changed = instance.pk is None
    for name, value in values.items():
        if name == "administration":
            if instance.pk is None or instance.administration_id != value.pk:
                instance.administration = value
                changed = True
            continue
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    if instance.pk is None:
        if new is None:
            instance.save()
        else:
            new.append(instance)
        counts.created += 1
    elif changed:
        instance.save()
        counts.updated += 1
    else:
        counts.unchanged += 1
