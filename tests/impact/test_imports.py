"""Past rounds' stories from the workbook sheet `success_stories` (impact.imports): checked like every sheet, all or
nothing, a row naming a reply that does not exist refused with its row."""

from __future__ import annotations

import pytest

from impact.imports import import_success_stories
from impact.models import SuccessStory
from surveys.imports.outcome import WorkbookInvalid
from tests.helpers import make_workbook

pytestmark = pytest.mark.django_db

HEADER = ["workshop", "email", "kind", "excerpt", "publish"]


@pytest.fixture
def reply(reply_factory, workshop_factory):
    return reply_factory(workshop=workshop_factory(code="FY19-AEO"), q5_text="An AEO pilot started.")


def test_stories_are_imported_with_their_reply(reply, django_user_model):
    email = reply.participant.email
    rows = [
        HEADER,
        ["FY19-AEO", email.upper(), "unit", "Risk unit", "x"],
        ["FY19-AEO", email, "Project launched", "AEO pilot", ""],
    ]
    staff = django_user_model.objects.create_user("importer", is_staff=True)
    assert import_success_stories(make_workbook({"success_stories": rows}), user=staff) == 2
    stories = {s.answer: s for s in SuccessStory.objects.all()}
    assert (stories["q3_text"].kind, stories["q3_text"].publishable, stories["q3_text"].excerpt) == (
        "unit",
        True,
        "Risk unit",
    )
    assert (stories["q5_text"].kind, stories["q5_text"].publishable) == ("project", False)
    assert stories["q3_text"].confirmed_by == staff


def test_a_row_naming_no_reply_is_refused_with_its_row_and_nothing_is_imported(reply):
    rows = [
        HEADER,
        ["FY19-AEO", reply.participant.email, "unit", "Risk unit", ""],
        ["FY19-AEO", "nobody@example.org", "unit", "Ghost", ""],
        ["FY19-AEO", reply.participant.email, "smiles", "A kind unknown", ""],
    ]
    with pytest.raises(WorkbookInvalid) as raised:
        import_success_stories(make_workbook({"success_stories": rows}))
    lines = raised.value.lines()
    assert "success_stories!3 email: no reply of this participant in this workshop" in lines
    assert any(line.startswith("success_stories!4 kind: expected one of law, system") for line in lines)
    assert not SuccessStory.objects.exists()


def test_a_description_taken_twice_is_refused(reply):
    rows = [[*HEADER, "description"]] + [["FY19-AEO", reply.participant.email, "unit", "Unit", "", "q3_text"]] * 2
    with pytest.raises(WorkbookInvalid) as raised:
        import_success_stories(make_workbook({"success_stories": rows}))
    assert raised.value.lines() == ["success_stories!3 description: this description holds a success story already"]


def test_a_workbook_without_the_sheet_imports_none(reply):
    assert import_success_stories(make_workbook({"workshops": [["code"]]})) == 0
