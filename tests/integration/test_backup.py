"""Backup and restore as the README describes them: pg_dump -Fc, then pg_restore into an empty database, gives
the same tables with the same rows."""

from __future__ import annotations

import os
import subprocess

import psycopg
import pytest
from django.db import connection

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _connection_arguments(settings_dict: dict) -> tuple[list[str], dict[str, str]]:
    arguments = ["-h", settings_dict["HOST"] or "127.0.0.1", "-U", settings_dict["USER"] or "postgres"]
    if settings_dict["PORT"]:
        arguments += ["-p", str(settings_dict["PORT"])]
    environment = {**os.environ}
    if settings_dict["PASSWORD"]:
        environment["PGPASSWORD"] = settings_dict["PASSWORD"]
    return arguments, environment


def _contents(dsn_settings: dict, name: str) -> dict[str, tuple[int, int]]:
    """Every table of the public schema -> (rows, a checksum of its rows)."""
    with psycopg.connect(
        host=dsn_settings["HOST"] or "127.0.0.1",
        port=dsn_settings["PORT"] or 5432,
        user=dsn_settings["USER"] or "postgres",
        password=dsn_settings["PASSWORD"] or None,
        dbname=name,
    ) as db:
        tables = [
            row[0]
            for row in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        ]
        result = {}
        for table in tables:
            rows, checksum = db.execute(
                f'SELECT count(*), coalesce(sum(hashtext(t::text)::bigint), 0) FROM "{table}" t'  # noqa: S608
            ).fetchone()
            result[table] = (rows, checksum)
        return result


def test_dump_restores_to_the_same_tables_and_rows(demo_data, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump/pg_restore back up PostgreSQL; bin/test runs this on PostgreSQL")
    settings_dict = connection.settings_dict
    source = settings_dict["NAME"]
    restored = f"{source}_restored"
    arguments, environment = _connection_arguments(settings_dict)
    dump = tmp_path / "rocbap.dump"

    subprocess.run(
        ["pg_dump", *arguments, "--format=custom", "--no-owner", f"--file={dump}", source],
        env=environment,
        check=True,
        timeout=120,
    )
    subprocess.run(["dropdb", *arguments, "--if-exists", restored], env=environment, check=True, timeout=60)
    subprocess.run(["createdb", *arguments, restored], env=environment, check=True, timeout=60)
    try:
        subprocess.run(
            ["pg_restore", *arguments, "--no-owner", "--exit-on-error", "--dbname", restored, str(dump)],
            env=environment,
            check=True,
            timeout=120,
        )
        before, after = _contents(settings_dict, source), _contents(settings_dict, restored)
    finally:
        subprocess.run(["dropdb", *arguments, "--if-exists", restored], env=environment, check=True, timeout=60)

    assert after == before
    assert before["workshops_participant"][0] > 0
    assert before["surveys_response"][0] > 0
    assert "django_migrations" in before
