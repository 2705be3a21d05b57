"""The sentences of the report, worded from the figures reports.figures computed (docs/report.md, "The
generated sentences"): the Executive Summary, the opening of 2.1 and the finding sentence that opens each of 2.2-2.6.
Nothing is counted here.

The office's conventions: the FY's regional/sub-regional workshops are counted without the accreditation workshops,
national workshops are stated on their own; the previous round's figure follows in brackets where that round gives
it; brackets never nest (a bracketed figure takes the previous round's after a semicolon); actions are named as a
reader says them; actions taken equally often share their rank.

Every sentence is worded in the active language (the report edition's, reports.pdf): each is one translatable
message with named figures, so that a translation can order the words as its language does; per cent signs and
decimals follow the language (rocbap.percentages.percent_sign, django.utils.formats).
"""

from __future__ import annotations

from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from reports.cells import CountShare
from reports.figures import Figures, ReportData, RoundFigures
from reports.tables import RankedAction
from rocbap.languages import office_names
from rocbap.percentages import percent_sign

YES_QUESTIONS = {
    "q3_direct_effects": _("direct effects (Q3)"),
    "q4_contributed": _("better efficiency and effectiveness (Q4)"),
    "q5_new_project": _("new modernization projects (Q5)"),
}
# Table 2's column headers as a reader says the actions in a sentence.
SPOKEN_ACTIONS = {
    "Share training materials": _("sharing training materials"),
    "Submit reports": _("submitting reports to superiors"),
    "Make recommendations": _("making recommendations to management"),
    "Organize in-house workshop": _("organizing in-house workshops"),
    "Develop operational manuals": _("developing or updating operational manuals"),
    "Others": _("other actions"),
}
SCOPE_WORDS = {
    "sub-regional": pgettext_lazy("workshops", "sub-regional"),
    "regional": pgettext_lazy("workshops", "regional"),
    "national": pgettext_lazy("workshops", "national"),
}


def _ordinal(number: int) -> str:
    """A round's ordinal, always in figures (1st, 2nd, 12th; 1er, 2e in French): one style for every round, where
    words would change to figures after the tenth."""
    if number == 1:
        return gettext("1st")
    if number % 100 in (11, 12, 13) or number % 10 not in (1, 2, 3):
        return gettext("%(number)sth") % {"number": number}
    if number % 10 == 1:
        return gettext("%(number)sst") % {"number": number}
    if number % 10 == 2:
        return gettext("%(number)snd") % {"number": number}
    return gettext("%(number)srd") % {"number": number}


def _percent(value: int | float | None) -> str:
    return "" if value is None else percent_sign(value)


def spoken(action: str) -> str:
    wording = SPOKEN_ACTIONS.get(action)
    return str(wording) if wording is not None else gettext(action).lower()


def _previous(value: int | None) -> str:
    """` (54% in the previous round)`, or nothing when the previous round does not give the figure."""
    return "" if value is None else gettext(" (%(figure)s in the previous round)") % {"figure": _percent(value)}


def _bracketed(inside: str, previous: int | None) -> str:
    """` (82%; 75% in the previous round)`: one pair of brackets for a figure and the previous round's."""
    if previous is None:
        return f" ({inside})"
    return gettext(" (%(figure)s; %(previous)s in the previous round)") % {
        "figure": inside,
        "previous": _percent(previous),
    }


def _count_share(value: CountShare, previous: int | None) -> str:
    """`10 (77%; 86% in the previous round)` for a bottom line of Table 4 or 7."""
    return f"{value.count}" + (_bracketed(_percent(value.percent), previous) if value.percent is not None else "")


def ranked(ranking: list[RankedAction]) -> list[tuple[int, RankedAction]]:
    """Competition ranking: actions taken equally often share a rank, and the next rank counts them
    (1, 2, 2, 4)."""
    result: list[tuple[int, RankedAction]] = []
    for position, action in enumerate(ranking, start=1):
        rank = result[-1][0] if result and result[-1][1].replies == action.replies else position
        result.append((rank, action))
    return result


# Parts of a sentence separated by semicolons, as the language writes them ("a; b", "a ; b" in French).
SEPARATOR = pgettext_lazy("list separator", "; ")
# Items of an enumeration ("a, b and c"), with the language's comma (Arabic: "،").
COMMA = pgettext_lazy("list separator", ", ")


def _listed(parts: list[str]) -> str:
    return str(SEPARATOR).join(parts)


