from django.core.management.base import BaseCommand, CommandError

from surveys.workbook import WorkbookInvalid, import_workbook


class Command(BaseCommand):
    help = "Import workshops, participants and replies from an .xlsx workbook (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .xlsx workbook")

    def handle(self, *args, path: str, **options):
        try:
            with open(path, "rb") as handle:
                summary = import_workbook(handle)
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file") from None
        except WorkbookInvalid as invalid:
            for line in invalid.lines():
                self.stderr.write(line)
            raise CommandError(str(invalid)) from None
        for line in summary.lines():
            self.stdout.write(line)
