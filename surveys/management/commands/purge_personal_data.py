from django.core.management.base import BaseCommand

from surveys.privacy import erase_many, participants_before
from workshops.management import arguments
from workshops.models import fiscal_year_label


class Command(BaseCommand):
    help = (
        "Erase the names and e-mail addresses of the participants of workshops of fiscal years before the one given "
        "(their replies stay counted in every report)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--before-fy", required=True, help="e.g. 2019/20: erases FY2018/19 and earlier")
        parser.add_argument("--dry-run", action="store_true", help="only say how many would be erased")

    def handle(self, *args, before_fy: str, dry_run: bool, **options):
        fiscal_year = arguments.fiscal_year(before_fy)
        participants = participants_before(fiscal_year)
        label = f"workshops before FY{fiscal_year_label(fiscal_year)}"
        if dry_run:
            self.stdout.write(f"Would erase {participants.count()} participants of {label}.")
            return
        erased = erase_many(participants)
        self.stdout.write(f"Erased the personal data of {erased} participants of {label}.")