def _joined(parts: list[str]) -> str:
    """`a, b and c` in the active language."""
    if len(parts) == 1:
        return parts[0]
    return gettext("%(items)s and %(last)s") % {"items": str(COMMA).join(parts[:-1]), "last": parts[-1]}


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
        joined = _joined([spoken(action.name) for action in actions])
        if len(actions) > 1:
            parts.append(gettext("(%(rank)s) %(actions)s, equally often") % {"rank": rank, "actions": joined})
        else:
            parts.append(f"({rank}) {joined}")
    return gettext("The ranking of the follow-up actions is %(ranking)s.") % {"ranking": _listed(parts)}


def top_actions(ranking: list[RankedAction], places: int = 3) -> list[RankedAction]:
    """The most common actions: the first `places` ranks' actions, with every action tied with the last of them."""
    taken = [action for action in ranking if action.replies]
    if len(taken) <= places:
        return taken
    threshold = taken[places - 1].replies
    return [action for action in taken if action.replies >= threshold]


def _workshops_sentence(figures: Figures) -> str:
    """The round in the FY's workshops: how many the office organized, how many were surveyed (the only one, all,
    some, none), and the national ones on their own."""
    organized, surveyed, national = figures.workshops_organized, figures.workshops_surveyed, figures.national_surveyed
    values = {
        "label": figures.fiscal_year_label,
        "office": office_names().short_name,
        "organized": organized,
        "surveyed": surveyed,
        "national": national,
        "ordinal": _ordinal(figures.round_number),
        "year": figures.survey_year,
    }
    if organized == 0:
        sentence = (
            gettext(
                "In FY%(label)s, the %(office)s organized no regional/sub-regional workshop, excluding the "
                "accreditation workshops."
            )
            % values
        )
    elif organized == 1:
        sentence = (
            gettext(
                "In FY%(label)s, the %(office)s organized a single regional/sub-regional workshop, excluding the "
                "accreditation workshops;"
            )
            % values
        )
        if surveyed:
            sentence += " " + (
                gettext(
                    "it was subjected to the %(ordinal)s round of the “Survey on the Follow-up Actions taken after "
                    "the Participation in the WCO Regional Workshop” (the Survey %(year)s), conducted six months "
                    "after the workshop."
                )
                % values
            )
        else:
            sentence += " " + gettext("it was not surveyed.")
    else:
        sentence = (
            ngettext(
                "In FY%(label)s, the %(office)s organized a total of %(organized)s regional/sub-regional workshop, "
                "excluding the accreditation workshops;",
                "In FY%(label)s, the %(office)s organized a total of %(organized)s regional/sub-regional workshops, "
                "excluding the accreditation workshops;",
                organized,
            )
            % values
        )
        if surveyed:
            sentence += " " + (
                ngettext(
                    "%(surveyed)s of them was subjected to the %(ordinal)s round of the “Survey on the Follow-up "
                    "Actions taken after the Participation in the WCO Regional Workshop” (the Survey %(year)s), "
                    "conducted six months after the workshop.",
                    "%(surveyed)s of them were subjected to the %(ordinal)s round of the “Survey on the Follow-up "
                    "Actions taken after the Participation in the WCO Regional Workshop” (the Survey %(year)s), "
                    "conducted six months after the respective workshops.",
                    surveyed,
                )
                % values
            )
        else:
            sentence += " " + gettext("none of them was surveyed.")
    if national and not surveyed:
        # The round consists of national workshops only: they carry the round's name.
        sentence += " " + (
            ngettext(
                "The %(ordinal)s round of the “Survey on the Follow-up Actions taken after the Participation in the "
                "WCO Regional Workshop” (the Survey %(year)s) covered %(national)s national workshop.",
                "The %(ordinal)s round of the “Survey on the Follow-up Actions taken after the Participation in the "
                "WCO Regional Workshop” (the Survey %(year)s) covered %(national)s national workshops.",
                national,
            )
            % values
        )
    elif national:
        sentence += " " + ngettext(
            "The Survey also covered %(count)s national workshop, counted on its own.",
            "The Survey also covered %(count)s national workshops, counted on their own.",
            national,
        ) % {"count": national}
    return sentence


