"""Logging that never names a participant: masks e-mail addresses and personal-link tokens, and JSON lines.

Code logs ids (participant 42), never e-mails; the filter is the safety net for whatever a library or an
exception message lets through.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re

EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
# Personal-link tokens are 43 url-safe characters (secrets.token_urlsafe(32)); anything as long, such as a
# token of another length in a URL, is masked too: nothing that long is useful to read in a log.
TOKEN = re.compile(r"(?<![\w-])[\w-]{40,64}(?![\w-])")
QUESTIONNAIRE_PATH = re.compile(r"/r/[^/\s\"']+")


def mask(text: str) -> str:
    text = EMAIL.sub("[email]", text)
    text = QUESTIONNAIRE_PATH.sub("/r/[token]", text)
    return TOKEN.sub("[token]", text)


class MaskPersonalData(logging.Filter):
    """Rewrites the record's message (and traceback) with e-mails and tokens masked."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep the raw message, masked
            message = str(record.msg)
        record.msg, record.args = mask(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        return json.dumps(entry, ensure_ascii=False)


def logging_config(log_format: str, level: str = "INFO") -> dict:
    """The one logging configuration, for Django (rocbap.settings LOGGING) and for gunicorn (deploy/gunicorn.conf.py
    logconfig_dict): every handler masks e-mail addresses and personal-link tokens; `log_format` "json" writes one
    JSON object a line (for a log collector), anything else plain text."""
    formatter = "json" if log_format.strip().lower() == "json" else "plain"
    handler = {"class": "logging.StreamHandler", "formatter": formatter, "filters": ["mask_personal_data"]}
    own = {"handlers": ["console"], "level": level, "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"mask_personal_data": {"()": "rocbap.logs.MaskPersonalData"}},
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
            "json": {"()": "rocbap.logs.JsonFormatter"},
        },
        "handlers": {
            "console": {**handler, "stream": "ext://sys.stderr"},
            "stdout": {**handler, "stream": "ext://sys.stdout"},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own handlers for these two print unmasked (the development server's access log, and with
            # DEBUG every "Not Found: /r/<token>"): ours replace them.
            "django": own,
            "django.server": own,
            # gunicorn's error log quotes bad request lines; its access log (on stdout) prints every path, a
            # personal link's token included: both through the same mask.
            "gunicorn.error": own,
            "gunicorn.access": {**own, "handlers": ["stdout"]},
            # Axes logs the username; keep its lines but at warning level only (lockouts).
            "axes": {"level": "WARNING"},
            # WeasyPrint and fontTools log every layout step and font subset at INFO.
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
            # flufl.bounce logs each detector it tries on each bounce report at INFO; and the detectors' tracebacks
            # on odd mail at ERROR, which surveys.mail.bounces reports in one line of its own.
            "flufl.bounce": {"level": "CRITICAL"},
        },
    }
