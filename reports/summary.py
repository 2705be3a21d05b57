"""The sentences of the report, worded from the figures reports.figures computed (docs/report.md, "The
generated sentences"): the Executive Summary, the opening of 2.1 and the finding sentence that opens each of 2.2-2.6.
Nothing is counted here.

The office's conventions: the FY's regional/sub-regional workshops are counted without the accreditation workshops,
national workshops are stated on their own; the previous round's figure follows in brackets where that round gives
it; brackets never nest (a bracketed figure takes the previous round's after a semicolon); actions are named as a
reader says them; actions taken equally often share their rank.
"""

from __future__ import annotations

from reports.figures import Figures, ReportData, RoundFigures
from reports.tables import CountShare, RankedAction

ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]
YES_QUESTIONS = {
    "q3_direct_effects": "direct effects (Q3)",
    "q4_contributed": "better efficiency and effectiveness (Q4)",
    "q5_new_project": "new modernization projects (Q5)",
}
# Table 2's column headers as a reader says the actions in a sentence.
SPOKEN_ACTIONS = {
    "Share training materials": "sharing training materials",
    "Submit reports": "submitting reports to superiors",
    "Make recommendations": "making recommendations to management",
    "Organize in-house workshop": "organizing in-house workshops",
    "Develop operational manuals": "developing or updating operational manuals",
    "Others": "other actions",
}
SCOPE_WORDS = {"sub-regional": "sub-regional", "regional": "regional", "national": "national"}
COUNT_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def _ordinal(number: int) -> str:
    return ORDINALS[number - 1] if 0 < number <= len(ORDINALS) else f"{number}th"


def _count(number: int, noun: str) -> str:
    """`4 workshops`, `1 workshop`."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def spoken(action: str) -> str:
    return SPOKEN_ACTIONS.get(action, action.lower())


def _previous(value: int | None, unit: str = "%") -> str:
    """` (54% in the previous round)`, or nothing when the previous round does not give the figure."""
    return "" if value is None else f" ({value}{unit} in the previous round)"


def _bracketed(inside: str, previous: int | None) -> str:
    """` (82%; 75% in the previous round)`: one pair of brackets for a figure and the previous round's."""
    return f" ({inside})" if previous is None else f" ({inside}; {previous}% in the previous round)"


def _count_share(value: CountShare, previous: int | None) -> str:
    """`10 (77%; 86% in the previous round)` for a bottom line of Table 4 or 7."""
    return f"{value.count}" + (_bracketed(f"{value.percent}%", previous) if value.percent is not None else "")


def ranked(ranking: list[RankedAction]) -> list[tuple[int, RankedAction]]:
    """Competition ranking: actions taken equally often share a rank, and the next rank counts them
    (1, 2, 2, 4)."""
    result: list[tuple[int, RankedAction]] = []
    for position, action in enumerate(ranking, start=1):
        rank = result[-1][0] if result and result[-1][1].replies == action.replies else position
        result.append((rank, action))
    return result


def ranking_sentence(ranking: list[RankedAction]) -> str | None:
    """2.2: `The ranking of the follow-up actions is (1) sharing training materials, ..., (5) developing or updating
    operational manuals and other actions, equally often.` Actions nobody took are not ranked."""
    taken = [action for action in ranking if action.replies]
    if not taken:
        return None
    groups: list[tuple[int, list[RankedAction]]] = []
    for rank, action in ranked(taken):
        if groups and groups[-1][0] == rank:
            groups[-1][1].append(action)
        else:
            groups.append((rank, [action]))
    parts = []
    for rank, actions in groups:
        names = [spoken(action.name) for action in actions]
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        parts.append(f"({rank}) {joined}{', equally often' if len(names) > 1 else ''}")
    return "The ranking of the follow-up actions is " + "; ".join(parts) + "."


