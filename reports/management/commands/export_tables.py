from django.core.management.base import BaseCommand, CommandError

from reports.excel import export
from rocbap.languages import staff_language_choices
from workshops.management import arguments
from workshops.models import fiscal_year_label


class Command(BaseCommand):
    help = "Write the Good Practice Report's tables and the FY's replies to an .xlsx workbook."

    def add_arguments(self, parser):
        parser.add_argument("--fiscal-year", required=True, help="e.g. 2019/20 or 2019 (for FY2019/20)")
        parser.add_argument(
            "--language",
            help="word the tables for a reader in this staff language (e.g. fr); without it, the workbook keeps "
            "its own words, which other tools read",
        )
        parser.add_argument("path", help="the .xlsx file to write")

    def handle(self, *args, fiscal_year: str, path: str, language: str | None = None, **options):
        if language is not None and language not in dict(staff_language_choices()):
            choices = ", ".join(code for code, _name in staff_language_choices())
            raise CommandError(f"No staff language {language!r}: the office's are {choices}.")
        target = arguments.output_path(path, ".xlsx")
        year = arguments.surveyed_fiscal_year(fiscal_year)
        export(year, target, language=language)
        self.stdout.write(f"FY{fiscal_year_label(year)}: tables and replies written to {target}")
