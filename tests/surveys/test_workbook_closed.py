"""Closed means closed, in the import: once a round is closed (its report made final), a workbook that would add or
change a reply of that round, or add a participant to it, is refused with the row and the round named, and writes
nothing; the same workbook imported again unchanged still passes; reopened, the round takes the import."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from surveys.imports.outcome import WorkbookInvalid
from surveys.imports.workbook import import_workbook
from surveys.models import ANSWER_FIELDS, Response
from surveys.questionnaire import rounds
from tests.helpers import DEMO_WORKBOOK, PARTICIPANT_HEADER, RESPONSE_HEADER, make_workbook
from workshops.models import Participant

pytestmark = pytest.mark.django_db

FISCAL_YEAR = 2019


def _cell(value):
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return "" if value is None else value


def _reply_row(response: Response, **changes) -> list:
    participant = response.participant
    answers = {field: _cell(getattr(response, field)) for field in ANSWER_FIELDS} | changes
    submitted = timezone.localtime(response.submitted_at).replace(tzinfo=None)  # read back in the office's zone
    return [participant.workshop.code, participant.email, submitted, *[answers[f] for f in ANSWER_FIELDS]]


def _snapshot() -> list:
    return list(Response.objects.order_by("pk").values()) + list(Participant.objects.order_by("pk").values())


@pytest.fixture
def reply(demo_data) -> Response:
    return Response.objects.replies().select_related("participant__workshop").order_by("pk").first()


def test_a_changed_reply_of_a_closed_round_is_refused(reply):
    rounds.close(FISCAL_YEAR)
    before = _snapshot()
    workbook = make_workbook({"responses": [RESPONSE_HEADER, _reply_row(reply, q2_utilization="Rewritten later.")]})
    with pytest.raises(WorkbookInvalid) as invalid:
        import_workbook(workbook)
    assert [str(error) for error in invalid.value.errors] == ["responses!2: the FY2019/20 round is closed"]
    assert _snapshot() == before


def test_the_control_an_open_round_takes_the_same_change(reply):
    workbook = make_workbook({"responses": [RESPONSE_HEADER, _reply_row(reply, q2_utilization="Rewritten later.")]})
    assert import_workbook(workbook).responses.updated == 1
    reply.refresh_from_db()
    assert reply.q2_utilization == "Rewritten later."


def test_a_new_participant_of_a_closed_round_is_refused(reply):
    rounds.close(FISCAL_YEAR)
    before = _snapshot()
    row = [reply.participant.workshop.code, "Late Comer", "late.comer@customs.gov.fj", "FJ"]
    with pytest.raises(WorkbookInvalid) as invalid:
        import_workbook(make_workbook({"participants": [PARTICIPANT_HEADER, row]}))
    assert [str(error) for error in invalid.value.errors] == ["participants!2: the FY2019/20 round is closed"]
    assert _snapshot() == before


def test_the_same_workbook_again_unchanged_passes_a_closed_round(demo_data):
    rounds.close(FISCAL_YEAR)
    Response.objects.update(late=True)  # even a late mark that the schedule would now compute otherwise stays
    before = _snapshot()
    with DEMO_WORKBOOK.open("rb") as handle:
        summary = import_workbook(handle)
    assert summary.responses.updated == summary.responses.created == 0
    assert summary.participants.created == 0
    assert _snapshot() == before


def test_the_command_names_the_row_and_the_round(reply, tmp_path):
    rounds.close(FISCAL_YEAR)
    path = tmp_path / "late.xlsx"
    path.write_bytes(make_workbook({"responses": [RESPONSE_HEADER, _reply_row(reply, q3_text="Added.")]}).getvalue())
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_workbook", str(path), stderr=errors)
    assert "responses!2: the FY2019/20 round is closed" in errors.getvalue()


def test_reopened_the_round_takes_the_import(reply):
    rounds.close(FISCAL_YEAR)
    rounds.reopen(FISCAL_YEAR)
    workbook = make_workbook({"responses": [RESPONSE_HEADER, _reply_row(reply, q3_text="Added.")]})
    assert import_workbook(workbook).responses.updated == 1


def test_a_round_closed_while_the_workbook_was_checked_gets_nothing(reply, monkeypatch):
    # The check saw the round open; it closed before the write began: the write's own locked look refuses.
    rounds.close(FISCAL_YEAR)
    monkeypatch.setattr(rounds, "closed_fiscal_years", lambda: set())
    before = _snapshot()
    workbook = make_workbook({"responses": [RESPONSE_HEADER, _reply_row(reply, q3_text="Added.")]})
    with pytest.raises(WorkbookInvalid) as invalid:
        import_workbook(workbook)
    assert "the FY2019/20 round was closed while the workbook was checked" in str(invalid.value.errors[0])
    assert _snapshot() == before


def test_the_admin_deletes_no_reply_of_a_closed_round(staff_client, reply):
    # A superuser may delete a participant (and with it the reply) of an open round; not of a closed one.
    from django.urls import reverse

    rounds.close(FISCAL_YEAR)
    url = reverse("admin:workshops_participant_delete", args=[reply.participant_id])
    page = staff_client.post(url, {"post": "yes"})
    assert page.status_code == 403 or "permission" in page.content.decode()
    assert Response.objects.filter(pk=reply.pk).exists()
    rounds.reopen(FISCAL_YEAR)
    assert staff_client.post(url, {"post": "yes"}).status_code == 302
    assert not Response.objects.filter(pk=reply.pk).exists()
