"""The template workbook and the import format, as the import page offers them (surveys/imports/template.py)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from surveys.imports import extra_sheets
from surveys.imports.workbook import import_workbook
from surveys.models import Response
from workshops.models import Participant, Workshop

pytestmark = pytest.mark.django_db

TEMPLATE = reverse("admin:workshops_workshop_import_template")


def test_the_import_page_links_the_format_and_the_template(staff_client):
    page = staff_client.get(reverse("admin:workshops_workshop_import")).content.decode()
    assert TEMPLATE in page and reverse("admin:workshops_workshop_import_format") in page
    shown = staff_client.get(reverse("admin:workshops_workshop_import_format")).content.decode()
    assert "Workbook format for importing workshops, participants and replies" in shown
    assert "q3_direct_effects" in shown and "<script" not in shown.split('id="import-format"')[1]


def test_the_template_has_every_sheet_and_column_the_reader_checks_with_a_note_each_and_imports_as_it_is(
    staff_client,
):
    answer = staff_client.get(TEMPLATE)
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(answer.content))
    # The survey's sheets, then those other apps registered (impact's success_stories: tests/impact/test_imports.py).
    assert book.sheetnames == extra_sheets.sheet_names()
    for name in book.sheetnames:
        columns = extra_sheets.columns_of(name)
        headers = list(book[name][1])
        assert [cell.value for cell in headers] == [column.name for column in columns]
        for cell, column in zip(headers, columns, strict=True):
            assert cell.comment is not None
            assert cell.comment.text.startswith("Required." if column.required else "Optional.")
    summary = import_workbook(io.BytesIO(answer.content))  # the sample row of each sheet, as the reader reads it
    assert (summary.workshops.created, summary.participants.created, summary.responses.created) == (1, 1, 1)
    assert Workshop.objects.get().code == "FY24-AEO" and Participant.objects.get().administration.code == "FJ"
    assert Response.objects.get().q1_shared_with == 12


def test_the_templates_notes_are_in_the_staff_users_language(staff_client):
    answer = staff_client.get(TEMPLATE, HTTP_ACCEPT_LANGUAGE="fr")
    book = load_workbook(io.BytesIO(answer.content))
    assert book["workshops"]["A1"].comment.text.startswith("Obligatoire.")
    assert book["workshops"]["F1"].comment.text.startswith("Facultatif.")


def test_the_template_and_format_are_for_staff_only(client):
    for url in (TEMPLATE, reverse("admin:workshops_workshop_import_format")):
        assert client.get(url).status_code == 302
