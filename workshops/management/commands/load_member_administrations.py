from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from workshops.members import MemberListError, load_member_list


class Command(BaseCommand):
    help = (
        "Load the office's member administrations from its CSV (code, name, subregion, aliases): the file the "
        "office file names, or --csv PATH. Running it again only applies the changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--csv", type=Path, help="a CSV file instead of the office's own list")
        parser.add_argument(
            "--prune",
            action="store_true",
            help="remove the administrations not in the list that no participant refers to",
        )

    def handle(self, *args, csv: Path | None, prune: bool, **options):
        path = csv or settings.OFFICE.members_csv
        try:
            result = load_member_list(path, prune=prune)
        except MemberListError as exc:
            raise CommandError(str(exc)) from None
        for line in result.lines():
            self.stdout.write(line)
