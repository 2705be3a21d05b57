"""Past rounds' stories from the workbook sheet `success_stories` (impact.imports), read, checked and written by the
survey import with its own sheets (surveys.imports.extra_sheets): all or nothing, a row naming a reply that does not
exist refused with its row, the same workbook imported twice changing nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from impact.models import SuccessStory
from surveys.imports import extra_sheets
from surveys.imports import jobs as imports
from surveys.imports.outcome import WorkbookInvalid
from surveys.imports.workbook import import_workbook
from surveys.models import ImportState, Response, WorkbookImport
from tests.helpers import PARTICIPANT_HEADER, RESPONSE_HEADER, WORKSHOP_HEADER, make_workbook
from workshops.models import Participant, Workshop

pytestmark = pytest.mark.django_db

HEADER = ["workshop", "email", "kind", "excerpt", "publish"]
WORKSHOP = ["FY19-RM", "WCO Regional Workshop on Risk Management", "regional", "2019-12-09", "2019-12-12", "", "", ""]


def reply_row(email: str, **answers) -> list:
    values = {"workshop": "FY19-RM", "email": email, "submitted_at": "2020-06-20", **answers}
    return [values.get(column) for column in RESPONSE_HEADER]


def whole_workbook(stories: list[list], header: list[str] = HEADER) -> io.BytesIO:
    """Workshops, participants, their replies and stories on those replies, all new."""
    return make_workbook(
        {
            "workshops": [WORKSHOP_HEADER, WORKSHOP],
            "participants": [
                PARTICIPANT_HEADER,
                ["FY19-RM", "Ana", "ana@customs.gov.fj", "FJ"],
                ["FY19-RM", "Bo", "bo@customs.gov.fj", "FJ"],
            ],
            "responses": [
                RESPONSE_HEADER,
                reply_row("ana@customs.gov.fj", q3_text="A risk unit was set up.", q5_text="An AEO pilot started."),
                reply_row("bo@customs.gov.fj", q2_utilization="Shared the slides."),
            ],
            "success_stories": [header, *stories],
        }
    )


GOOD_STORIES = [
    ["FY19-RM", "ANA@customs.gov.fj", "unit", "Risk unit", "x"],
    ["fy19-rm", "ana@customs.gov.fj", "Project launched", "AEO pilot", ""],
]


def test_workshops_participants_replies_and_stories_are_imported_in_one_go():
    summary = import_workbook(whole_workbook(GOOD_STORIES))
    assert summary.lines()[-1] == "Success stories: 2 new, 0 updated, 0 unchanged"
    assert (Workshop.objects.count(), Participant.objects.count(), Response.objects.replies().count()) == (1, 2, 2)
    stories = {story.answer: story for story in SuccessStory.objects.all()}
    assert set(stories) == {"q3_text", "q5_text"}  # blank description: the reply's first free ones, Q3 first
    assert (stories["q3_text"].kind, stories["q3_text"].publishable, stories["q3_text"].excerpt) == (
        "unit",
        True,
        "Risk unit",
    )
    assert (stories["q5_text"].kind, stories["q5_text"].publishable) == ("project", False)
    assert stories["q3_text"].response.participant.email == "ana@customs.gov.fj"
    assert SuccessStory.objects.counted().count() == 2


def test_the_same_workbook_imported_again_changes_nothing_and_a_changed_row_updates_its_story():
    import_workbook(whole_workbook(GOOD_STORIES))
    before = list(SuccessStory.objects.order_by("pk").values())
    again = import_workbook(whole_workbook(GOOD_STORIES))
    assert again.lines()[-1] == "Success stories: 0 new, 0 updated, 2 unchanged"
    assert list(SuccessStory.objects.order_by("pk").values()) == before
    changed = [[*GOOD_STORIES[0][:2], "law", "Risk unit", "x", "q3_text"]]
    assert import_workbook(whole_workbook(changed)).lines()[-1] == "Success stories: 0 new, 1 updated, 0 unchanged"
    assert SuccessStory.objects.get(answer="q3_text").kind == "law"


def test_a_bad_story_row_refuses_the_whole_workbook_and_writes_nothing():
    stories = [
        [*GOOD_STORIES[0], ""],
        ["FY19-RM", "nobody@customs.gov.fj", "unit", "Ghost", "", ""],
        ["FY19-RM", "ana@customs.gov.fj", "smiles", "A kind unknown", "", ""],
        ["FY19-RM", "bo@customs.gov.fj", "system", "No text there", "", "q4_text"],
    ]
    with pytest.raises(WorkbookInvalid) as raised:
        import_workbook(whole_workbook(stories, header=[*HEADER, "description"]))
    lines = raised.value.lines()
    assert len(lines) == 3
    assert lines[0] == "success_stories!3 email: no reply of this participant in this workshop"
    assert lines[1].startswith("success_stories!4 kind: expected one of law, system")
    assert lines[2] == "success_stories!5 description: The reply has no text for this description."
    assert not Workshop.objects.exists() and not Participant.objects.exists() and not Response.objects.exists()
    assert not SuccessStory.objects.exists()


def test_a_story_on_a_draft_or_a_description_taken_twice_is_refused(reply_factory, workshop_factory):
    draft = reply_factory(workshop=workshop_factory(code="FY19-AEO"), q3_text="Drafted", draft=True)
    taken = reply_factory(workshop=draft.participant.workshop, q5_text="A pilot.")
    rows = [
        [*HEADER, "description"],
        ["FY19-AEO", draft.participant.email, "unit", "Unit", "", ""],
        ["FY19-AEO", taken.participant.email, "project", "Pilot", "", "q5_text"],
        ["FY19-AEO", taken.participant.email, "project", "Pilot again", "", "q5_text"],
    ]
    with pytest.raises(WorkbookInvalid) as raised:
        import_workbook(make_workbook({"success_stories": rows}))
    assert raised.value.lines() == [
        "success_stories!2 email: no reply of this participant in this workshop",
        "success_stories!4 description: a second story of this description (also row 3)",
    ]
    assert not SuccessStory.objects.exists()


def test_stories_on_stored_replies_through_the_admin_upload_are_confirmed_by_the_importer(
    staff_client, reply_factory, workshop_factory, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    reply = reply_factory(workshop=workshop_factory(code="FY19-AEO"), q5_text="An AEO pilot started.")
    rows = [HEADER, ["FY19-AEO", reply.participant.email, "project", "AEO pilot", "yes"]]
    upload = SimpleUploadedFile("stories.xlsx", make_workbook({"success_stories": rows}).getvalue())
    staff_client.post(reverse("admin:workshops_workshop_import"), {"workbook": upload})
    job = WorkbookImport.objects.get()
    if job.state != ImportState.DONE:  # queued for a worker: do what it does
        imports.run(job.pk)
        job.refresh_from_db()
    assert job.state == ImportState.DONE, job.errors
    assert job.summary[-1] == "Success stories: 1 new, 0 updated, 0 unchanged"
    story = SuccessStory.objects.get()
    assert (story.response, story.answer, story.publishable) == (reply, "q3_text", True)  # the reply's first text
    assert story.confirmed_by == job.started_by and story.confirmed_by is not None


def test_the_command_imports_the_sheet_and_refuses_a_bad_row_with_its_row(tmp_path, capsys):
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(whole_workbook(GOOD_STORIES).getvalue())
    bad.write_bytes(whole_workbook([["FY19-RM", "nobody@customs.gov.fj", "unit", "Ghost", ""]]).getvalue())
    with pytest.raises(CommandError):
        call_command("import_workbook", str(bad))
    assert "success_stories!2 email: no reply of this participant in this workshop" in capsys.readouterr().err
    assert not Workshop.objects.exists()
    call_command("import_workbook", str(good))
    assert "Success stories: 2 new, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert SuccessStory.objects.count() == 2 and SuccessStory.objects.get(answer="q3_text").confirmed_by is None
    call_command("import_workbook", str(good), language="fr")  # again, in French: nothing changes
    assert "Réussites : 0 nouvelle(s), 0 mise(s) à jour, 2 inchangée(s)" in capsys.readouterr().out


def test_the_template_has_the_sheet_with_its_notes_and_its_sample_story_imports(staff_client):
    answer = staff_client.get(reverse("admin:workshops_workshop_import_template"))
    book = load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["workshops", "participants", "responses", "success_stories"]
    assert extra_sheets.sheet_names() == book.sheetnames
    headers = {cell.value: cell.comment.text for cell in book["success_stories"][1]}
    assert list(headers) == ["workshop", "email", "kind", "excerpt", "publish", "description"]
    assert headers["kind"].startswith("Required. law, system, procedure")
    assert headers["description"].startswith("Optional. The answer the story comes from")
    assert headers["workshop"] == "Required. A code from the workshops sheet or one already in the database."
    summary = import_workbook(io.BytesIO(answer.content))
    assert summary.lines()[-1] == "Success stories: 1 new, 0 updated, 0 unchanged"
    assert SuccessStory.objects.get().answer == "q2_utilization"


def test_a_workbook_without_the_sheet_says_nothing_of_stories():
    source = make_workbook({"workshops": [WORKSHOP_HEADER, WORKSHOP]})
    assert not any(line.startswith("Success stories") for line in import_workbook(source).lines())
