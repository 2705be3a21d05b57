"""The standing texts of the published reports, used where staff leave a text empty; worded in the active
language with the office's names (rocbap.office)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from rocbap.languages import office_names


def introduction(language: str | None = None) -> str:
    """The standing introduction, in `language` (by default the active one)."""
    with translation.override(language or translation.get_language()):
        office = office_names()
        values = {
            "office": office.short_name,
            "region": office.region_abbreviated,
            "year": settings.OFFICE.survey_since,
        }
        if settings.OFFICE.survey_since:
            opening = gettext(
                "In %(year)s, the %(office)s initiated a “Survey on the Follow-Up Actions taken after the "
                "Participation in the WCO Regional Workshop” (the Survey) for all regional/sub-regional workshops "
                "organized in the %(region)s region."
            )
        else:
            opening = gettext(
                "The %(office)s runs a “Survey on the Follow-Up Actions taken after the Participation in the WCO "
                "Regional Workshop” (the Survey) for all regional/sub-regional workshops organized in the "
                "%(region)s region."
            )
        return (
            opening % values
            + " "
            + gettext(
                "Six months after each workshop, all participants receive a questionnaire (Appendix 1) from the "
                "%(office)s to collect pertinent information on the follow-up actions that the workshop "
                "participants have taken at their respective home administrations."
            )
            % values
            + "\n\n"
            + gettext(
                "The Survey does not intend to criticize any reporting or recommendations made by the workshop "
                "participants. It aims to take a snapshot of the impact that the capacity building programs have on "
                "the performance of the regional Member administrations in terms of work efficiency and "
                "effectiveness as well as organizational development. It is also expected that the Survey reminds "
                "workshop participants of their expected roles and encourages them to continuously utilize the "
                "skills and knowledge acquired, wherever possible, after the respective regional/sub-regional "
                "capacity building programs."
            )
        )


def associations() -> str:
    """The standing text of 2.7, in the active language."""
    return gettext(
        "The table below sets each follow-up action against each outcome, over the replies that answered the outcome "
        "question: how often the outcome was reported with the action and without it, the odds ratio, the phi "
        "coefficient, the two-sided Fisher exact p-value, and that p-value adjusted by Holm's method for the number "
        "of pairings tested. These figures describe association in a small sample, not proof of cause: an action "
        "and an outcome that go together may both follow from something else, such as the participant's role at "
        "home."
    )
