from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from surveys import dispatch
from surveys.workbook import WorkbookInvalid, import_workbook
from workshops.models import Workshop


class Command(BaseCommand):
    help = (
        "Import workshops, participants and replies from an .xlsx workbook (all or nothing). An import that makes "
        "messages due says which and imports only with --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .xlsx workbook")
        parser.add_argument(
            "--yes", action="store_true", help="import even if it makes messages due (they go out with the next pass)"
        )

    def handle(self, *args, path: str, yes: bool = False, **options):
        try:
            with open(path, "rb") as handle:
                # Tried first in a transaction that is rolled back: does the import make messages due?
                lines = dispatch.announced_by(lambda: import_workbook(handle), Workshop.objects.all(), timezone.now())
                for due in lines:
                    self.stdout.write(
                        f"{due.kind_label} to {due.count} participant(s) of {due.workshop.code} on "
                        f"{due.day:%d %b %Y}, due {due.due:%d %b %Y}"
                    )
                if lines and not yes:
                    raise CommandError(
                        "Nothing imported: this import makes the messages above due. Run it again with --yes to "
                        "import it; the next dispatch pass sends them."
                    )
                handle.seek(0)
                summary = import_workbook(handle)
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file") from None
        except WorkbookInvalid as invalid:
            for line in invalid.lines():
                self.stderr.write(line)
            raise CommandError(str(invalid)) from None
        for line in summary.lines():
            self.stdout.write(line)
