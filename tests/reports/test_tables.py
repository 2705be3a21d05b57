"""The counting rules on small frames written here (no database)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

from reports import tables
from reports.cells import CodeCell, CodeEntry, CountShare
from surveys import instrument

_ids = iter(range(1, 100_000))


def participant(workshop: int = 1, code: str = "FJ", replied: bool = True, **answers: Any) -> dict[str, Any]:
    """One frame row; answers default to an empty reply."""
    row: dict[str, Any] = {
        "workshop_id": workshop,
        "participant_id": next(_ids),
        "administration": code,
        "replied": replied,
        **dict.fromkeys(instrument.Q1_ACTIONS, False),
        **dict.fromkeys(instrument.YES_NO_QUESTIONS, None),
        **dict.fromkeys(instrument.COUNTS, None),
    }
    row.update(answers)
    return row


WORKSHOPS = {
    1: ("WCO Sub-regional Workshop B", "sub-regional", dt.date(2019, 9, 2)),
    2: ("WCO Regional Workshop A", "regional", dt.date(2019, 7, 1)),
    3: ("WCO National Workshop", "national", dt.date(2020, 3, 2)),
}


def frame(*rows: dict[str, Any], empty_workshops: tuple[int, ...] = ()) -> pd.DataFrame:
    records = list(rows) + [
        {"workshop_id": w, "participant_id": None, "administration": None, "replied": False} for w in empty_workshops
    ]
    data = pd.DataFrame.from_records(records)
    data["workshop_title"] = data.workshop_id.map(lambda w: WORKSHOPS[w][0])
    data["scope"] = data.workshop_id.map(lambda w: WORKSHOPS[w][1])
    data["start_date"] = pd.to_datetime(data.workshop_id.map(lambda w: WORKSHOPS[w][2]))
    for name in instrument.Q1_ACTIONS:
        data[name] = data[name].fillna(False).astype(bool)
    for name in instrument.YES_NO_QUESTIONS:
        data[name] = data[name].astype("boolean")
    return data


def test_rounding_half_up_in_a_table():
    rows = [participant(q1_shared_materials=True)] + [participant() for _ in range(7)]
    table = tables.table2(frame(*rows))
    # 1 of 8 = 12.5%: half up, not Python's round() (12)
    assert table.totals.actions["q1_shared_materials"].percent == 13
    assert round(12.5) == 12


def test_table1_counts_participants_administrations_replies_and_rates():
    data = frame(
        participant(1, "FJ"),
        participant(1, "FJ"),
        participant(1, "WS", replied=False),
        participant(2, "MY"),
        participant(2, "TH", replied=False),
        participant(2, "JP", replied=False),
        participant(2, "AU", replied=False),
        participant(3, "PG"),
    )
    table = tables.table1(data)
    assert table.columns == [
        "No.",
        "Workshop",
        "Scope",
        "Participating administrations",
        "Participants",
        "Replies",
        "Reply rate (%)",
    ]
    # Workshop 2 starts first.
    assert table.rows[0] == [1, "WCO Regional Workshop A (Jul. 2019)", "Regional", 4, 4, 1, 25]
    assert table.rows[1] == [2, "WCO Sub-regional Workshop B (Sep. 2019)", "Sub-regional", 2, 3, 2, 67]
    assert table.rows[2] == [3, "WCO National Workshop (Mar. 2020)", "National", 1, 1, 1, 100]
    assert table.summary == [
        ["", "Sub-total of Sub-regional Workshops", "", 2, 3, 2, 67],
        ["", "Sub-total of Regional Workshops", "", 4, 4, 1, 25],
        ["", "Sub-total of National Workshops", "", 1, 1, 1, 100],
        ["", "Total", "", 7, 8, 4, 50],
    ]


def test_no_national_subtotal_without_national_workshops():
    table = tables.table1(frame(participant(1), participant(2)))
    assert [row[1] for row in table.summary] == [
        "Sub-total of Sub-regional Workshops",
        "Sub-total of Regional Workshops",
        "Total",
    ]


def test_a_workshop_without_replies_or_participants_is_listed_with_zeros():
    data = frame(participant(1, replied=False), participant(1, replied=False), empty_workshops=(2,))
    assert tables.table1(data).rows == [
        [1, "WCO Regional Workshop A (Jul. 2019)", "Regional", 0, 0, 0, None],
        [2, "WCO Sub-regional Workshop B (Sep. 2019)", "Sub-regional", 1, 2, 0, 0],
    ]
    assert tables.table2(data).rows[1][2:] == [0, 0, 0, 0, 0, 0, 0]
    assert tables.table3(data).rows[1][2:] == [0, 0, 0, None]
    assert tables.table4(data).rows[1][2:] == [CodeCell([]), CodeCell([]), CodeCell([])]
    assert [share.percent for share in tables.table2(data).totals.actions.values()] == [None] * 6


def test_drafts_never_count():
    data = frame(participant(1, replied=False, q1_manuals=True, q3_direct_effects=True), participant(1))
    assert tables.table2(data).rows[0][2:] == [1, 0, 0, 0, 0, 0, 0]
    assert tables.table3(data).rows[0][2:] == [0, 0, 0, None]


def test_blank_q3_to_q5_are_not_counted_as_no():
    data = frame(
        participant(1, q3_direct_effects=True, q4_contributed=None, q5_new_project=False),
        participant(1, q3_direct_effects=None, q4_contributed=None, q5_new_project=False),
        participant(1, q3_direct_effects=False, q4_contributed=True, q5_new_project=None),
    )
    assert tables.table3(data).rows[0][2:] == [2, 1, 1, 50]
    assert tables.table5(data).rows[0][2:] == [1, 1, 0, 100]
    assert tables.table6(data).rows[0][2:] == [2, 0, 2, 0]
    assert tables.table6(data).summary == [["", "Total", 2, 0, 2, 0]]


def test_two_replies_from_one_administration_are_written_twice():
    data = frame(
        participant(1, "FJ", q1_shared_materials=True, q3_direct_effects=True),
        participant(1, "FJ", q1_shared_materials=True, q3_direct_effects=True),
        participant(1, "AU", q1_shared_materials=True, q3_direct_effects=False),
        participant(1, "MY", q1_inhouse_workshop=True),
        participant(1, "WS", q3_direct_effects=True),
    )
    table = tables.table4(data)
    shared, inhouse, effects = table.rows[0][2:]
    assert str(shared) == "AU, FJ×2"
    assert shared == CodeCell([CodeEntry("AU", 1, False), CodeEntry("FJ", 2, 2)])
    assert inhouse == CodeCell([CodeEntry("MY", 1, False)])
    # Bold in the effects column: the reply also shared or held an in-house workshop.
    assert effects == CodeCell([CodeEntry("FJ", 2, 2), CodeEntry("WS", 1, False)])
    assert table.summary == [
        ["", "Total", 3, 1, 3],
        ["", "Led to direct effects", CountShare(2, 67), CountShare(0, 0), ""],
        ["", "Effects attributed to sharing and/or in-house workshop", "", "", CountShare(2, 67)],
    ]
    assert tables.table1(data).rows[0][3:5] == [4, 5]  # four administrations, five participants


def test_an_administration_partly_marked_is_named_once_with_its_marked_replies_in_brackets():
    # Three replies from FJ shared materials, one of them realized effects: one entry, not "FJ, FJ×2".
    data = frame(
        participant(1, "FJ", q1_shared_materials=True, q3_direct_effects=True),
        participant(1, "FJ", q1_shared_materials=True, q3_direct_effects=False),
        participant(1, "FJ", q1_shared_materials=True, q3_direct_effects=False),
        participant(1, "FJ", q3_direct_effects=True),
        participant(1, "AU", q1_shared_materials=True, q3_direct_effects=True),
    )
    shared, _inhouse, effects = tables.table4(data).rows[0][2:]
    assert shared == CodeCell([CodeEntry("AU", 1, 1), CodeEntry("FJ", 3, 1)])
    assert str(shared) == "AU, FJ×3 (1)"
    assert shared.entries[1].parts() == ("FJ×3 (", "1", ")")
    # In the effects column, one of FJ's two replies also shared materials: bold for that one.
    assert effects == CodeCell([CodeEntry("AU", 1, 1), CodeEntry("FJ", 2, 1)])
    assert str(effects) == "AU, FJ×2 (1)"
    assert CodeEntry("FJ", 2, 2).parts() == ("", "FJ×2", "")
    assert CodeEntry("FJ", 2, 0).parts() == ("FJ×2", "", "")


def test_table7_worked_example_shape():
    # Three reports (two with a project), one recommendation (with a project), one project without either.
    data = frame(
        participant(1, "AU", q1_submitted_report=True, q5_new_project=True),
        participant(1, "BD", q1_submitted_report=True, q1_made_recommendations=True, q5_new_project=True),
        participant(1, "FJ", q1_submitted_report=True, q5_new_project=False),
        participant(1, "HK", q5_new_project=True),
    )
    table = tables.table7(data)
    assert table.columns[2:] == ["Submitted reports", "Made specific recommendations", "Initiated new projects"]
    assert [str(cell) for cell in table.rows[0][2:]] == ["AU, BD, FJ", "BD", "AU, BD, HK"]
    assert [str(table.totals.first_led), str(table.totals.second_led)] == ["2 (67%)", "1 (100%)"]
    assert str(table.totals.attributed) == "2 (67%)"  # Table 7's bottom line
    assert table.summary == table.totals.rows(tables.TABLE7)  # the printed lines are the named totals


def test_action_ranking_orders_by_count_keeping_ties_in_questionnaire_order():
    data = frame(
        participant(1, q1_manuals=True, q1_others=True),
        participant(1, q1_manuals=True, q1_submitted_report=True),
    )
    ranking = tables.action_ranking(tables.table2(data))
    assert ranking[:3] == [("Develop operational manuals", 2, 100), ("Submit reports", 1, 50), ("Others", 1, 50)]


def test_associations_measures():
    # Shared materials: 4 of 5 with it realized effects, 1 of 5 without.
    rows = [participant(q1_shared_materials=True, q3_direct_effects=i < 4) for i in range(5)]
    rows += [participant(q3_direct_effects=i < 1) for i in range(5)]
    rows += [participant(q3_direct_effects=None)]  # did not answer Q3: left out
    table = tables.associations(frame(*rows))
    assert len(table.rows) == 18
    row = next(r for r in table.rows if r[0] == "Share training materials" and r[1] == "Direct effects (Q3)")
    assert row[2:6] == [10, 5, 80, 20]
    assert row[6] == 16.0  # (4*4) / (1*1)
    assert row[7] == 0.6  # (16 - 1) / sqrt(5*5*5*5)
    assert row[8] == pytest.approx(0.206, abs=0.001)  # Fisher two-sided for [[4,1],[1,4]]


def test_association_odds_ratio_adds_a_half_when_a_cell_is_zero():
    rows = [participant(q1_manuals=True, q4_contributed=True) for _ in range(3)]
    rows += [participant(q4_contributed=True), participant(q4_contributed=False), participant(q4_contributed=False)]
    table = tables.associations(frame(*rows))
    row = next(r for r in table.rows if r[0] == "Develop operational manuals" and r[1] == "Efficiency (Q4)")
    assert row[6] == round((3.5 * 2.5) / (0.5 * 1.5), 2)  # Q4 Yes 100% with the action, 33% without


def test_association_sentences_say_association_not_cause():
    from reports.stats import association_sentences

    rows = [participant(q1_shared_materials=True, q3_direct_effects=True) for _ in range(8)]
    rows += [participant(q3_direct_effects=False) for _ in range(8)]
    text = " ".join(association_sentences(tables.associations(frame(*rows))))
    assert "not proof" in text
    assert "Share training materials" in text
    assert "adjusted p = 0.001" in text  # 2 / C(16, 8) for the six pairings tested on Q3
    assert "Holm" in text


def test_odds_ratio_is_not_made_up_when_the_outcome_never_varies():
    # Everybody answered Yes to Q4, with the action and without: no odds ratio, not (3.5*1.5)/(0.5*0.5) = 21.
    rows = [participant(q1_manuals=True, q4_contributed=True) for _ in range(3)]
    rows += [participant(q4_contributed=True) for _ in range(2)]
    table = tables.associations(frame(*rows))
    row = next(r for r in table.rows if r[0] == "Develop operational manuals" and r[1] == "Efficiency (Q4)")
    assert row[4:6] == [100, 100]
    assert row[6] is None and row[7] is None
    # Nobody answered Yes: the same.
    rows = [participant(q1_manuals=True, q4_contributed=False), participant(q4_contributed=False)]
    row = next(
        r
        for r in tables.associations(frame(*rows)).rows
        if r[0] == "Develop operational manuals" and r[1] == "Efficiency (Q4)"
    )
    assert row[6] is None


def test_holm_adjustment():
    from reports.stats import holm_adjusted

    # m = 4 tested: 0.01*4, max(0.04, 0.02*3), max(0.06, 0.03*2), max(0.06, 0.5*1); None is not a pairing tested.
    assert holm_adjusted([0.03, None, 0.01, 0.5, 0.02]) == pytest.approx([0.06, None, 0.04, 0.5, 0.06])
    assert holm_adjusted([0.9, 0.8]) == [1.0, 1.0]


def test_the_reading_follows_the_adjusted_p_value():
    from reports.stats import association_sentences

    # Raw p below 0.05 for one pairing (0.029), but not once adjusted for the six pairings tested on Q3.
    rows = [participant(q1_shared_materials=True, q3_direct_effects=i < 6) for i in range(7)]
    rows += [participant(q3_direct_effects=i < 1) for i in range(7)]
    table = tables.associations(frame(*rows))
    row = next(r for r in table.rows if r[0] == "Share training materials" and r[1] == "Direct effects (Q3)")
    fisher, adjusted = row[8], row[9]
    assert fisher < 0.05 <= adjusted
    text = " ".join(association_sentences(table))
    assert "unlikely to be chance" not in text
    assert "No pairing reaches an adjusted p below 0.05" in text


def test_colleagues_reached():
    data = frame(
        participant(q1_shared_with=10, q1bis_colleagues_learned=4),
        participant(q1_shared_with=30, q1bis_colleagues_learned=None),
        participant(q1_shared_with=None, q1bis_colleagues_learned=6),
        participant(replied=False, q1_shared_with=99),
    )
    reached = tables.colleagues_reached(data)
    assert reached == tables.ColleaguesReached(40, 20.0, 10, 5.0)


@pytest.mark.parametrize(
    "cells", [(4, 1, 1, 4), (0, 5, 3, 2), (8, 0, 0, 8), (12, 3, 7, 6), (1, 0, 0, 0), (30, 20, 10, 25), (0, 0, 3, 4)]
)
def test_fisher_p_agrees_with_scipy(cells):
    from scipy.stats import fisher_exact

    from reports.stats import TwoByTwo, fisher_p

    a, b, c, d = cells
    expected = fisher_exact([[a, b], [c, d]], alternative="two-sided").pvalue
    assert fisher_p(TwoByTwo(*cells)) == pytest.approx(expected, rel=1e-9)


def test_utilization_described_counts_replies_that_answered_q2():
    data = frame(
        participant(q2_answered=True),
        participant(q2_answered=False),
        participant(q2_answered=False),
        participant(replied=False, q2_answered=True),  # a draft is not a reply
    )
    assert tables.utilization_described(data) == CountShare(1, 33)


def test_a_tables_notes_explain_only_what_it_shows():
    from reports.cells import CodeCell, CodeEntry
    from reports.display import CODES_NOTE, CODES_ONLY_NOTE, PARTLY_MARKED_NOTE, display_table
    from reports.tables import Table

    def table4(*cells):
        return display_table(
            Table("table4", "Table 4", ["No.", "Workshop", "Shared", "Effects"], [[1, "A", *cells]], totals=None)
        )

    twice = table4(CodeCell([CodeEntry("FJ", 2, False)]), CodeCell([CodeEntry("FJ", 2, False)]))
    assert CODES_NOTE in twice.notes and CODES_ONLY_NOTE not in twice.notes
    assert not [note for note in twice.notes if note.tag]  # nothing underlined or bold: no NB1, NB2
    once = table4(CodeCell([CodeEntry("FJ", 1, True)]), CodeCell([CodeEntry("FJ", 1, True)]))
    assert CODES_ONLY_NOTE in once.notes and CODES_NOTE not in once.notes
    assert {note.tag for note in once.notes if note.tag} == {"u", "b"}
    assert table4(CodeCell([]), CodeCell([])).notes == ()
    assert PARTLY_MARKED_NOTE not in twice.notes + once.notes
    partly = table4(CodeCell([CodeEntry("FJ", 3, 1)]), CodeCell([CodeEntry("FJ", 1, 1)]))
    assert PARTLY_MARKED_NOTE in partly.notes
    assert str(partly.rows[0][2].html) == "FJ×3 (<u>1</u>)"
    # The bracket is explained before the marks it refers to ("explained below").
    assert partly.notes.index(PARTLY_MARKED_NOTE) < min(i for i, note in enumerate(partly.notes) if note.tag)


def test_a_round_of_one_scope_prints_its_total_without_an_equal_sub_total():
    data = frame(participant(2), participant(2, replied=False))
    table = tables.table1(data)
    assert [row[1] for row in table.summary] == ["Total"]
    assert table.summary[0][3:] == [1, 2, 1, 50]
    # The figures by scope stay for whoever quotes them.
    assert table.totals.by_scope == {"regional": tables.ReplyCounts(administrations=1, participants=2, replies=1)}
