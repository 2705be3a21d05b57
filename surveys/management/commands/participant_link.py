"""Print a participant's personal link again, or replace it (--revoke)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from surveys.questionnaire.links import questionnaire_url, revoke
from workshops.models import Participant


class Command(BaseCommand):
    help = "Print the full personal link of a participant of a workshop; --revoke replaces it with a new one."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--workshop", required=True, help="The workshop's code, e.g. FY19-AEO.")
        parser.add_argument("--email", required=True, help="The participant's e-mail address.")
        parser.add_argument("--revoke", action="store_true", help="Replace the link; the old one stops working.")

    def handle(self, *args, workshop: str, email: str, **options) -> None:
        participant = (
            Participant.objects.select_related("workshop")
            .filter(workshop__code=workshop, email__iexact=email.strip())
            .first()
        )
        if participant is None:
            raise CommandError(f"No participant {email!r} in workshop {workshop!r}.")
        link = revoke(participant) if options["revoke"] else questionnaire_url(participant)
        self.stdout.write(link)
