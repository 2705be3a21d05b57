"""A workshop's aggregated answers for the feedback e-mail, counted in the database."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from surveys.mail.results import workshop_results
from surveys.models import Response, Status
from workshops.models import Workshop


def test_workshop_results_for_the_feedback(demo_data):
    workshop = Workshop.objects.get(title="WCO Regional Workshop on AEO")
    results = workshop_results(workshop)
    assert (results.replies, results.participants) == (12, 22)
    assert results.actions[0] == ("Circulated/shared training materials with colleagues", 11)
    assert [count for _, count in results.actions] == [11, 10, 8, 3, 3, 3]
    assert results.yes_no[0] == ("Direct effects observed", 4, 7)
    assert [label for label, _, _ in results.yes_no] == [
        "Direct effects observed",
        "Contributed to efficiency/effectiveness",
        "New modernization project initiated",
    ]


def test_workshop_results_count_a_late_reply_and_not_a_draft(workshop_factory, participant_factory):
    workshop = workshop_factory(start_date=dt.date(2021, 3, 1), end_date=dt.date(2021, 3, 2))
    Response.objects.create(
        participant=participant_factory(workshop), status=Status.SUBMITTED, submitted_at=timezone.now(), late=True
    )
    Response.objects.create(participant=participant_factory(workshop), q1_manuals=True)
    results = workshop_results(workshop)
    assert (results.replies, results.participants) == (1, 2)
    assert dict(results.actions)["Developed/updated operation manuals, etc."] == 0


def test_workshop_results_count_yes_and_no_and_leave_blank_answers_out(workshop_factory, participant_factory):
    workshop = workshop_factory()
    for q3, q5 in ((True, False), (False, None)):
        Response.objects.create(
            participant=participant_factory(workshop),
            status=Status.SUBMITTED,
            submitted_at=timezone.now(),
            q1_shared_materials=True,
            q3_direct_effects=q3,
            q5_new_project=q5,
        )
    Response.objects.create(participant=participant_factory(workshop), q3_direct_effects=True)  # a draft
    results = workshop_results(workshop)
    assert (results.replies, results.participants) == (2, 3)
    assert dict(results.actions)["Circulated/shared training materials with colleagues"] == 2
    assert [(yes, no) for _, yes, no in results.yes_no] == [(1, 1), (0, 0), (0, 1)]
