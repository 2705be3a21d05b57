"""Demo data beyond the workbook: curated quotes for the demo fiscal year, so that the demo report shows every
quoted section, and a workshop whose survey runs now, so that the demo shows the cycle."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from reports.models import Quote, Section
from reports.quotes import edition_for
from surveys.models import Response, Status
from surveys.questionnaire.schedule import add_months
from workshops.models import MemberAdministration, Participant, Scope, Workshop

DEMO_FISCAL_YEAR = 2019

# (workshop code, administration code, answer, section): texts the FY2019/20 report quoted.
DEMO_QUOTES: tuple[tuple[str, str, str, str], ...] = (
    ("FY19-RMT", "MV", "q1_others_text", Section.OTHERS),
    ("FY19-AEO", "TO", "q1_others_text", Section.OTHERS),
    ("FY19-IPR", "FJ", "q1_others_text", Section.OTHERS),
    ("FY19-RMT", "ID", "q2_utilization", Section.OPERATIONAL),
    ("FY19-AEO", "HK", "q2_utilization", Section.OPERATIONAL),
    ("FY19-RMT", "NP", "q2_utilization", Section.STRATEGIC),
    ("FY19-AEO", "VN", "q2_utilization", Section.STRATEGIC),
    ("FY19-AEO", "MY", "q3_text", Section.DIRECT_EFFECTS),
    ("FY19-VAL", "MM", "q3_text", Section.DIRECT_EFFECTS),
    ("FY19-AEO", "AU", "q4_text", Section.EFFICIENCY),
    ("FY19-IPR", "FJ", "q4_text", Section.EFFICIENCY),
    ("FY19-AEO", "HK", "q5_text", Section.PROJECTS),
    ("FY19-IPR", "WS", "q5_text", Section.PROJECTS),
)


def add_demo_quotes() -> int:
    """Quote the demo replies' own texts; running it again adds nothing. Returns the number of quotes added."""
    edition = edition_for(DEMO_FISCAL_YEAR)
    added = 0
    for order, (workshop, administration, answer, section) in enumerate(DEMO_QUOTES):
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


# A workshop whose survey runs now, so that the demo shows the cycle: invited by the first dispatch pass, two
# replies in, one draft. (administration code, name) of its participants.
CURRENT_CODE = "DEMO-NOW"
CURRENT_PARTICIPANTS: tuple[tuple[str, str], ...] = (
    ("FJ", "Mere Tuilagi"),
    ("TH", "Somchai Rattanakul"),
    ("PH", "Maria Santos"),
    ("MN", "Bat-Erdene Dorj"),
    ("LK", "Nimal Perera"),
    ("VN", "Nguyen Thi Lan"),
    ("PG", "John Kila"),
    ("BT", "Karma Wangchuk"),
)


def add_current_workshop(today: dt.date) -> Workshop:
    """The demo's workshop in progress, dated afresh at each start so that its invitation is due today (its
    participants' addresses are example.org: the embedded default writes the mail as files)."""
    end = add_months(today, -settings.SURVEY_DELAY_MONTHS)
    workshop, _ = Workshop.objects.update_or_create(
        code=CURRENT_CODE,
        defaults={
            "title": "WCO Regional Workshop on Data Analytics (demo: survey in progress)",
            "scope": Scope.REGIONAL,
            "start_date": end - dt.timedelta(days=2),
            "end_date": end,
            "venue": "Bangkok, Thailand",
            "surveyed": True,
        },
    )
    administrations = MemberAdministration.objects.in_bulk(
        [code for code, _ in CURRENT_PARTICIPANTS], field_name="code"
    )
    # Another office's list (docs/offices.md) has other codes: its own administrations stand in, in code order.
    others = iter(MemberAdministration.objects.exclude(code__in=list(administrations)).order_by("code"))
    for code, _name in CURRENT_PARTICIPANTS:
        if code not in administrations:
            administrations[code] = next(others)
    participants = []
    for code, name in CURRENT_PARTICIPANTS:
        email = f"{name.lower().replace(' ', '.').replace('-', '')}@{code.lower()}.customs.example.org"
        participant, _ = Participant.objects.get_or_create(
            workshop=workshop, email=email, defaults={"name": name, "administration": administrations[code]}
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
                "q2_utilization": "The risk indicators from the workshop are now part of our weekly targeting meeting.",
                "q3_direct_effects": status == Status.SUBMITTED,
            },
        )
    return workshop
