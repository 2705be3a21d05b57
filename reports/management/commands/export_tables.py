from django.core.management.base import BaseCommand

from reports.excel import export
from workshops.management import arguments
from workshops.models import fiscal_year_label


class Command(BaseCommand):
    help = "Write the Good Practice Report's tables and the FY's replies to an .xlsx workbook."

    def add_arguments(self, parser):
        parser.add_argument("--fiscal-year", required=True, help="e.g. 2019/20 or 2019 (for FY2019/20)")
        parser.add_argument("path", help="the .xlsx file to write")

    def handle(self, *args, fiscal_year: str, path: str, **options):
        target = arguments.output_path(path, ".xlsx")
        year = arguments.surveyed_fiscal_year(fiscal_year)
        export(year, target)
        self.stdout.write(f"FY{fiscal_year_label(year)}: tables and replies written to {target}")