def _scope_rates(figures: Figures) -> str | None:
    """`The reply rate was 89% from the participants of sub-regional workshops, 55% from those of regional
    workshops and 100% from those of national workshops.` Every scope present, each with its previous figure."""
    previous = figures.previous.rates_by_scope if figures.previous else {}
    parts: list[str] = []
    for scope, rate in figures.rates_by_scope.items():
        if rate is None:
            continue
        values = {
            "rate": _percent(rate),
            "scope": str(SCOPE_WORDS.get(scope, scope)),
            "previous": _previous(previous.get(scope)),
        }
        if not parts:
            parts.append(gettext("%(rate)s from the participants of %(scope)s workshops%(previous)s") % values)
        else:
            parts.append(gettext("%(rate)s from those of %(scope)s workshops%(previous)s") % values)
    return gettext("The reply rate was %(rates)s.") % {"rates": _joined(parts)} if parts else None


def _replies_sentence(figures: Figures) -> str:
    """The summary's count of replies: none, one, or many, with the reply rate."""
    previous = figures.previous.reply_rate if figures.previous else None
    values = {
        "year": figures.survey_year,
        "replies": figures.replies,
        "rate": _percent(figures.reply_rate),
        "previous": _previous(previous),
    }
    if figures.replies == 0:
        return gettext("No participant replied to the Survey %(year)s%(previous)s.") % values
    if figures.replies == 1:
        return gettext("The Survey %(year)s received a single reply, a reply rate of %(rate)s%(previous)s.") % values
    return (
        gettext(
            "The total number of replies to the Survey %(year)s is %(replies)s, a reply rate of %(rate)s%(previous)s."
        )
        % values
    )


def summary_response_sentences(data: ReportData) -> list[str]:
    """The opening of the Executive Summary: workshops, round, replies and the reply rate."""
    figures = data.figures
    result = [_workshops_sentence(figures)]
    if figures.reply_rate is not None:
        result.append(_replies_sentence(figures))
    return result


def _surveyed_clause(figures: Figures, values: dict[str, Any]) -> str:
    """2.1: which of the FY's workshops the round covered ("all 4", "the only", "3 of the 5"), and the national
    ones."""
    organized, surveyed, national = figures.workshops_organized, figures.workshops_surveyed, figures.national_surveyed
    if surveyed and surveyed == organized == 1:
        clause = gettext(
            ": the only regional/sub-regional workshop the %(office)s organized in FY%(label)s (accreditation "
            "workshops aside)"
        )
    elif surveyed and surveyed == organized:
        clause = gettext(
            ": all %(organized)s regional/sub-regional workshops the %(office)s organized in FY%(label)s "
            "(accreditation workshops aside)"
        )
    elif surveyed:
        clause = gettext(
            ": %(surveyed)s of the %(organized)s regional/sub-regional workshops the %(office)s organized in "
            "FY%(label)s (accreditation workshops aside)"
        )
    else:
        return (
            ngettext(": %(national)s national workshop", ": %(national)s national workshops", national) % values
            if national
            else ""
        )
    text = clause % values
    if national:
        text += (
            ngettext(" and %(national)s national workshop", " and %(national)s national workshops", national) % values
        )
    return text


def _participants_sentence(figures: Figures) -> str:
    """2.1: who replied of how many, the verb agreeing with the count ("1 a répondu", "2 ont répondu")."""
    previous = figures.previous.reply_rate if figures.previous else None
    values = {
        "participants": figures.participants,
        "replies": figures.replies,
        "rate": _percent(figures.reply_rate),
        "previous": _previous(previous),
    }
    if figures.participants == 1:
        if figures.replies:
            return gettext("The only participant replied: a reply rate of %(rate)s%(previous)s.") % values
        return gettext("The only participant did not reply%(previous)s.") % values
    if figures.replies == 0:
        return gettext("None of their %(participants)s participants replied%(previous)s.") % values
    if figures.workshops_surveyed + figures.national_surveyed == 1:
        return (
            ngettext(
                "Of its %(participants)s participants, %(replies)s replied: a reply rate of %(rate)s%(previous)s.",
                "Of its %(participants)s participants, %(replies)s replied: a reply rate of %(rate)s%(previous)s.",
                figures.replies,
            )
            % values
        )
    return (
        ngettext(
            "Of their %(participants)s participants, %(replies)s replied: a reply rate of %(rate)s%(previous)s.",
            "Of their %(participants)s participants, %(replies)s replied: a reply rate of %(rate)s%(previous)s.",
            figures.replies,
        )
        % values
    )


