"""Fixtures shared by every test module."""

from __future__ import annotations

import importlib
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from surveys.models import ANSWER_FIELDS

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


SEEDING_MIGRATIONS = ("workshops.migrations.0002_member_administrations", "reports.migrations.0002_earlier_rounds")


@pytest.fixture(autouse=True)
def _seeded_rows(request: pytest.FixtureRequest) -> None:
    """The rows the data migrations seed (the 33 administrations, the earlier rounds), in every test's database.
    A transactional test (browser, integration) ends with a flush that empties every table, so the tests after it
    would otherwise start without them."""
    if request.node.get_closest_marker("django_db") is None and not {"db", "transactional_db"} & set(
        request.fixturenames
    ):
        return
    request.getfixturevalue("_django_db_helper")
    from django.apps import apps

    from workshops.models import MemberAdministration

    if MemberAdministration.objects.exists():
        return
    for name in SEEDING_MIGRATIONS:
        importlib.import_module(name).load(apps, None)


@pytest.fixture
def demo_data(db):
    from surveys.workbook import import_workbook

    with DEMO_WORKBOOK.open("rb") as handle:
        return import_workbook(handle)


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user(
        "staffer", "staffer@example.org", "a-long-test-password", is_staff=True, is_superuser=True
    )
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def workshop_factory(db):
    import datetime as dt

    from workshops.models import Workshop

    counter = iter(range(1, 10_000))

    def make(**fields) -> Workshop:
        number = next(counter)
        values = {
            "code": f"W{number}",
            "title": f"WCO Regional Workshop number {number}",
            "scope": "regional",
            "start_date": dt.date(2019, 12, 2),
            "end_date": dt.date(2019, 12, 5),
            "venue": "Bangkok, Thailand",
        }
        values.update(fields)
        return Workshop.objects.create(**values)

    return make


@pytest.fixture
def participant_factory(db, workshop_factory):
    from workshops.models import MemberAdministration, Participant

    counter = iter(range(1, 10_000))

    def make(workshop=None, administration: str = "FJ", **fields) -> Participant:
        number = next(counter)
        values = {
            "workshop": workshop or workshop_factory(),
            "name": f"Participant {number}",
            "email": f"participant{number}@example.org",
            "administration": MemberAdministration.objects.get(code=administration),
        }
        values.update(fields)
        return Participant.objects.create(**values)

    return make


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The manifest storage needs collectstatic; tests render pages without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _no_kept_rounds() -> None:
    """Counted rounds kept by one test (reports.counted) are never seen by the next: a test database is emptied
    by rollback or flush, which draws no new data version."""
    from reports import counted

    counted.forget()
