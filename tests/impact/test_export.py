"""`manage.py export_impact` (impact.export): sheets `Success stories` and `Administrations`, in the chosen
language, formula-safe, for a range of fiscal years."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from impact.models import Kind, SuccessStory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories(reply_factory, workshop_factory):
    later = workshop_factory(start_date=dt.date(2023, 9, 4), end_date=dt.date(2023, 9, 8))
    formula = reply_factory(administration="MY", q3_text='=HYPERLINK("http://x")+1', q1_manuals=True)
    SuccessStory.objects.create(
        response=formula, answer="q3_text", excerpt="@SUM(A1:A2)", kind=Kind.OUTCOME, publishable=True
    )
    SuccessStory.objects.create(response=reply_factory(workshop=later), answer="q3_text", excerpt="B", kind=Kind.UNIT)
    reply_factory(administration="FJ")
    outside = reply_factory(workshop=workshop_factory(start_date=dt.date(2018, 9, 3), end_date=dt.date(2018, 9, 5)))
    SuccessStory.objects.create(response=outside, answer="q3_text", excerpt="Too early", kind=Kind.LAW)


def test_the_two_sheets_for_a_range_of_years(stories, tmp_path):
    target = tmp_path / "impact.xlsx"
    call_command("export_impact", "--from", "2019/20", "--to", "2023/24", str(target), "--language", "en")
    book = load_workbook(target)
    assert book.sheetnames == ["Success stories", "Administrations"]
    rows = list(book["Success stories"].iter_rows(values_only=True))
    assert rows[0][:7] == (
        "Fiscal year",
        "Administration",
        "Administration name",
        "Workshop",
        "Description",
        "Kind",
        "Excerpt",
    )
    assert [(r[0], r[1], r[5], r[6]) for r in rows[1:]] == [
        ("2019/20", "MY", "Measured outcome (seizures, revenue, time)", "@SUM(A1:A2)"),
        ("2023/24", "FJ", "Unit or team", "B"),
    ]
    administrations = list(book["Administrations"].iter_rows(values_only=True))
    assert administrations[0][3:] == (
        "Workshops attended",
        "Participants",
        "Replies",
        "Reply rate (%)",
        "Follow-up actions taken",
        "Success stories",
    )
    assert [(r[0], r[2], r[4], r[6], r[7], r[8]) for r in administrations[1:]] == [
        ("FJ", "2019/20", 1, 100, 0, 0),
        ("FJ", "2023/24", 1, 100, 0, 1),
        ("MY", "2019/20", 1, 100, 1, 1),
    ]


def test_text_is_never_a_formula(stories, tmp_path):
    target = tmp_path / "impact.xlsx"
    call_command("export_impact", "--from", "2019", "--to", "2019", str(target))
    sheet = load_workbook(target)["Success stories"]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if isinstance(cell.value, str)]
    formulas = [cell for cell in cells if cell.value.startswith(("=", "@"))]
    assert len(formulas) == 2 and all(cell.data_type == "s" for cell in formulas)


def test_in_french(stories, tmp_path):
    target = tmp_path / "impact.xlsx"
    call_command("export_impact", "--from", "2019/20", "--to", "2023/24", str(target), "--language", "fr")
    book = load_workbook(target)
    header = next(book["Administrations"].iter_rows(values_only=True))
    assert header[3] == "Ateliers suivis" and next(book["Success stories"].iter_rows(values_only=True))[5] == "Type"
    assert book["Success stories"]["I2"].value == "oui"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--from", "2023/24", "--to", "2019/20", "out.xlsx"], "comes before"),
        (["--from", "19/20", "--to", "2023/24", "out.xlsx"], "not a fiscal year"),
        (["--from", "2019/20", "--to", "2023/24", "out.csv"], "must end in .xlsx"),
    ],
)
def test_bad_arguments_are_refused(tmp_path, monkeypatch, arguments, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError, match=message):
        call_command("export_impact", *arguments)
    assert not list(tmp_path.iterdir())
