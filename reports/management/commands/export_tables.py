from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.excel import export
from workshops.models import Workshop, fiscal_year_label, parse_fiscal_year


class Command(BaseCommand):
    help = "Write the Good Practice Report's tables and the FY's replies to an .xlsx workbook."

    def add_arguments(self, parser):
        parser.add_argument("--fiscal-year", required=True, help="e.g. 2019/20 or 2019 (for FY2019/20)")
        parser.add_argument("path", help="the .xlsx file to write")

    def handle(self, *args, fiscal_year: str, path: str, **options):
        try:
            year = parse_fiscal_year(fiscal_year)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        target = Path(path)
        if target.suffix.lower() != ".xlsx":
            raise CommandError(f"{path}: the file name must end in .xlsx")
        if not target.parent.is_dir():
            raise CommandError(f"{target.parent}: no such folder")
        if not Workshop.objects.surveyed().of_fiscal_year(year).exists():
            raise CommandError(f"FY{fiscal_year_label(year)} has no surveyed workshops; nothing to export")
        export(year, target)
        self.stdout.write(f"FY{fiscal_year_label(year)}: tables and replies written to {target}")
