"""What the tests share that is not a fixture: paths, the demo workbook, workbooks made in memory, the dispatch's
calendar, a complete reply, a submitted reply, PDF read-back, an edition made ready for final, the staff routes.
Tests and conftest files import these from here, never from one another (tests/test_house.py checks it)."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import subprocess
from pathlib import Path
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from openpyxl import Workbook

from surveys.models import ANSWER_FIELDS


def staff_patterns() -> list[URLPattern]:
    """The patterns mounted under /staff/, found through the project's resolver (not by listing them here)."""
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and str(entry.pattern) == "staff/":
            return list(entry.url_patterns)
    raise AssertionError("no /staff/ in the project's URLs")


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def finish(edition):
    """Give an edition every text make_final asks for (reports.models.ReportEdition.missing_for_final), and a
    publication date after its fiscal year. Its round must be over on its own (replies in, no mail to send)."""
    edition.foreword = edition.foreword or "We thank the Members."
    edition.conclusion = edition.conclusion or "The workshops bore fruit."
    edition.contact = edition.contact or "ROCB A/P, Bangkok. rocbap@wco-rocb.org"
    edition.signatory_name = edition.signatory_name or "A. Head"
    edition.signatory_title = edition.signatory_title or "Head of ROCB A/P"
    edition.publication_date = edition.publication_date or dt.date(edition.fiscal_year + 2, 3, 1)
    edition.save()
    return edition


def answers(**overrides) -> dict:
    """A complete, valid reply as the browser posts it."""
    data = {
        "revision": "0",
        "contact_email": "somchai@customs.example.org",
        "q1_shared_materials": "on",
        "q1_shared_with": "12",
        "q1_submitted_report": "on",
        "q1bis_colleagues_learned": "8",
        "q2_utilization": "Risk profiles are now shared every week.",
        "q3_direct_effects": "yes",
        "q3_text": "Two seizures of precursor chemicals.",
        "q4_contributed": "yes",
        "q4_text": "",
        "q5_new_project": "no",
        "q5_text": "",
        "submit": "1",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    """A moment in the office's time zone."""
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


INVITATION = dt.date(2020, 6, 5)  # the factory's workshop ends 5 Dec 2019


REMINDER_1, REMINDER_2 = dt.date(2020, 6, 19), dt.date(2020, 6, 24)


DUE, FEEDBACK = dt.date(2020, 6, 26), dt.date(2020, 6, 27)


# Each e-mail kind the language tests render, on a day it is sent.
MAIL_KIND_DAYS = {
    "invitation": INVITATION,
    "reminder-1": REMINDER_1,
    "link": INVITATION + dt.timedelta(days=3),
    "feedback": FEEDBACK,
}


def replied(participant) -> None:
    """A reply, so that the feedback mail has results to show."""
    from surveys.models import Response, Status

    Response.objects.create(
        participant=participant,
        status=Status.SUBMITTED,
        submitted_at=at(INVITATION),
        q1_manuals=True,
        q3_direct_effects=True,
        q4_contributed=True,
        q5_new_project=False,
    )


ROOT = Path(__file__).resolve().parent.parent


DEMO_WORKBOOK = ROOT / "fixtures" / "demo" / "fy2019-20.xlsx"


DEMO_EXPECTED = ROOT / "fixtures" / "demo" / "fy2019-20-expected.json"


ARTIFACTS = ROOT / "test-artifacts"


def make_workbook(sheets: dict[str, list[list[Any]]]) -> io.BytesIO:
    """An .xlsx in memory: each sheet's first list is the header row."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


WORKSHOP_HEADER = ["code", "title", "scope", "start_date", "end_date", "venue", "mode", "surveyed"]


PARTICIPANT_HEADER = ["workshop", "name", "email", "administration"]


RESPONSE_HEADER = ["workshop", "email", "submitted_at", *ANSWER_FIELDS]


# (data migration, its function that writes the rows), in migration order.
SEEDING_MIGRATIONS = (
    ("workshops.migrations.0002_member_administrations", "load"),
    ("reports.migrations.0002_earlier_rounds", "load"),
    ("reports.migrations.0004_earlier_rounds_compared_figures", "fill"),
)


def seed_rows() -> None:
    """The rows that migrating makes, when they are missing: content types, permissions and the staff roles (made
    again after every migrate, by post_migrate), the 33 administrations and the earlier rounds (data migrations).
    A transactional test (browser, integration) ends with a flush that empties every table; under pytest-xdist any
    test may come after one. (No test uses serialized_rollback: after a plain flush, post_migrate has already made
    the roles again, and reloading the serialized copy over them breaks their unique names.)"""
    from django.apps import apps
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import DEFAULT_DB_ALIAS

    from workshops.models import MemberAdministration

    if not Group.objects.exists():
        ContentType.objects.clear_cache()  # the flush took the rows the cache points at
        emit_post_migrate_signal(verbosity=0, interactive=False, db=DEFAULT_DB_ALIAS)
    if MemberAdministration.objects.exists():
        return
    for module, function in SEEDING_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)


def change_data(workshop, **changes) -> dict:
    """The workshop's change form as the browser posts it (the participants inline left as it is)."""
    data = {
        "code": workshop.code,
        "title": workshop.title,
        "scope": workshop.scope,
        "start_date": f"{workshop.start_date:%Y-%m-%d}",
        "end_date": f"{workshop.end_date:%Y-%m-%d}",
        "venue": workshop.venue,
        "mode": workshop.mode,
        "surveyed": "on",
        "invitation_date_override": "",
        "due_date_override": "",
        "feedback_date_override": "",
        "participants-TOTAL_FORMS": "0",
        "participants-INITIAL_FORMS": "0",
        "_save": "Save",
    }
    data.update(changes)
    return data


# A complete reply as the form hands it to save_reply (cleaned values, not the browser's strings).
SAVED_ANSWERS = {
    "contact_email": "somchai@customs.example.org",
    "q1_shared_materials": True,
    "q1_shared_with": 12,
    "q2_utilization": "Risk profiles are now shared every week.",
    "q3_direct_effects": True,
    "q4_contributed": True,
    "q5_new_project": False,
}


def submitted_reply(participant, **answers: Any):
    """A reply submitted now, with the answers given (the rest blank), as a round of the report counts it."""
    from surveys.models import Response, Status

    return Response.objects.create(
        participant=participant, status=Status.SUBMITTED, submitted_at=timezone.now(), **answers
    )


def valuation_workshop(workshop_factory, **fields: Any):
    """FY2024/25's one workshop of the small-round tests: regional, January 2025."""
    return workshop_factory(
        **{
            "title": "WCO Regional Workshop on Customs Valuation",
            "start_date": dt.date(2025, 1, 13),
            "end_date": dt.date(2025, 1, 16),
            **fields,
        }
    )
