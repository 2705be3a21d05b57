"""The sentences of the Executive Summary and of 2.1, read off the computed tables (their summary rows are named
in good-practice-report.md) and the earlier rounds' headline figures. Nothing is counted here."""

from __future__ import annotations

from typing import Any

from reports.models import EarlierRound
from workshops.models import Workshop, fiscal_year_label

ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]


def _summary_row(table: Any, name: str) -> dict[str, Any] | None:
    for row in table.summary:
        if str(row[1]).startswith(name):
            return dict(zip(table.columns, row, strict=False))
    return None


def round_number(fiscal_year: int) -> int | None:
    """The survey's round: the published ones as kept, later ones counted on from the last published."""
    earlier = EarlierRound.objects.filter(fiscal_year__lte=fiscal_year).order_by("-fiscal_year").first()
    return None if earlier is None else earlier.round_number + fiscal_year - earlier.fiscal_year


def previous_reply_rate(fiscal_year: int) -> int | None:
    previous = EarlierRound.objects.filter(fiscal_year=fiscal_year - 1).first()
    return None if previous is None else previous.reply_rate_percent


def _ordinal(number: int | None) -> str:
    if number is None:
        return "latest"
    return ORDINALS[number - 1] if 0 < number <= len(ORDINALS) else f"{number}th"


def response_sentences(fiscal_year: int, data: Any) -> list[str]:
    organized = Workshop.objects.of_fiscal_year(fiscal_year).count()
    surveyed = Workshop.objects.of_fiscal_year(fiscal_year).surveyed().count()
    survey_year = fiscal_year + 1
    sentences = [
        f"In FY{fiscal_year_label(fiscal_year)}, the ROCB A/P organized {organized} regional/sub-regional "
        f"workshop{'s' if organized != 1 else ''}, {surveyed} of which were subjected to the "
        f"{_ordinal(round_number(fiscal_year))} round of the “Survey on the Follow-up Actions taken after the "
        f"Participation in the WCO Regional Workshop” (the Survey {survey_year}), conducted six months after the "
        f"respective workshops."
    ]
    table1 = data.tables.get("table1")
    total = _summary_row(table1, "Total") if table1 else None
    if total:
        previous = previous_reply_rate(fiscal_year)
        sentence = (
            f"The total number of replies to the Survey {survey_year} is {total['Replies']}, a reply rate of "
            f"{total['Reply rate (%)']}%"
        )
        sentence += f" ({previous}% in the previous round)." if previous is not None else "."
        rates = [
            f"{_summary_row(table1, name)['Reply rate (%)']}% from the participants of {kind} workshops"
            for name, kind in (
                ("Sub-total of Sub-Regional", "sub-regional"),
                ("Sub-total of Regional", "regional"),
                ("Sub-total of National", "national"),
            )
            if _summary_row(table1, name)
        ]
        if rates:
            sentence += " The reply rate was " + ", and ".join(rates) + "."
        sentences.append(sentence)
    return sentences


def sentences(fiscal_year: int, data: Any) -> list[str]:
    """The generated part of the Executive Summary."""
    result = response_sentences(fiscal_year, data)
    tables = data.tables
    if "table2" in tables:
        shares = _summary_row(tables["table2"], "%")
        if shares:
            actions = [(column, shares[column]) for column in tables["table2"].columns[3:] if shares[column] != ""]
            top = sorted(actions, key=lambda action: -int(action[1]))[:3]
            listed = ", ".join(f"{name.lower()} ({share}%)" for name, share in top)
            result.append(f"The most common follow-up actions were: {listed}.")
    for key, outcome, causes in (
        ("table4", "realized direct effects", "shared workshop materials and/or organized in-house workshops"),
        ("table7", "initiated new projects", "submitted reports and/or made recommendations"),
    ):
        if key in tables and tables[key].summary:
            bottom = tables[key].summary[-1][-1]
            result.append(f"Of the respondents who {outcome}, {bottom} had {causes}.")
    yes = []
    for key, question in (
        ("table3", "direct effects (Q3)"),
        ("table5", "better efficiency (Q4)"),
        ("table6", "new projects (Q5)"),
    ):
        total = _summary_row(tables[key], "Total") if key in tables else None
        if total and "Yes (%)" in total:
            yes.append(f"{total['Yes (%)']}% reported {question}")
    if yes:
        result.append("Among the replies to each question, " + "; ".join(yes) + ".")
    return result
