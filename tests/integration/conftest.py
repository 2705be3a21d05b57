"""Fixtures starting real servers. These tests need PostgreSQL: the worker processes share the test database."""

from __future__ import annotations

import logging

import pytest

from tests.integration.servers import CeleryProcess, Dovecot, Redis, SMTPServer

# aiosmtpd logs every SMTP command at INFO: a failing test would print pages of them before its own output.
logging.getLogger("mail.log").setLevel(logging.WARNING)


@pytest.fixture
def database_url(transactional_db, settings) -> str:
    from django.db import connection

    config = connection.settings_dict
    if config["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("integration tests run on PostgreSQL (bin/test); the SQLite test database is in memory")
    user = config["USER"] or ""
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    return f"postgres://{user}{password}@{config['HOST']}:{config['PORT']}/{config['NAME']}"


@pytest.fixture
def redis(tmp_path):
    server = Redis(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def smtp():
    server = SMTPServer()
    yield server
    server.stop()


@pytest.fixture
def dovecot():
    server = Dovecot()
    yield server
    server.stop()


@pytest.fixture
def celery_env(database_url, redis, smtp, settings, tmp_path) -> dict[str, str]:
    """The environment of worker and beat processes; the test process uses the same broker and mail server."""
    env = {
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "0",  # the test database is dropped at the end: keep no connection open
        "REDIS_URL": redis.url,
        "EMAIL_URL": smtp.url + "?timeout=5",
        "SITE_URL": settings.SITE_URL,
        "SECRET_KEY": settings.SECRET_KEY,
        "VAR_DIR": str(tmp_path / "var"),
        "SURVEY_DISPATCH_EVERY_SECONDS": "1",
        "SURVEY_CLAIM_SECONDS": "6",
        "SURVEY_RETRY_SECONDS": "1",
        "SURVEY_BATCH_SIZE": "20",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    # The test process sends (in process, e.g. the two-passes test) to the same SMTP server.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", smtp.port, 5
    return env


@pytest.fixture
def start_celery(celery_env, tmp_path):
    started: list[CeleryProcess] = []

    def start(kind: str = "worker", **overrides) -> CeleryProcess:
        process = CeleryProcess(kind, {**celery_env, **overrides}, tmp_path)
        started.append(process)
        return process

    yield start
    for process in reversed(started):
        # The test has checked what it wanted: no warm shutdown to wait for, a few seconds a test.
        process.stop(graceful=False)
