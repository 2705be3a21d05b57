"""The frame loader against the database."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from django.utils import timezone

from reports import tables
from reports.frames import COUNTING_COLUMNS, replies_frame, workshop_counts_frame, workshop_frame
from surveys import instrument
from surveys.models import Response, Status
from workshops.models import Workshop


def reply(participant, **answers):
    return Response.objects.create(
        participant=participant, status=Status.SUBMITTED, submitted_at=timezone.now(), **answers
    )


@pytest.fixture
def round_2019(workshop_factory, participant_factory):
    """FY2019/20 with the workshops that must and must not be counted."""
    first_day = workshop_factory(
        title="WCO Regional Workshop on AEO", start_date=dt.date(2019, 7, 1), end_date=dt.date(2019, 7, 3)
    )
    national = workshop_factory(
        title="WCO National Workshop on RM",
        scope="national",
        start_date=dt.date(2020, 2, 3),
        end_date=dt.date(2020, 2, 5),
    )
    accreditation = workshop_factory(title="WCO Accreditation Workshop", surveyed=False)
    last_day_before = workshop_factory(
        title="WCO Regional Workshop of FY2018/19", start_date=dt.date(2019, 6, 30), end_date=dt.date(2019, 7, 2)
    )
    no_participants = workshop_factory(title="WCO Sub-regional Workshop nobody attended", scope="sub-regional")
    for workshop in (first_day, national, accreditation, last_day_before):
        reply(participant_factory(workshop, "FJ"), q1_manuals=True, q3_direct_effects=True)
        reply(participant_factory(workshop, "FJ"), q3_direct_effects=None)
        participant_factory(workshop, "MY")
    draft = participant_factory(first_day, "WS")
    Response.objects.create(participant=draft, q1_others=True)
    return {
        "first_day": first_day,
        "national": national,
        "accreditation": accreditation,
        "last_day_before": last_day_before,
        "no_participants": no_participants,
    }


def test_frame_holds_the_fys_surveyed_workshops_only(round_2019):
    frame = replies_frame(2019)
    listed = set(frame["workshop_id"])
    assert round_2019["first_day"].pk in listed  # 1 July starts FY2019/20
    assert round_2019["national"].pk in listed
    assert round_2019["no_participants"].pk in listed
    assert round_2019["accreditation"].pk not in listed
    assert round_2019["last_day_before"].pk not in listed  # 30 June still belongs to FY2018/19
    assert round_2019["last_day_before"].pk in set(replies_frame(2018)["workshop_id"])


def test_frame_rows_and_types(round_2019):
    frame = replies_frame(2019)
    first_day = frame[frame.workshop_id == round_2019["first_day"].pk]
    assert len(first_day) == 4
    assert first_day["replied"].tolist().count(True) == 2  # the draft is not a reply
    assert first_day["q1_manuals"].sum() == 1
    assert first_day["q3_direct_effects"].isna().sum() == 3  # blank in one reply, no reply for two
    assert sorted(first_day["administration"]) == ["FJ", "FJ", "MY", "WS"]


FLAG_COLUMNS = ["replied", "late", *instrument.Q1_ACTIONS, "q2_answered"]


@pytest.mark.parametrize("texts", [True, False])
def test_each_flag_and_answer_lands_in_its_own_column(texts, workshop_factory, participant_factory):
    """The flags and Yes/No answers travel packed in one integer: each must come out in its column, and only there."""
    workshop = workshop_factory()
    expected: dict[int, dict[str, object]] = {}

    def row(participant, **flags):
        expected[participant.pk] = {name: flags.get(name, False) for name in FLAG_COLUMNS}
        for question in instrument.YES_NO_QUESTIONS:
            expected[participant.pk][question] = flags.get(question)

    row(participant_factory(workshop))  # no response: every flag False, every answer blank
    for action in instrument.Q1_ACTIONS:
        row(reply(participant_factory(workshop), **{action: True}).participant, replied=True, **{action: True})
    draft = participant_factory(workshop)
    Response.objects.create(participant=draft, q1_others=True, q3_direct_effects=True)
    row(draft, q1_others=True, q3_direct_effects=True)  # a draft's answers, not a reply
    late = reply(participant_factory(workshop), late=True, q2_utilization="Shared with the risk unit.")
    row(late.participant, replied=True, late=True, q2_answered=True)
    blank = reply(participant_factory(workshop), q2_utilization="   ")
    row(blank.participant, replied=True)
    for question in instrument.YES_NO_QUESTIONS:
        for answer in (True, False):
            answered = reply(participant_factory(workshop), **{question: answer})
            row(answered.participant, replied=True, **{question: answer})

    frame = replies_frame(2019, texts=texts)
    got = {
        int(participant): {
            **{name: frame.at[index, name] for name in FLAG_COLUMNS},
            **{q: None if pd.isna(frame.at[index, q]) else frame.at[index, q] for q in instrument.YES_NO_QUESTIONS},
        }
        for index, participant in frame["participant_id"].items()
    }
    assert got == expected
    assert frame["replied"].dtype == bool and frame["q3_direct_effects"].dtype == "boolean"


def test_each_row_carries_its_own_workshops_columns(round_2019):
    frame = replies_frame(2019)
    for workshop_id, rows in frame.groupby("workshop_id"):
        workshop = Workshop.objects.get(pk=workshop_id)
        assert set(rows["workshop_title"]) == {workshop.title}
        assert set(rows["scope"]) == {workshop.scope}
        assert set(rows["workshop_code"]) == {workshop.code}
        assert set(rows["start_date"]) == {pd.Timestamp(workshop.start_date)}
        assert set(rows["end_date"]) == {pd.Timestamp(workshop.end_date)}
    assert frame["start_date"].is_monotonic_increasing  # the full frame in the report's order


def test_the_counting_frame_is_the_full_frame_without_its_texts(round_2019):
    full = replies_frame(2019)
    lean = replies_frame(2019, texts=False)
    assert list(lean.columns) == COUNTING_COLUMNS
    assert "q2_utilization" not in lean and "email" not in lean and "status" not in lean

    def in_order(frame):
        return frame.sort_values(["workshop_id", "participant_id"]).reset_index(drop=True)

    pd.testing.assert_frame_equal(in_order(lean), in_order(full[COUNTING_COLUMNS]))


def test_tables_from_the_database(round_2019):
    built = tables.build_tables(replies_frame(2019))
    table1 = built["table1"]
    assert [row[1] for row in table1.rows] == [
        "WCO Regional Workshop on AEO (Jul. 2019)",
        "WCO Sub-regional Workshop nobody attended (Dec. 2019)",
        "WCO National Workshop on RM (Feb. 2020)",
    ]
    assert table1.rows[0][3:] == [3, 4, 2, 50]
    assert table1.totals.by_scope["national"] == tables.ReplyCounts(administrations=2, participants=3, replies=2)
    assert table1.totals.total.reply_rate == 57
    assert table1.totals.total == tables.ReplyCounts(administrations=5, participants=7, replies=4)
    assert str(built["table4"].rows[0][4]) == "FJ"
    assert built["table3"].totals == tables.YesNoSummary(answered=2, yes=2)
    assert built["table3"].totals.yes_percent == 100


def test_workshop_frame_takes_any_workshop(round_2019):
    frame = workshop_frame(round_2019["accreditation"].pk)
    assert len(frame) == 3
    assert int(frame["replied"].sum()) == 2


def test_query_count_does_not_grow_with_workshops(workshop_factory, participant_factory, django_assert_max_num_queries):
    for _ in range(12):
        workshop = workshop_factory()
        reply(participant_factory(workshop, "FJ"), q1_shared_materials=True)
        participant_factory(workshop, "MY")
    with django_assert_max_num_queries(2):  # the workshops, then one row per participant
        frame = replies_frame(2019)
    assert len(frame) == 24


def test_report_data_query_count_is_constant(workshop_factory, participant_factory, django_assert_max_num_queries):
    from reports.figures import report_data

    for _ in range(10):
        reply(participant_factory(workshop_factory(), "FJ"), q1_shared_materials=True)
    with django_assert_max_num_queries(6):
        data = report_data(2019)
    assert data.figures.replies == 10


def test_workshop_counts_frame(round_2019):
    counts = workshop_counts_frame()
    assert tables.reply_rates_by_round(counts) == {2018: 67, 2019: 57}


def test_counting_frame_gives_the_same_tables_as_the_full_one(demo_data):
    full = tables.build_tables(replies_frame(2019))
    lean_frame = replies_frame(2019, texts=False)
    assert "q2_utilization" not in lean_frame and "email" not in lean_frame
    lean = tables.build_tables(lean_frame)
    assert {k: (t.rows, t.summary) for k, t in lean.items()} == {k: (t.rows, t.summary) for k, t in full.items()}
    # The Q2 flag stands in for its text, on the same rows (no join of its own).
    assert len(lean_frame) == len(replies_frame(2019))
    assert tables.utilization_described(lean_frame) == tables.utilization_described(replies_frame(2019))


def test_a_fiscal_year_without_workshops_gives_empty_tables(db):
    built = tables.build_tables(replies_frame(2030, texts=False))
    assert built["table1"].rows == []
    assert built["table1"].totals.total == tables.ReplyCounts(administrations=0, participants=0, replies=0)
    assert built["table1"].totals.total.reply_rate is None
    assert str(built["table4"].totals.attributed) == "0"
    assert len(built["associations"].rows) == 18
