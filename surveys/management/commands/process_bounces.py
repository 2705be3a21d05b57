"""One pass over the bounce mailbox: cron, the embedded default without Redis, staff checking by hand."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from surveys.mail.bounces import MailboxError, process_bounces


class Command(BaseCommand):
    help = "Read the bounce reports in BOUNCE_IMAP_URL's mailbox once and mark the messages that bounced."

    def handle(self, *args, **options) -> None:
        try:
            result = process_bounces()
        except MailboxError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(result))
