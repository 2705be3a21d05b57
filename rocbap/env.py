"""Typed settings from the environment.

Every getter names the variable in its error, so a bad configuration stops the process at start
with a message that says what to fix instead of failing later in a request.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from dj_database_url import DBConfig

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def get_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def get_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}")


def get_int(name: str, default: int, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def get_int_list(name: str, default: list[int], *, minimum: int | None = None, at_most: int | None = None) -> list[int]:
    """Whole numbers separated by commas, each different, each at least `minimum`, at most `at_most` of them."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        values = [int(part) for part in raw.replace(" ", "").split(",") if part]
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be whole numbers separated by commas, got {raw!r}") from None
    if minimum is not None and any(value < minimum for value in values):
        raise ImproperlyConfigured(f"{name}: every number must be at least {minimum}, got {raw!r}")
    if len(set(values)) != len(values):
        raise ImproperlyConfigured(f"{name}: a number appears twice in {raw!r}")
    if at_most is not None and len(values) > at_most:
        raise ImproperlyConfigured(f"{name} takes at most {at_most} numbers, got {len(values)} in {raw!r}")
    return values


def get_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def get_url(name: str, default: str, schemes: tuple[str, ...]) -> str:
    value = get_str(name, default)
    scheme = urlsplit(value).scheme
    if scheme not in schemes:
        raise ImproperlyConfigured(
            f"{name} must start with one of {', '.join(s + '://' for s in schemes)}; got {value!r}"
        )
    return value


def database_config(name: str, default: str) -> DBConfig:
    import dj_database_url

    url = get_str(name, default)
    try:
        config = dj_database_url.parse(url)
    except Exception as exc:  # dj-database-url raises bare ValueErrors and KeyErrors
        raise ImproperlyConfigured(f"{name} is not a database URL we can use ({exc}): {url!r}") from None
    if config.get("ENGINE") not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
        raise ImproperlyConfigured(f"{name} must be a sqlite:// or postgres:// URL, got {url!r}")
    return config


def email_config(name: str, file_path: str) -> dict:
    """Django e-mail settings from EMAIL_URL.

    smtp://user:password@host:port (plain), smtp+tls://... (STARTTLS), smtps://... (TLS from the start),
    console:// (print to the terminal) and file:///folder (one .eml file per message). Unset: files in
    `file_path`, so a local run never mails anybody by accident.
    """
    url = get_str(name)
    if not url:
        return {"EMAIL_BACKEND": "rocbap.mail.EmlFileBackend", "EMAIL_FILE_PATH": file_path}
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "file":
        return {"EMAIL_BACKEND": "rocbap.mail.EmlFileBackend", "EMAIL_FILE_PATH": unquote(parts.path) or file_path}
    if parts.scheme not in ("smtp", "smtp+tls", "smtps"):
        raise ImproperlyConfigured(f"{name} must be smtp://, smtp+tls://, smtps://, console:// or file://, got {url!r}")
    if not parts.hostname:
        raise ImproperlyConfigured(f"{name} needs a host, got {url!r}")
    try:
        port = parts.port or {"smtp": 25, "smtp+tls": 587, "smtps": 465}[parts.scheme]
    except ValueError:
        raise ImproperlyConfigured(f"{name} has a bad port: {url!r}") from None
    options = parse_qs(parts.query)
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": parts.scheme == "smtp+tls",
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_TIMEOUT": int(options.get("timeout", ["20"])[0]),
    }


def imap_config(name: str) -> dict | None:
    """The bounce mailbox from BOUNCE_IMAP_URL, or None when it is unset (no bounce processing).

    imap://user:password@host:143/INBOX (STARTTLS when the server offers it), imaps://...:993/INBOX (TLS from the
    start). The path is the folder the bounce reports arrive in (default INBOX); `?processed=Folder` moves read
    reports there instead of deleting them; `?timeout=` is in seconds.
    """
    url = get_str(name)
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps"):
        raise ImproperlyConfigured(f"{name} must start with imap:// or imaps://, got {_without_password(url)!r}")
    if not parts.hostname or not parts.username:
        raise ImproperlyConfigured(
            f"{name} needs a user and a host (imap://user:password@host/INBOX), got {_without_password(url)!r}"
        )
    try:
        port = parts.port or {"imap": 143, "imaps": 993}[parts.scheme]
    except ValueError:
        raise ImproperlyConfigured(f"{name} has a bad port: {_without_password(url)!r}") from None
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = set(options) - {"processed", "timeout"}
    if unknown:
        known = "processed, timeout"
        raise ImproperlyConfigured(f"{name} has unknown options {', '.join(sorted(unknown))}; known: {known}")
    timeout = options.get("timeout", "30")
    if not timeout.isdigit() or int(timeout) < 1:
        raise ImproperlyConfigured(f"{name}: timeout must be a whole number of seconds, got {timeout!r}")
    return {
        "host": parts.hostname,
        "port": port,
        "ssl": parts.scheme == "imaps",
        "user": unquote(parts.username),
        "password": unquote(parts.password or ""),
        "folder": unquote(parts.path.lstrip("/")) or "INBOX",
        "processed_folder": options.get("processed", ""),
        "timeout": int(timeout),
    }


def _without_password(url: str) -> str:
    # Error messages end up in logs: never print the mailbox password.
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()
