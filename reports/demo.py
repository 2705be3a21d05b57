"""Demo data beyond the workbook: curated quotes for the demo fiscal year, so that the demo report shows every
quoted section, and a workshop whose survey runs now, so that the demo shows the cycle."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from reports.models import Quote
from reports.quotes import edition_for
from surveys.models import Response, Status
from surveys.questionnaire.schedule import add_months
from workshops.models import TITLE_LANGUAGES, MemberAdministration, Participant, Scope, Workshop

DEMO_FISCAL_YEAR = 2019


def add_demo_quotes() -> int:
    """Quote the demo replies' own texts (the office file's [demo] quotes); running it again adds nothing. Returns
    the number of quotes added."""
    quotes = settings.OFFICE.demo.quotes
    if not quotes:
        return 0
    edition = edition_for(DEMO_FISCAL_YEAR)
    added = 0
    for order, (workshop, administration, answer, section) in enumerate(quotes):
        response = (
            Response.objects.replies()
            .filter(participant__workshop__code=workshop, participant__administration__code=administration)
            .first()
        )
        if response is None or not getattr(response, answer).strip():
            continue
        _, created = Quote.objects.get_or_create(
            edition=edition,
            response=response,
            answer=answer,
            defaults={"excerpt": getattr(response, answer).strip(), "section": section, "order": order},
        )
        added += created
    return added


# The code of the demo's workshop whose survey runs now (its data: the office file's [demo.in_progress]).
CURRENT_CODE = "DEMO-NOW"


def add_current_workshop(today: dt.date) -> Workshop | None:
    """The demo's workshop in progress, dated afresh at each start so that its invitation is due today: invited by
    the first dispatch pass, two replies in, one draft. Its title, venue and participants are the office's own (the
    office file's [demo.in_progress]); their addresses are example.org (the embedded default writes mail as files).
    None when the office file gives none."""
    current = settings.OFFICE.demo.in_progress
    if current is None:
        return None
    end = add_months(today, -settings.SURVEY_DELAY_MONTHS)
    workshop, _ = Workshop.objects.update_or_create(
        code=CURRENT_CODE,
        defaults={
            "title": current.title,
            **{f"title_{language}": current.titles.get(language, "") for language in TITLE_LANGUAGES},
            "scope": Scope.REGIONAL,
            "start_date": end - dt.timedelta(days=2),
            "end_date": end,
            "venue": current.venue,
            "surveyed": True,
        },
    )
    administrations = MemberAdministration.objects.in_bulk(
        [code for code, _name, _language in current.participants], field_name="code"
    )
    participants = []
    for code, name, language in current.participants:
        if code not in administrations:
            continue  # not one of the office's members (a list changed since): left out rather than misplaced
        email = f"{name.lower().replace(' ', '.').replace('-', '')}@{code.lower()}.customs.example.org"
        participant, _ = Participant.objects.get_or_create(
            workshop=workshop,
            email=email,
            defaults={
                "name": name,
                "administration": administrations[code],
                "language": language or settings.OFFICE.default_language,
            },
        )
        participants.append(participant)
    # Two replies typed in already (they get no invitation) and one draft.
    for participant, status in zip(participants, (Status.SUBMITTED, Status.SUBMITTED, Status.DRAFT), strict=False):
        Response.objects.get_or_create(
            participant=participant,
            defaults={
                "status": status,
                "submitted_at": timezone.now() if status == Status.SUBMITTED else None,
                "q1_shared_materials": True,
                "q1_shared_with": 6,
                "q1_submitted_report": True,
                "q2_utilization": current.reply_text,
                "q3_direct_effects": status == Status.SUBMITTED,
            },
        )
    return workshop
