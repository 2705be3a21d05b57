"""Settings of rocbap. Every value comes from the environment, with a default that needs nothing installed.

The README's configuration table lists the variables; each is commented here with what it is for.
"""

from __future__ import annotations

import secrets
from email.utils import parseaddr
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from rocbap import env
from rocbap import office as office_languages
from rocbap.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

# Where the embedded defaults keep their state: the SQLite file, e-mails written as files, the secret key,
# rendered reports. VAR_DIR moves it elsewhere (a volume in production).
VAR_DIR = Path(env.get_str("VAR_DIR", str(BASE_DIR / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

# Shows tracebacks in the browser. Never on in production.
DEBUG = env.get_bool("DEBUG", False)


def _secret_key() -> str:
    # A key kept in VAR_DIR lets a local run keep its sessions and links across restarts without
    # anybody choosing a key; production sets SECRET_KEY.
    key = env.get_str("SECRET_KEY")
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long")
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


# Signs sessions, CSRF tokens and opt-out links.
SECRET_KEY = _secret_key()

# Host names the site answers to.
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

# The base of every link in an e-mail, e.g. https://survey.rocbap.org (no trailing slash).
SITE_URL = env.get_url("SITE_URL", "http://127.0.0.1:8000", ("http", "https")).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "workshops",
    "surveys",
    "impact",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "rocbap.languages.OfficeLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "rocbap.security.refuse_nul_in_query",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "rocbap.urls"
WSGI_APPLICATION = "rocbap.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rocbap.languages.office_context",
            ],
            # Dates as each language writes them (CLDR): {% load formats %}.
            "libraries": {"formats": "rocbap.formats"},
        },
    },
]

