"""The sentences of the Executive Summary and of 2.1, worded from the figures reports.figures computed
(docs/report.md, "The generated sentences"). Nothing is counted here."""

from __future__ import annotations

from reports.figures import Figures, ReportData
from reports.tables import CountShare

ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]
YES_QUESTIONS = {
    "q3_direct_effects": "direct effects (Q3)",
    "q4_contributed": "better efficiency and effectiveness (Q4)",
    "q5_new_project": "new modernization projects (Q5)",
}


def _ordinal(number: int) -> str:
    return ORDINALS[number - 1] if 0 < number <= len(ORDINALS) else f"{number}th"


def _previous(value: int | CountShare | None, unit: str = "") -> str:
    """` (54% in the previous round)`, or nothing when the previous round does not give the figure."""
    return "" if value is None else f" ({value}{unit} in the previous round)"


def response_sentences(data: ReportData) -> list[str]:
    """2.1 and the opening of the Executive Summary: workshops, round, replies and reply rates."""
    figures = data.figures
    organized = figures.workshops_organized
    sentences = [
        f"In FY{figures.fiscal_year_label}, the ROCB A/P organized {organized} regional/sub-regional "
        f"workshop{'s' if organized != 1 else ''}, {figures.workshops_surveyed} of which were subjected to the "
        f"{_ordinal(figures.round_number)} round of the “Survey on the Follow-up Actions taken after the "
        f"Participation in the WCO Regional Workshop” (the Survey {figures.survey_year}), conducted six months "
        f"after the respective workshops."
    ]
    if figures.reply_rate is not None:
        previous = figures.previous.reply_rate if figures.previous else None
        sentence = (
            f"The total number of replies to the Survey {figures.survey_year} is {figures.replies}, a reply rate of "
            f"{figures.reply_rate}%{_previous(previous, '%')}."
        )
        rates = [
            f"{rate}% from the participants of {kind} workshops"
            for rate, kind in ((figures.subregional_rate, "sub-regional"), (figures.regional_rate, "regional"))
            if rate is not None
        ]
        if rates:
            sentence += " The reply rate was " + ", and ".join(rates) + "."
        sentences.append(sentence)
    return sentences


def sentences(data: ReportData) -> list[str]:
    """The generated part of the Executive Summary."""
    figures: Figures = data.figures
    result = response_sentences(data)
    top = [f"{name.lower()} ({share}%)" for name, count, share in figures.top_actions if count and share is not None]
    if top:
        result.append(f"The most common follow-up actions were: {', '.join(top)}.")
    previous = figures.previous
    if figures.effects_attributed.count:
        result.append(
            f"Of the respondents who realized direct effects, {figures.effects_attributed}"
            f"{_previous(previous.effects_attributed if previous else None)} had shared workshop materials and/or "
            f"organized in-house workshops."
        )
    if figures.projects_attributed.count:
        result.append(
            f"Of the respondents who initiated new projects, {figures.projects_attributed}"
            f"{_previous(previous.projects_attributed if previous else None)} had submitted reports and/or made "
            f"recommendations."
        )
    yes = [
        f"{share}% reported {YES_QUESTIONS[question]}"
        for question, share in figures.yes_shares.items()
        if share is not None and question in YES_QUESTIONS
    ]
    if yes:
        result.append("Among the replies to each question, " + "; ".join(yes) + ".")
    return result
