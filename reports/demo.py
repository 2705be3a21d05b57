"""Curated quotes for the demo fiscal year, so that the demo report shows every quoted section."""

from __future__ import annotations

from reports.models import Quote, Section
from reports.quotes import edition_for
from surveys.models import Response

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