def top_actions(ranking: list[RankedAction], places: int = 3) -> list[RankedAction]:
    """The most common actions: the first `places` ranks' actions, with every action tied with the last of them."""
    taken = [action for action in ranking if action.replies]
    if len(taken) <= places:
        return taken
    threshold = taken[places - 1].replies
    return [action for action in taken if action.replies >= threshold]


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _workshops_sentence(figures: Figures) -> str:
    organized, surveyed = figures.workshops_organized, figures.workshops_surveyed
    sentence = (
        f"In FY{figures.fiscal_year_label}, the ROCB A/P organized a total of "
        f"{_count(organized, 'regional/sub-regional workshop')}, excluding the accreditation workshops; "
        f"{surveyed} of them {'was' if surveyed == 1 else 'were'} subjected to the {_ordinal(figures.round_number)} "
        f"round of the “Survey on the Follow-up Actions taken after the Participation in the WCO Regional Workshop” "
        f"(the Survey {figures.survey_year}), conducted six months after the respective workshops."
    )
    if figures.national_surveyed:
        national = figures.national_surveyed
        sentence += (
            f" The Survey also covered {_count(national, 'national workshop')}, counted on "
            f"{'its' if national == 1 else 'their'} own."
        )
    return sentence


def _scope_rates(figures: Figures) -> str | None:
    """`The reply rate was 89% from the participants of sub-regional workshops, 55% from those of regional
    workshops and 100% from those of national workshops.` Every scope present, each with its previous figure."""
    previous = figures.previous.rates_by_scope if figures.previous else {}
    parts: list[str] = []
    for scope, rate in figures.rates_by_scope.items():
        if rate is None:
            continue
        who = "the participants" if not parts else "those"
        parts.append(f"{rate}% from {who} of {SCOPE_WORDS.get(scope, scope)} workshops{_previous(previous.get(scope))}")
    return f"The reply rate was {_joined(parts)}." if parts else None


def summary_response_sentences(data: ReportData) -> list[str]:
    """The opening of the Executive Summary: workshops, round, replies and the reply rate."""
    figures = data.figures
    result = [_workshops_sentence(figures)]
    if figures.reply_rate is not None:
        previous = figures.previous.reply_rate if figures.previous else None
        result.append(
            f"The total number of replies to the Survey {figures.survey_year} is {figures.replies}, a reply rate of "
            f"{figures.reply_rate}%{_previous(previous)}."
        )
    return result


def response_sentences(data: ReportData) -> list[str]:
    """2.1: the same facts as the summary's opening in the words of the section (not repeated word for word),
    with the participants counted and the reply rate of each scope."""
    figures = data.figures
    surveyed = figures.workshops_surveyed + figures.national_surveyed
    result = [
        f"The Survey {figures.survey_year}, the {_ordinal(figures.round_number)} round of the survey, went to the "
        f"participants of the {_count(surveyed, 'workshop')} listed in Table 1, six months after each workshop: "
        f"{figures.workshops_surveyed} of the {figures.workshops_organized} regional/sub-regional workshops the "
        f"ROCB A/P organized in FY{figures.fiscal_year_label} (accreditation workshops aside)"
        + (f" and {_count(figures.national_surveyed, 'national workshop')}" if figures.national_surveyed else "")
        + "."
    ]
    if figures.reply_rate is not None:
        previous = figures.previous.reply_rate if figures.previous else None
        result.append(
            f"Of their {figures.participants} participants, {figures.replies} replied: a reply rate of "
            f"{figures.reply_rate}%{_previous(previous)}."
        )
        rates = _scope_rates(figures)
        if rates:
            result.append(rates)
    return result


def _previous_of(previous: RoundFigures | None, name: str, key: str) -> int | None:
    if previous is None:
        return None
    return getattr(previous, name).get(key)


def sentences(data: ReportData) -> list[str]:
    """The generated part of the Executive Summary."""
    figures: Figures = data.figures
    previous = figures.previous
    result = summary_response_sentences(data)
    top = [
        f"{spoken(action.name)}{_bracketed(f'{action.percent}%', _previous_of(previous, 'action_shares', action.name))}"
        for action in top_actions(figures.action_ranking)
        if action.percent is not None
    ]
    if top:
        result.append(f"The most common follow-up actions were {_joined(top)}.")
    if figures.effects_attributed.count:
        result.append(
            "Of the respondents who realized direct effects, "
            f"{_count_share(figures.effects_attributed, previous.effects_attributed if previous else None)} had "
            "shared workshop materials and/or organized in-house workshops."
        )
    if figures.projects_attributed.count:
        result.append(
            "Of the respondents who initiated new projects, "
            f"{_count_share(figures.projects_attributed, previous.projects_attributed if previous else None)} had "
            "submitted reports and/or made recommendations."
        )
    association = association_summary(data)
    if association:
        result.append(association)
    yes = [
        f"{share}% reported {YES_QUESTIONS[question]}{_previous(_previous_of(previous, 'yes_shares', question))}"
        for question, share in figures.yes_shares.items()
        if share is not None and question in YES_QUESTIONS
    ]
    if yes:
        result.append("Among the replies to each question, " + "; ".join(yes) + ".")
    return result


