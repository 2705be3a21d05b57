"""Fixtures shared by every test module."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import DEMO_WORKBOOK, ROOT, seed_rows


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Every staff user a test makes hashes a password: the production hasher takes a third of a second by design,
    # which would be most of the suite's time. (The deployment checks run the real settings in a subprocess.)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests run Celery eagerly: a saved reply would compute its year's suggestions in the test's process. Only the
    # impact tests that are about them turn them on (tests/impact/test_suggesting.py).
    settings.SUGGESTIONS_ENABLED = False
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        # pytest-xdist workers run at the same time: each keeps its own files, above all its own file cache (the
        # token-guessing counts, which the tests clear and count).
        settings.VAR_DIR = settings.VAR_DIR / worker
        settings.VAR_DIR.mkdir(exist_ok=True)
        if settings.CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
            settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": settings.VAR_DIR / "cache"}}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="run only the tests that use the database (bin/test runs them on PostgreSQL, then these on SQLite)",
    )


@pytest.hookimpl(trylast=True)  # after pytest-django's own ordering
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--database-tests-only"):
        # The other tests do not depend on the database engine: a second run would only repeat them.
        config.hook.pytest_deselected(items=[item for item in items if not uses_database(item)])
        items[:] = [item for item in items if uses_database(item)]
    # The integration tests start first: they spend their minute waiting on servers, so with several workers
    # (pytest-xdist, as bin/test runs) the other tests fill that time instead of waiting behind them at the end.
    items.sort(key=lambda item: item.get_closest_marker("integration") is None)


def uses_database(item: pytest.Item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db"} & set(getattr(item, "fixturenames", ()))
    )


@pytest.fixture(autouse=True)
def _seeded_rows(request: pytest.FixtureRequest) -> None:
    """The seeded rows in every test's database."""
    if not uses_database(request.node):
        return
    request.getfixturevalue("_django_db_helper")
    seed_rows()


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The static files as the image collects them (compressed, with their manifest), for the tests that serve
    pages from a subprocess. collectstatic takes several seconds: it runs once for all workers of a session."""
    # Under pytest-xdist each worker's temporary folder is inside the session's one, which the workers share.
    session = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        session = session.parent
    folder, done = session / "collected-static", session / "collected-static.done"
    with open(session / "collected-static.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a second worker waits here for the first one's files
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            environment = {**os.environ, "STATIC_ROOT": str(folder), "PYTHONDONTWRITEBYTECODE": "1"}
            collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
            subprocess.run(collect, cwd=ROOT, env=environment, check=True)
            done.touch()
    return folder


@pytest.fixture
def demo_data(db):
    from surveys.imports.workbook import import_workbook

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
