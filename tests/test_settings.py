"""Configuration from the environment: defaults that need nothing, and bad values that stop the start."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from rocbap import env
from surveys.models import MessageKind, reminder_number
from tests.helpers import ROOT


def test_email_url_smtp_with_credentials(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtp+tls://user%40x:p%3Ass@mail.example.org:2525")
    config = env.email_config("EMAIL_URL", "/unused")
    assert config["EMAIL_HOST"] == "mail.example.org"
    assert config["EMAIL_PORT"] == 2525
    assert config["EMAIL_HOST_USER"] == "user@x"
    assert config["EMAIL_HOST_PASSWORD"] == "p:ss"
    assert config["EMAIL_USE_TLS"] is True
    assert config["EMAIL_USE_SSL"] is False


def test_email_url_unset_writes_files(monkeypatch):
    monkeypatch.delenv("EMAIL_URL", raising=False)
    config = env.email_config("EMAIL_URL", "/var/mail-folder")
    assert config == {
        "EMAIL_BACKEND": "rocbap.mail.EmlFileBackend",
        "EMAIL_FILE_PATH": "/var/mail-folder",
    }


@pytest.mark.parametrize(
    ("name", "value", "getter"),
    [
        ("DEBUG", "maybe", lambda: env.get_bool("DEBUG", False)),
        ("SURVEY_DELAY_MONTHS", "six", lambda: env.get_int("SURVEY_DELAY_MONTHS", 6)),
        ("SURVEY_REPLY_DAYS", "-3", lambda: env.get_int("SURVEY_REPLY_DAYS", 21, minimum=1)),
        ("EMAIL_URL", "pigeon://coop", lambda: env.email_config("EMAIL_URL", "/x")),
        ("DATABASE_URL", "mysql://u@h/db", lambda: env.database_config("DATABASE_URL", "sqlite:///x")),
        ("SITE_URL", "survey.example.org", lambda: env.get_url("SITE_URL", "", ("http", "https"))),
    ],
)
def test_bad_value_names_the_variable(monkeypatch, name, value, getter):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        getter()


@pytest.mark.parametrize("value", ["14,7,2,1", "7,0", "7,7"])
def test_reminder_days_refuse_what_the_dispatch_cannot_send(monkeypatch, value):
    # Four reminders: the message log has kinds for three (surveys.models.MessageKind), so the start stops
    # instead of the dispatch leaving the fourth out; a reminder on the due date or twice on one day neither.
    monkeypatch.setenv("SURVEY_REMINDER_DAYS", value)
    with pytest.raises(ImproperlyConfigured, match="SURVEY_REMINDER_DAYS"):
        env.get_int_list("SURVEY_REMINDER_DAYS", [7, 2], minimum=1, at_most=settings.SURVEY_MAX_REMINDERS)


def test_reminder_days_accept_as_many_reminders_as_the_message_log_has_kinds(monkeypatch):
    monkeypatch.setenv("SURVEY_REMINDER_DAYS", "14, 7, 2")
    days = env.get_int_list("SURVEY_REMINDER_DAYS", [7, 2], minimum=1, at_most=settings.SURVEY_MAX_REMINDERS)
    assert days == [14, 7, 2]
    reminder_kinds = [kind for kind in MessageKind.values if reminder_number(kind)]
    assert len(reminder_kinds) == settings.SURVEY_MAX_REMINDERS


def test_four_reminders_stop_the_start(tmp_path):
    environment = {**os.environ, "VAR_DIR": str(tmp_path), "SURVEY_REMINDER_DAYS": "14,7,3,1"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SURVEY_REMINDER_DAYS takes at most 3 numbers" in result.stderr


def test_bad_configuration_stops_the_start_with_the_name(tmp_path):
    environment = {**os.environ, "VAR_DIR": str(tmp_path), "TIME_ZONE": "Asia/Atlantis"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "TIME_ZONE" in result.stderr


def test_embedded_defaults_need_nothing(tmp_path):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "SECRET_KEY", "SITE_URL")
    }
    environment["VAR_DIR"] = str(tmp_path)
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.EMAIL_BACKEND, s.CELERY_TASK_ALWAYS_EAGER, s.SITE_URL)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "rocbap.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "rocbap.mail.EmlFileBackend",
        "True",
        "http://127.0.0.1:8000",
    ]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_bounce_mailbox_url(monkeypatch):
    monkeypatch.setenv(
        "BOUNCE_IMAP_URL", "imaps://bounces%40rocbap.example.org:p%3Ass@imap.example.org/Bounces?processed=Done"
    )
    assert env.imap_config("BOUNCE_IMAP_URL") == {
        "host": "imap.example.org",
        "port": 993,
        "ssl": True,
        "user": "bounces@rocbap.example.org",
        "password": "p:ss",
        "folder": "Bounces",
        "processed_folder": "Done",
        "timeout": 30,
    }
    monkeypatch.setenv("BOUNCE_IMAP_URL", "imap://u:p@127.0.0.1:1143")
    config = env.imap_config("BOUNCE_IMAP_URL")
    assert (config["port"], config["ssl"], config["folder"]) == (1143, False, "INBOX")
    monkeypatch.delenv("BOUNCE_IMAP_URL")
    assert env.imap_config("BOUNCE_IMAP_URL") is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("pop3://u:p@host/INBOX", "must start with imap:// or imaps://"),
        ("imap://host/INBOX", "needs a user and a host"),
        ("imap://u:p@host:99999/INBOX", "bad port"),
        ("imap://u:p@host/INBOX?delete=no", "unknown options delete"),
        ("imap://u:p@host/INBOX?timeout=soon", "timeout must be a whole number"),
    ],
)
def test_bad_bounce_mailbox_url_names_the_variable_and_hides_the_password(monkeypatch, value, message):
    monkeypatch.setenv("BOUNCE_IMAP_URL", value.replace("u:p@", "u:hunter2@"))
    with pytest.raises(ImproperlyConfigured, match="BOUNCE_IMAP_URL") as error:
        env.imap_config("BOUNCE_IMAP_URL")
    assert message in str(error.value)
    assert "hunter2" not in str(error.value)


def test_bounce_address_defaults_to_the_sender_domain_only_when_bounces_are_read(tmp_path):
    def bounce_address(**variables: str) -> str:
        code = "from django.conf import settings as s; print(repr(s.BOUNCE_ADDRESS))"
        result = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            cwd=ROOT,
            env={**os.environ, "VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "rocbap.settings", **variables},
            capture_output=True,
            text=True,
            timeout=120,
        )
        return result.stdout.strip() or result.stderr

    assert bounce_address(BOUNCE_IMAP_URL="") == "''"
    assert bounce_address(BOUNCE_IMAP_URL="imap://u:p@h/INBOX", DEFAULT_FROM_EMAIL="S <survey@x.example.org>") == (
        "'bounces@x.example.org'"
    )
    assert "BOUNCE_ADDRESS must be a plain address" in bounce_address(BOUNCE_ADDRESS="bounces+x@example.org")
    # Set but empty (as docker-compose passes an unset one): the default.
    assert bounce_address(BOUNCE_IMAP_URL="imap://u:p@h/INBOX", BOUNCE_ADDRESS="") == "'bounces@rocbap.example.org'"


def test_the_office_file_gives_the_time_zone_and_addresses_unless_the_environment_does(tmp_path):
    def setting(name: str, **variables: str) -> str:
        code = f"from django.conf import settings as s; print(s.{name})"
        result = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            cwd=ROOT,
            env={
                **{k: v for k, v in os.environ.items() if k not in {"TIME_ZONE", "DEFAULT_FROM_EMAIL", "OFFICE_EMAIL"}},
                "VAR_DIR": str(tmp_path),
                "DJANGO_SETTINGS_MODULE": "rocbap.settings",
                **variables,
            },
            capture_output=True,
            text=True,
            timeout=120,
        )
        return result.stdout.strip() or result.stderr

    wca = {"OFFICE": "west-central-africa"}
    assert setting("TIME_ZONE", **wca) == "Africa/Abidjan"
    assert setting("TIME_ZONE", OFFICE="asia-pacific") == "Asia/Bangkok"
    assert setting("TIME_ZONE", **wca, TIME_ZONE="Africa/Dakar") == "Africa/Dakar"
    assert setting("TIME_ZONE", **wca, TIME_ZONE="") == "Africa/Abidjan"  # set but empty, as docker-compose passes it
    assert setting("DEFAULT_FROM_EMAIL", **wca) == "Enquête de suivi du BRRC AOC <enquete@brrc-aoc.example.org>"
    assert setting("DEFAULT_FROM_EMAIL", **wca, DEFAULT_FROM_EMAIL="S <s@x.example.org>") == "S <s@x.example.org>"
    assert setting("OFFICE_EMAIL", **wca) == "brrc-aoc@brrc-aoc.example.org"
    assert setting("OFFICE_EMAIL", **wca, OFFICE_EMAIL="o@x.example.org") == "o@x.example.org"
    assert setting("BOUNCE_ADDRESS", **wca, BOUNCE_IMAP_URL="imap://u:p@h/INBOX") == "bounces@brrc-aoc.example.org"


@pytest.mark.django_db
def test_after_login_with_an_unsafe_next_staff_land_on_the_staff_site(client, django_user_model):
    from django.urls import reverse

    django_user_model.objects.create_user("staffer", password="a-long-test-password", is_staff=True, is_superuser=True)
    for unsafe in ("https://evil.example.org/", "//evil.example.org/", ""):
        response = client.post(
            reverse("admin:login") + (f"?next={unsafe}" if unsafe else ""),
            {"username": "staffer", "password": "a-long-test-password", "next": unsafe},
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("reports:index")
        assert client.get(response["Location"]).status_code == 200
        client.logout()


@pytest.mark.django_db
def test_staff_sessions_end_after_a_working_day_without_a_request(client, django_user_model, settings):
    import datetime as dt

    from django.contrib.sessions.models import Session
    from django.urls import reverse
    from django.utils import timezone

    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    user = django_user_model.objects.create_user("staffer", password="x", is_staff=True, is_superuser=True)
    client.force_login(user)
    staff = reverse("reports:index")
    # Each request moves the end a working day ahead.
    Session.objects.update(expire_date=timezone.now() + dt.timedelta(minutes=5))
    assert client.get(staff).status_code == 200
    assert Session.objects.get().expire_date > timezone.now() + dt.timedelta(hours=7, minutes=59)
    # A day of nothing: the session is over.
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(staff).status_code == 302


def test_session_idle_hours_come_from_the_environment(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SESSION_COOKIE_AGE)"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "rocbap.settings",
            "VAR_DIR": str(tmp_path),
            "SESSION_IDLE_HOURS": "2",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "7200", result.stderr


@pytest.mark.parametrize(("value", "shown"), [("", "48"), ("6", "6"), ("0", None), ("two days", None)])
def test_import_confirmation_hours_come_from_the_environment(tmp_path, value, shown):
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.IMPORT_CONFIRMATION_HOURS)"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "rocbap.settings",
            "VAR_DIR": str(tmp_path),
            "IMPORT_CONFIRMATION_HOURS": value,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    if shown is None:  # a bad value stops the start, naming the variable
        assert result.returncode != 0 and "IMPORT_CONFIRMATION_HOURS" in result.stderr
    else:
        assert result.stdout.strip() == shown, result.stderr