def section_openings(data: ReportData) -> dict[str, list[str]]:
    """The sentences that open each of 2.2-2.6 with its finding, the previous round's figure where it exists
    (keys "2.2" ... "2.6"); 2.2 also states the colleagues reached (Q1 and Q1bis). 2.3's finding (the replies that
    describe the lessons' use, Q2) has no previous figure: the published reports give none."""
    figures = data.figures
    previous = figures.previous
    openings: dict[str, list[str]] = {}
    first = [action for rank, action in ranked(figures.action_ranking) if rank == 1 and action.replies]
    openings["2.2"] = []
    if len(first) == 1 and first[0].percent is not None:
        name = spoken(first[0].name)
        openings["2.2"].append(
            f"{name[:1].upper()}{name[1:]} was the most common follow-up action, taken by {first[0].percent}% of the "
            f"respondents{_previous(_previous_of(previous, 'action_shares', first[0].name))}."
        )
    elif first and first[0].percent is not None:
        names = [
            f"{spoken(action.name)}{_previous(_previous_of(previous, 'action_shares', action.name))}"
            for action in first
        ]
        subject = _joined(names)
        openings["2.2"].append(
            f"{subject[:1].upper()}{subject[1:]} were equally the most common follow-up actions, each taken by "
            f"{first[0].percent}% of the respondents."
        )
    colleagues = figures.colleagues
    if colleagues.shared_with_total:
        median = colleagues.shared_with_median
        sentence = f"The respondents shared the training materials with {colleagues.shared_with_total} colleagues"
        sentence += f" in all, a median of {_number(median)} each (Q1)" if median is not None else " in all (Q1)"
        if colleagues.learned_total:
            learned = colleagues.learned_median
            sentence += f"; by their estimate {colleagues.learned_total} colleagues learned from them"
            sentence += f", a median of {_number(learned)} each (Q1bis)" if learned is not None else " (Q1bis)"
        openings["2.2"].append(sentence + ".")
    described = figures.utilization_described
    if described.count and described.percent is not None:
        openings["2.3"] = [
            f"{described.count} of the {figures.replies} respondents ({described.percent}%) described how the lessons "
            "learnt at the workshop are utilized in their administration (Q2)."
        ]
    for key, number, question, what in (
        ("2.4", "Q3", "q3_direct_effects", "realized direct effects from the application of what they learnt"),
        ("2.5", "Q4", "q4_contributed", "consider that the workshop improved their administration's work"),
        ("2.6", "Q5", "q5_new_project", "saw a new modernization project initiated after the workshop"),
    ):
        share = figures.yes_shares.get(question)
        if share is None:
            continue
        earlier = _previous(_previous_of(previous, "yes_shares", question))
        openings[key] = [f"{share}% of the respondents who answered {number} {what}{earlier}."]
    return openings


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"


def association_summary(data: ReportData) -> str | None:
    """What section 2.7 found, in one sentence, from the same list it reads (stats.clear_associations): the
    bottom lines above describe who did what, and the summary claims no more than the statistics carry."""
    from reports.stats import clear_associations  # scipy, as for the association table itself

    table = data.tables.get("associations")
    if table is None or not table.rows:
        return None
    clear = clear_associations(table)
    if not clear:
        return (
            "These figures describe what the respondents did, not that one step led to another: section 2.7 finds "
            "no association between a follow-up action and an outcome that chance alone could not explain."
        )
    columns = table.columns
    action, outcome, phi = columns.index("Follow-up action"), columns.index("Outcome"), columns.index("Phi")
    found = [
        f"{spoken(row[action])} with {row[outcome][:1].lower() + row[outcome][1:]}, "
        f"{'more' if (row[phi] or 0) > 0 else 'less'} often"
        for row in clear
    ]
    return (
        "These figures describe what the respondents did, not that one step led to another; section 2.7 finds an "
        f"association unlikely to be chance alone only for {'; '.join(found)}."
    )
