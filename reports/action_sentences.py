"""The 2.2.x paragraphs of the report: what the respondents who took each follow-up action of Table 2 did, and the
actions nobody took, said once. Worded like the rest of the report's sentences (reports.summary): one translatable
message a sentence, with its plural, in the active language.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from reports.summary import spoken
from reports.tables import RankedAction
from rocbap.percentages import percent_sign

# 2.2.x: what the respondents who took each action of Table 2 did. Each is one message with its plural (the verb
# agrees with the count: "1 a partagé", "2 ont partagé"), and one for nobody, said once for all such actions.
ACTION_SENTENCES = {
    "Share training materials": (
        ngettext_lazy(
            "%(count)s respondent%(share)s shared the training materials with their colleagues after the workshop.",
            "%(count)s respondents%(share)s shared the training materials with their colleagues after the workshop.",
            "count",
        ),
        _("None of the respondents shared the training materials with their colleagues after the workshop."),
    ),
    "Submit reports": (
        ngettext_lazy(
            "%(count)s respondent%(share)s submitted a report to their superiors after the workshop.",
            "%(count)s respondents%(share)s submitted a report to their superiors after the workshop.",
            "count",
        ),
        _("None of the respondents submitted a report to their superiors."),
    ),
    "Make recommendations": (
        ngettext_lazy(
            "%(count)s respondent%(share)s made recommendations to management officials for consideration after "
            "the workshop.",
            "%(count)s respondents%(share)s made recommendations to management officials for consideration after "
            "the workshop.",
            "count",
        ),
        _("None of the respondents made recommendations to management officials."),
    ),
    "Organize in-house workshop": (
        ngettext_lazy(
            "%(count)s respondent%(share)s organized an in-house workshop to cascade down the lessons learnt "
            "after the workshop.",
            "%(count)s respondents%(share)s organized an in-house workshop to cascade down the lessons learnt "
            "after the workshop.",
            "count",
        ),
        _("None of the respondents organized an in-house workshop."),
    ),
    "Develop operational manuals": (
        ngettext_lazy(
            "%(count)s respondent%(share)s developed or updated operational manuals after the workshop.",
            "%(count)s respondents%(share)s developed or updated operational manuals after the workshop.",
            "count",
        ),
        _("None of the respondents developed or updated operational manuals."),
    ),
    "Others": (
        ngettext_lazy(
            "%(count)s respondent%(share)s took other follow-up actions after the workshop.",
            "%(count)s respondents%(share)s took other follow-up actions after the workshop.",
            "count",
        ),
        _("None of the respondents took other follow-up actions."),
    ),
}


def action_sentence(action: str, count: int, share: int | None, replies: int) -> str:
    """What the respondents who took a Q1 action did, one sentence per column of Table 2; the share of the replies
    in brackets unless there was only one reply (where it says nothing the count does not)."""
    some, none = ACTION_SENTENCES[action]
    if not count:
        return str(none)
    values = {
        "count": count,
        "share": gettext(" (%(share)s of the replies)") % {"share": percent_sign(share)}
        if share is not None and replies > 1
        else "",
    }
    return str(some % values)  # the lazy plural picks its form from values["count"]


def action_paragraphs(ranking: list[RankedAction], replies: int) -> list[dict[str, Any]]:
    """2.2.x: the follow-up actions of Table 2 that respondents took, most common first, with count and share,
    worded in the active language (Others aside: its quotes stand under Table 2)."""
    return [
        {
            "action": action,
            "heading": spoken(action)[:1].upper() + spoken(action)[1:],
            "sentence": action_sentence(action, count, share, replies),
            "count": count,
            "share": share,
        }
        for action, count, share in ranking
        if count and action != "Others"
    ]


def actions_nobody_took(ranking: list[RankedAction]) -> str | None:
    """The actions nobody took, said once in one paragraph rather than a subsection each."""
    return " ".join(action_sentence(action, 0, None, 0) for action, count, _share in ranking if not count) or None