def response_sentences(data: ReportData) -> list[str]:
    """2.1: the same facts as the summary's opening in the words of the section (not repeated word for word),
    with the participants counted and the reply rate of each scope."""
    figures = data.figures
    surveyed = figures.workshops_surveyed + figures.national_surveyed
    values = {
        "year": figures.survey_year,
        "ordinal": _ordinal(figures.round_number),
        "count": surveyed,
        "surveyed": figures.workshops_surveyed,
        "organized": figures.workshops_organized,
        "office": office_names().short_name,
        "label": figures.fiscal_year_label,
        "national": figures.national_surveyed,
    }
    if surveyed == 1:
        sentence = (
            gettext(
                "The Survey %(year)s, the %(ordinal)s round of the survey, went to the participants of the workshop "
                "listed in Table 1, six months after it"
            )
            % values
        )
    else:
        sentence = (
            gettext(
                "The Survey %(year)s, the %(ordinal)s round of the survey, went to the participants of the %(count)s "
                "workshops listed in Table 1, six months after each workshop"
            )
            % values
        )
    result = [sentence + _surveyed_clause(figures, values) + "."]
    if figures.reply_rate is not None:
        result.append(_participants_sentence(figures))
        # The rate by scope only when the round has more than one: else it repeats the sentence above.
        scopes = [rate for rate in figures.rates_by_scope.values() if rate is not None]
        rates = _scope_rates(figures) if figures.replies and len(scopes) > 1 else None
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
        spoken(action.name) + _bracketed(_percent(action.percent), _previous_of(previous, "action_shares", action.name))
        for action in top_actions(figures.action_ranking)
        if action.percent is not None
    ]
    if top:
        result.append(gettext("The most common follow-up actions were %(actions)s.") % {"actions": _joined(top)})
    if figures.effects_attributed.count:
        result.append(
            gettext(
                "Of the respondents who realized direct effects, %(count)s had shared workshop materials and/or "
                "organized in-house workshops."
            )
            % {"count": _count_share(figures.effects_attributed, previous.effects_attributed if previous else None)}
        )
    if figures.projects_attributed.count:
        result.append(
            gettext(
                "Of the respondents who initiated new projects, %(count)s had submitted reports and/or made "
                "recommendations."
            )
            % {"count": _count_share(figures.projects_attributed, previous.projects_attributed if previous else None)}
        )
    association = association_summary(data)
    if association:
        result.append(association)
    yes = [
        gettext("%(share)s reported %(what)s%(previous)s")
        % {
            "share": _percent(share),
            "what": YES_QUESTIONS[question],
            "previous": _previous(_previous_of(previous, "yes_shares", question)),
        }
        for question, share in figures.yes_shares.items()
        if share is not None and question in YES_QUESTIONS
    ]
    if yes:
        result.append(gettext("Among the replies to each question, %(shares)s.") % {"shares": _listed(yes)})
    return result


# 2.4-2.6: what the respondents who answered Yes did, by section.
YES_FINDINGS = (
    (
        "2.4",
        "q3_direct_effects",
        _(
            "%(share)s of the respondents who answered Q3 realized direct effects from the application of what "
            "they learnt%(previous)s."
        ),
    ),
    (
        "2.5",
        "q4_contributed",
        _(
            "%(share)s of the respondents who answered Q4 consider that the workshop improved their "
            "administration's work%(previous)s."
        ),
    ),
    (
        "2.6",
        "q5_new_project",
        _(
            "%(share)s of the respondents who answered Q5 saw a new modernization project initiated after the "
            "workshop%(previous)s."
        ),
    ),
)