# The database: sqlite:///path or postgres://user:password@host:port/name. Default: a SQLite file in VAR_DIR.
DATABASES = {"default": env.database_config("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and IMMEDIATE transactions let the web process and the worker write at once without
    # "database is locked" errors.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # The tests' database is a file too, opened as above: Django's default, an in-memory database shared between
    # connections, locks tables instead of waiting, which the product's SQLite never does.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Seconds a database connection is kept open between requests. Reuse quadruples the throughput of submitting replies
# on PostgreSQL; on SQLite, opening the file and setting it up costs as much CPU as the rest of the questionnaire page.
DATABASES["default"]["CONN_MAX_AGE"] = env.get_int("DB_CONN_MAX_AGE", 60, minimum=0)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The office that runs the survey (docs/offices.md): its names in each language, its default language, its logo and
# the CSV of its member administrations. OFFICE is a bundled office's name or the path of an office file.
OFFICE = env.office_config("OFFICE", "asia-pacific")

# The languages participants are asked and mailed in (a catalogue each under locale/): those the office offers
# (its file's `languages`). Participant pages follow the participant, staff pages and the admin the staff user's
# browser (English, French, Spanish or Arabic: rocbap.office.STAFF_LANGUAGES), other pages the office's default
# (rocbap.languages).
LANGUAGES = [(code, name) for code, name in office_languages.LANGUAGES if code in OFFICE.languages]
LANGUAGE_CODE = "en" if "en" in OFFICE.languages else OFFICE.default_language
LOCALE_PATHS = [BASE_DIR / "locale"]
# Number formats where CLDR (Babel) and Django disagree: Arabic writes 0.35, not 0,35 (rocbap/locale_formats/ar).
FORMAT_MODULE_PATH = ["rocbap.locale_formats"]
# Dates in the schedule (invitation, due date, reminders) are days in this time zone: the office file's, unless
# TIME_ZONE is set.
TIME_ZONE = env.get_str("TIME_ZONE") or OFFICE.time_zone
USE_I18N = True
USE_TZ = True


def _check_time_zone(name: str) -> None:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(f"TIME_ZONE {name!r} is not a known time zone (e.g. Asia/Bangkok)") from None


_check_time_zone(TIME_ZONE)

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Where collectstatic puts the files whitenoise serves; the image keeps them outside the VAR_DIR volume, so a new
# image brings its own.
STATIC_ROOT = Path(env.get_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request while it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

# E-mail: smtp://host:port (smtp+tls://, smtps://, with user:password@ where needed), console:// or file:///folder.
# Unset: every message is written as a file into VAR_DIR/mail and nobody is mailed.
globals().update(env.email_config("EMAIL_URL", str(VAR_DIR / "mail")))
# The sender of every message, and the address participants are told to write to: the office file's [mail], unless
# the environment sets them.
DEFAULT_FROM_EMAIL = env.get_str("DEFAULT_FROM_EMAIL") or OFFICE.mail.sender
OFFICE_EMAIL = env.get_str("OFFICE_EMAIL") or OFFICE.mail.reply_to
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Bounces (issue 12): the mailbox bounce reports arrive in, read over IMAP every BOUNCE_EVERY_SECONDS.
# Unset: no bounce processing, and messages carry the sender address as their return path, as before.
BOUNCE_MAILBOX = env.imap_config("BOUNCE_IMAP_URL")
# The return path of every message when bounces are read: bounces+<message id>@domain (VERP), so a report names
# the message it is about. Mail to it must reach BOUNCE_MAILBOX (a "+" sub-address or a catch-all).
BOUNCE_ADDRESS = env.get_str("BOUNCE_ADDRESS") or (
    (OFFICE.mail.bounce_address or f"bounces@{parseaddr(DEFAULT_FROM_EMAIL)[1].rpartition('@')[2]}")
    if BOUNCE_MAILBOX
    else ""
)
if BOUNCE_ADDRESS and (BOUNCE_ADDRESS.count("@") != 1 or "+" in BOUNCE_ADDRESS or " " in BOUNCE_ADDRESS):
    raise ImproperlyConfigured(
        f"BOUNCE_ADDRESS must be a plain address such as bounces@example.org (no '+'), got {BOUNCE_ADDRESS!r}"
    )
BOUNCE_EVERY_SECONDS = env.get_int("BOUNCE_EVERY_SECONDS", 300, minimum=10)

# The Celery broker, e.g. redis://127.0.0.1:6379/0. Unset: tasks run in the calling process, and the
# schedule runs from `manage.py dispatch_messages` (cron, or the demo's loop).
REDIS_URL = env.get_str("REDIS_URL")
if REDIS_URL:
    env.get_url("REDIS_URL", REDIS_URL, ("redis", "rediss"))
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True  # a task whose worker dies mid-way is delivered again, not lost
# A workbook import uploaded in the admin runs in a thread of the web process when tasks run in process (no broker),
# so that the upload returns at once to the import's page and the page follows it (surveys.imports.jobs.hand_over).
WORKBOOK_IMPORTS_IN_THREAD = CELERY_TASK_ALWAYS_EAGER
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE

# The survey schedule (docs/domain.md, "The yearly cycle"); each date can be overridden per workshop.
# Calendar months from a workshop's end date to the invitation.
SURVEY_DELAY_MONTHS = env.get_int("SURVEY_DELAY_MONTHS", 6, minimum=0)
# Days from the invitation to the due date.
SURVEY_REPLY_DAYS = env.get_int("SURVEY_REPLY_DAYS", 21, minimum=1)
# Reminders go this many days before the due date to those who have not replied. The message log has a kind for
# each of at most SURVEY_MAX_REMINDERS reminders (surveys.models.MessageKind): a longer list stops the start
# rather than sending fewer reminders than configured.
SURVEY_MAX_REMINDERS = 3
SURVEY_REMINDER_DAYS = sorted(
    env.get_int_list("SURVEY_REMINDER_DAYS", [7, 2], minimum=1, at_most=SURVEY_MAX_REMINDERS), reverse=True
)
# Invitations that fell due while the scheduler was down go out if at most this many days late;
# older ones only when staff ask for them.
SURVEY_CATCH_UP_DAYS = env.get_int("SURVEY_CATCH_UP_DAYS", 14, minimum=0)
# The results e-mail shows a workshop's figures only from this many replies on: with fewer, a participant could read
# a colleague's answers in them (1 reply of 3 is that person's every answer). Staff pages show them whatever the count.
FEEDBACK_MIN_REPLIES = env.get_int("FEEDBACK_MIN_REPLIES", 3, minimum=1)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Staff pages send anonymous users to the admin's login; after it (when the page asked for is not given, or is on
# another site) they land on the staff site, not on Django's /accounts/profile/ (a 404 here).
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "reports:index"
# A staff session ends after this many hours without a request (a working day): every request moves the end, so
# who works all day stays logged in, and a laptop left overnight is logged out. Participants have no session.
SESSION_COOKIE_AGE = env.get_int("SESSION_IDLE_HOURS", 8, minimum=1) * 3600
SESSION_SAVE_EVERY_REQUEST = True

# Renderings of the report PDF one staff user may start within an hour (each takes seconds of a worker and about
# 150 MiB); a kept PDF is served without counting.
REPORT_RENDERS_PER_HOUR = env.get_int("REPORT_RENDERS_PER_HOUR", 10, minimum=1)

# Uploaded workbooks larger than this are refused before they are opened.
WORKBOOK_MAX_BYTES = env.get_int("WORKBOOK_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
# An admin import that makes messages due waits for staff to confirm them, with its uploaded file, at most this many
# hours; then it expires (nothing imported, the file deleted) and staff upload the workbook again
# (surveys.imports.jobs).
# Local suggestions on the descriptions (impact.suggesting): computed by a Celery task after a round's replies
# change. Off, nothing is suggested and the rest works the same.
SUGGESTIONS_ENABLED = env.get_bool("SUGGESTIONS_ENABLED", True)
IMPORT_CONFIRMATION_HOURS = env.get_int("IMPORT_CONFIRMATION_HOURS", 48, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- sending the survey's messages (issue 4) ---
# Seconds between two dispatch passes of Celery beat (each pass finds every message due and sends it).
SURVEY_DISPATCH_EVERY_SECONDS = env.get_int("SURVEY_DISPATCH_EVERY_SECONDS", 120, minimum=1)
# Messages one task sends over one SMTP connection.
SURVEY_BATCH_SIZE = env.get_int("SURVEY_BATCH_SIZE", 200, minimum=1)
# A worker's claim on a batch expires after this many seconds: the batch of a worker that died is sent by
# a later pass. A worker stops sending at half its lease, so a claim never expires while it sends.
SURVEY_CLAIM_SECONDS = env.get_int("SURVEY_CLAIM_SECONDS", 600, minimum=2)
# Transient SMTP errors (4xx, connection refused, timeouts) are retried after this many seconds, doubled at each
# attempt (capped at an hour); after SURVEY_MAX_ATTEMPTS attempts the message is marked failed.
SURVEY_RETRY_SECONDS = env.get_int("SURVEY_RETRY_SECONDS", 60, minimum=0)
SURVEY_MAX_ATTEMPTS = env.get_int("SURVEY_MAX_ATTEMPTS", 8, minimum=1)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- questionnaire (issue 3) ---
# The cache must be shared by every gunicorn worker (it counts unknown tokens per client address):
# Redis when REDIS_URL is set, else files in VAR_DIR.
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
# The counted data version of the report's kept tables (reports.counted): two keys that must never be evicted, so in a
# store of their own (the file cache evicts a third of its entries when it holds too many).
CACHES["counted"] = (
    {**CACHES["default"], "KEY_PREFIX": "counted"}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(VAR_DIR / "counted")}
)
# Unknown personal links one client address may try within the window (seconds) before it gets 429.
TOKEN_GUESS_LIMIT = env.get_int("TOKEN_GUESS_LIMIT", 20, minimum=1)
TOKEN_GUESS_WINDOW = env.get_int("TOKEN_GUESS_WINDOW", 600, minimum=1)

# --- Production hardening ---
# HTTPS=true (docker-compose sets it): redirect to https, HSTS and cookies sent over TLS only. Default false so that
# a local run on http://127.0.0.1 keeps working. Production terminates TLS at a proxy that sets X-Forwarded-Proto.
HTTPS = env.get_bool("HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
# The container's health check asks over plain http from inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# same-origin rather than no-referrer: with no-referrer Chromium sends "Origin: null" on a form's POST, which the
# CSRF check rightly refuses; same-origin still never sends a personal link to another site.
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Origins (scheme://host) allowed to POST forms, when the site is reached by a name other than SITE_URL's.
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])

# Content-Security-Policy through django-csp: every page, the admin included, loads scripts, styles, fonts and
# images from this site only; no inline script, no framing, forms post here only.
INSTALLED_APPS += ["csp", "axes"]
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Staff logins: after AXES_FAILURE_LIMIT wrong passwords for one username from one address, that pair is locked
# out for AXES_COOLOFF_MINUTES (other staff and other addresses are not). django-axes records every attempt.
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env.get_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env.get_int("AXES_COOLOFF_MINUTES", 30, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind the production proxy the client's address is the last one the proxy appended to X-Forwarded-For.
AXES_CLIENT_IP_CALLABLE = "rocbap.security.client_ip"

# Logs: LOG_FORMAT=json writes one JSON object a line (for a log collector); plain text otherwise. Every handler
# masks e-mail addresses and personal-link tokens, so no log line identifies a participant.
LOG_FORMAT = env.get_str("LOG_FORMAT", "plain").lower()
LOG_LEVEL = env.get_str("LOG_LEVEL", "INFO").upper()
LOGGING = logging_config(LOG_FORMAT, LOG_LEVEL)
