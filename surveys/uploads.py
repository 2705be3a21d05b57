"""Workbooks kept between the import's preview and staff's confirmation, as files in VAR_DIR/imports.

The confirmation page names a kept file by a random token; confirming imports it and deletes it. Files older
than a day are removed when the next one is kept (a preview that was never confirmed).
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

KEEP_SECONDS = 24 * 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


class Gone(Exception):
    """No kept upload of that name (never kept, expired, or imported already)."""


def _folder() -> Path:
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep(upload: BinaryIO) -> str:
    """Keep an upload until it is confirmed; returns its token."""
    folder = _folder()
    for old in folder.glob("*.xlsx"):
        if old.stat().st_mtime < time.time() - KEEP_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    upload.seek(0)
    (folder / f"{token}.xlsx").write_bytes(upload.read())
    return token


@contextmanager
def kept(token: str) -> Iterator[BinaryIO]:
    """The kept upload, open; deleted once the block ran without an error (an error keeps it for another try)."""
    if not _TOKEN.fullmatch(token or ""):
        raise Gone(token)
    path = _folder() / f"{token}.xlsx"
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise Gone(token) from None
    with handle:
        yield handle
    path.unlink(missing_ok=True)
