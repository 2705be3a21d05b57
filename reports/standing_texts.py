"""The standing texts of the published reports, used where staff leave a text empty."""

from __future__ import annotations

INTRODUCTION = (
    "In 2015, the ROCB A/P initiated a “Survey on the Follow-Up Actions taken after the Participation in the WCO "
    "Regional Workshop” (the Survey) for all regional/sub-regional workshops organized in the A/P region. Six "
    "months after each workshop, all participants receive a questionnaire (Appendix 1) from the ROCB A/P to "
    "collect pertinent information on the follow-up actions that the workshop participants have taken at their "
    "respective home administrations.\n\n"
    "The Survey does not intend to criticize any reporting or recommendations made by the workshop participants. "
    "It aims to take a snapshot of the impact that the capacity building programs have on the performance of the "
    "regional Member administrations in terms of work efficiency and effectiveness as well as organizational "
    "development. It is also expected that the Survey reminds workshop participants of their expected roles and "
    "encourages them to continuously utilize the skills and knowledge acquired, wherever possible, after the "
    "respective regional/sub-regional capacity building programs."
)

ASSOCIATIONS = (
    "The table below sets each follow-up action against each outcome, over the replies that answered the outcome "
    "question: how often the outcome was reported with the action and without it, the odds ratio, the phi "
    "coefficient, the two-sided Fisher exact p-value, and that p-value adjusted by Holm's method for the number of "
    "pairings tested. These figures describe association in a small sample, "
    "not proof of cause: an action and an outcome that go together may both follow from something else, such as "
    "the participant's role at home."
)
