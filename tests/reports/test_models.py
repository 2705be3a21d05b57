"""A report edition made final closes its fiscal year's round (surveys.questionnaire.rounds)."""

from __future__ import annotations

import datetime as dt

import pytest

from reports.models import EditionNotFinished, EditionStatus, ReportEdition
from surveys.models import Message, MessageKind, MessageStatus
from surveys.questionnaire import rounds
from tests.helpers import finish
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


def test_make_final_closes_the_round_of_its_fiscal_year_only(replied_round):
    edition = finish(ReportEdition.objects.create(fiscal_year=2019))
    edition.make_final()
    edition.refresh_from_db()
    assert edition.status == EditionStatus.FINAL
    assert rounds.is_closed(2019) and not rounds.is_closed(2018)


def test_a_final_edition_written_directly_does_not_close_the_round():
    # The round's state is the survey's: only make_final (or surveys.questionnaire.rounds) closes it.
    ReportEdition.objects.create(fiscal_year=2019, status=EditionStatus.FINAL)
    assert not rounds.is_closed(2019)


def test_make_final_refuses_listing_what_is_missing():
    edition = ReportEdition.objects.create(fiscal_year=2019, signatory_title="")
    with pytest.raises(EditionNotFinished) as refused:
        edition.make_final()
    assert refused.value.missing == [
        "missing: the foreword, the conclusion, the contact, the signatory's name, the signatory's title, "
        "the publication date",
        "the fiscal year has no reply",
    ]
    assert "FY2019/20 cannot be made final yet: missing: the foreword" in str(refused.value)
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT and not rounds.is_closed(2019)


@pytest.mark.parametrize(
    ("contact", "placeholder"),
    [
        ("Write to rocbap@rocbap.example.org", True),
        ("Write to someone@example.com", True),
        ("Write to office@rocb.invalid", True),
        ("Write to rocbap@wco-rocb.org", False),
        ("ROCB A/P, Bangkok (see the office's web site)", False),
    ],
)
def test_the_placeholder_contact_address_is_not_finished(contact, placeholder, replied_round):
    edition = finish(ReportEdition(fiscal_year=2019, contact=contact))
    missing = edition.missing_for_final()
    assert bool(missing) is placeholder
    if placeholder:
        assert "the contact still holds the example address" in missing[0]


def test_a_finished_edition_is_made_final(replied_round):
    edition = finish(ReportEdition.objects.create(fiscal_year=2019, publication_date=dt.date(2021, 1, 5)))
    assert edition.missing_for_final() == []
    edition.make_final()
    assert edition.is_final


# --- Final means the round is finished -------------------------------------------------------------------------
# The factory's workshop (FY2019/20): invitation 5 Jun 2020, reminders 19 and 24 Jun, due 26 Jun, results 27 Jun;
# the results' catch-up window ends 11 Jul 2020.
AFTER_THE_ROUND = dt.date(2020, 8, 1)


def _reasons(today: dt.date) -> list[str]:
    return finish(ReportEdition.objects.get_or_create(fiscal_year=2019)[0]).missing_for_final(today)


def test_a_round_whose_survey_is_over_may_be_made_final(replied_round):
    assert _reasons(AFTER_THE_ROUND) == []
    edition = ReportEdition.objects.get(fiscal_year=2019)
    edition.make_final(today=AFTER_THE_ROUND)
    assert edition.is_final and rounds.is_closed(2019)


def test_refused_while_invitations_are_still_to_go_out(participant_factory, replied_round):
    participant_factory(workshop=replied_round.workshop)  # not replied: gets the invitation and the reminders
    reasons = _reasons(dt.date(2020, 6, 1))
    assert "W1 has messages still to send: Invitation to 1 participant on 5 June 2020" in "; ".join(reasons)
    assert "W1 takes replies until 26 June 2020" in reasons


def test_refused_while_the_results_are_still_to_go_out(replied_round):
    # The due date passed; the replier's results go out on 27 Jun (and may catch up until 11 Jul).
    assert _reasons(dt.date(2020, 6, 27)) == [
        "W1 has messages still to send: Feedback to 1 participant on 27 June 2020"
    ]


def test_refused_while_the_message_log_holds_a_pending_row(replied_round):
    Message.objects.create(participant=replied_round, kind=MessageKind.LINK, status=MessageStatus.PENDING)
    edition = finish(ReportEdition.objects.create(fiscal_year=2019))
    with pytest.raises(EditionNotFinished) as refused:
        edition.make_final(today=AFTER_THE_ROUND)
    assert refused.value.missing == ["W1 has messages still to send: Link sent again to 1 participant on 1 August 2020"]
    assert not rounds.is_closed(2019)


def test_refused_while_a_due_date_has_not_passed(replied_round):
    # Replies are taken until the end of the due date, even when no message is left to send.
    Workshop.objects.filter(pk=replied_round.workshop.pk).update(
        due_date_override=dt.date(2020, 9, 1), feedback_date_override=dt.date(2020, 7, 1)
    )
    assert _reasons(dt.date(2020, 8, 20)) == ["W1 takes replies until 1 September 2020"]
    assert _reasons(dt.date(2020, 9, 2)) == []


def test_refused_while_the_year_has_no_reply(participant_factory):
    participant_factory()  # invited long ago, never replied
    assert _reasons(AFTER_THE_ROUND) == ["the fiscal year has no reply"]
    ReportEdition.objects.all().delete()
    Workshop.objects.all().delete()
    assert _reasons(AFTER_THE_ROUND) == ["the fiscal year has no reply"]  # no workshop at all


def test_refused_when_the_publication_date_falls_within_the_fiscal_year(replied_round):
    edition = finish(ReportEdition.objects.create(fiscal_year=2019, publication_date=dt.date(2020, 6, 30)))
    assert edition.missing_for_final(AFTER_THE_ROUND) == [
        "the publication date (30 June 2020) must come after the fiscal year ends (30 June 2020)"
    ]
    edition.publication_date = dt.date(2020, 7, 1)
    assert edition.missing_for_final(AFTER_THE_ROUND) == []


def test_a_workshop_left_out_of_the_survey_keeps_no_round_open(replied_round, workshop_factory):
    workshop_factory(surveyed=False, start_date=dt.date(2020, 5, 4), end_date=dt.date(2020, 5, 8))
    assert _reasons(AFTER_THE_ROUND) == []
