"""The embedded default's e-mail backend: one .eml file per message, which any mail client opens."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


class EmlFileBackend(BaseEmailBackend):
    """Writes each message to EMAIL_FILE_PATH/<time>-<message id>.eml (Django's file backend writes one .log per
    connection, several messages in it, which no mail client reads)."""

    def __init__(self, *args, file_path: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.folder = Path(str(file_path or getattr(settings, "EMAIL_FILE_PATH", "")))

    def send_messages(self, email_messages) -> int:
        self.folder.mkdir(parents=True, exist_ok=True)
        for email in email_messages:
            message = email.message()
            # The Message-ID names the log row (surveys.mail.emails); a file name carries its safe characters only.
            label = re.sub(r"[^A-Za-z0-9._-]+", "-", str(message.get("Message-ID", ""))).strip("-") or uuid.uuid4().hex
            name = f"{timezone.now():%Y%m%d-%H%M%S}-{label[:80]}.eml"
            (self.folder / name).write_bytes(message.as_bytes(linesep="\r\n"))
        return len(email_messages)