# The same findings when no respondent answered Yes.
NONE_FINDINGS = {
    "q3_direct_effects": _(
        "None of the respondents who answered Q3 realized direct effects from the application of what they "
        "learnt%(previous)s."
    ),
    "q4_contributed": _(
        "None of the respondents who answered Q4 consider that the workshop improved their administration's "
        "work%(previous)s."
    ),
    "q5_new_project": _(
        "None of the respondents who answered Q5 saw a new modernization project initiated after the "
        "workshop%(previous)s."
    ),
}


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
            gettext(
                "%(action)s was the most common follow-up action, taken by %(share)s of the respondents%(previous)s."
            )
            % {
                "action": name[:1].upper() + name[1:],
                "share": _percent(first[0].percent),
                "previous": _previous(_previous_of(previous, "action_shares", first[0].name)),
            }
        )
    elif first and first[0].percent is not None:
        names = [
            spoken(action.name) + _previous(_previous_of(previous, "action_shares", action.name)) for action in first
        ]
        subject = _joined(names)
        openings["2.2"].append(
            gettext(
                "%(actions)s were equally the most common follow-up actions, each taken by %(share)s of the "
                "respondents."
            )
            % {"actions": subject[:1].upper() + subject[1:], "share": _percent(first[0].percent)}
        )
    colleagues = figures.colleagues
    if colleagues.shared_with_total:
        values = {
            "shared": colleagues.shared_with_total,
            "shared_median": _number(colleagues.shared_with_median),
            "learned": colleagues.learned_total,
            "learned_median": _number(colleagues.learned_median),
        }
        if colleagues.shared_with_median is not None:
            sentence = (
                gettext(
                    "The respondents shared the training materials with %(shared)s colleagues in all, a median of "
                    "%(shared_median)s each (Q1)"
                )
                % values
            )
        else:
            sentence = (
                gettext("The respondents shared the training materials with %(shared)s colleagues in all (Q1)") % values
            )
        if colleagues.learned_total:
            if colleagues.learned_median is not None:
                sentence += (
                    gettext(
                        "; by their estimate %(learned)s colleagues learned from them, a median of %(learned_median)s "
                        "each (Q1bis)"
                    )
                    % values
                )
            else:
                sentence += gettext("; by their estimate %(learned)s colleagues learned from them (Q1bis)") % values
        openings["2.2"].append(sentence + ".")
    described = figures.utilization_described
    if figures.replies:
        values = {"count": described.count, "replies": figures.replies, "share": _percent(described.percent)}
        if described.count == 0:
            sentence = ngettext(
                "The respondent did not describe how the lessons learnt at the workshop are utilized in their "
                "administration (Q2).",
                "None of the %(replies)s respondents described how the lessons learnt at the workshop are utilized in "
                "their administration (Q2).",
                figures.replies,
            )
        elif described.count == figures.replies:
            sentence = ngettext(
                "The respondent described how the lessons learnt at the workshop are utilized in their "
                "administration (Q2).",
                "All %(replies)s respondents described how the lessons learnt at the workshop are utilized in their "
                "administration (Q2).",
                figures.replies,
            )
        else:
            sentence = gettext(
                "%(count)s of the %(replies)s respondents (%(share)s) described how the lessons learnt at the "
                "workshop are utilized in their administration (Q2)."
            )
        openings["2.3"] = [sentence % values]
    for key, question, wording in YES_FINDINGS:
        share = figures.yes_shares.get(question)
        number = question[1]
        if share is None:
            if figures.replies:
                openings[key] = [
                    ngettext(
                        "The respondent did not answer Q%(number)s.",
                        "None of the %(replies)s respondents answered Q%(number)s.",
                        figures.replies,
                    )
                    % {"replies": figures.replies, "number": number}
                ]
            continue
        wording_now = NONE_FINDINGS[question] if share == 0 else wording
        openings[key] = [
            str(wording_now)
            % {"share": _percent(share), "previous": _previous(_previous_of(previous, "yes_shares", question))}
        ]
    return openings


def _number(value: float | None) -> str:
    """A median as the language writes it: 4, 4.5 (4,5 in French)."""
    if value is None:
        return ""
    text = f"{value:g}"
    return number_format(value, decimal_pos=len(text.partition(".")[2]))


def association_summary(data: ReportData) -> str | None:
    """What section 2.7 found, in one sentence, from the same list it reads (stats.clear_associations): the
    bottom lines above describe who did what, and the summary claims no more than the statistics carry."""
    from reports.stats import clear_associations, too_few_replies  # scipy, as for the association table itself

    table = data.tables.get("associations")
    if table is None or not table.rows:
        return None
    if too_few_replies(table):
        # 2.7 says there are too few replies to look: so does the summary.
        return gettext(
            "These figures describe what the respondents did, not that one step led to another; there are too few "
            "replies to look for associations between follow-up actions and outcomes (section 2.7)."
        )
    clear = clear_associations(table)
    if not clear:
        return gettext(
            "These figures describe what the respondents did, not that one step led to another: section 2.7 finds "
            "no association between a follow-up action and an outcome that chance alone could not explain."
        )
    columns = table.columns
    action, outcome, phi = columns.index("Follow-up action"), columns.index("Outcome"), columns.index("Phi")
    found = []
    for row in clear:
        named_outcome = gettext(row[outcome])
        values = {"action": spoken(row[action]), "outcome": named_outcome[:1].lower() + named_outcome[1:]}
        if (row[phi] or 0) > 0:
            found.append(gettext("%(action)s with %(outcome)s, more often") % values)
        else:
            found.append(gettext("%(action)s with %(outcome)s, less often") % values)
    return gettext(
        "These figures describe what the respondents did, not that one step led to another; section 2.7 finds an "
        "association unlikely to be chance alone only for %(found)s."
    ) % {"found": _listed(found)}
