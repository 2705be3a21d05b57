from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.pdf import render_pdf
from workshops.models import Workshop, fiscal_year_label, parse_fiscal_year


class Command(BaseCommand):
    help = "Render the Good Practice Report of a fiscal year as a PDF, e.g. --fiscal-year 2019/20 report.pdf"

    def add_arguments(self, parser):
        parser.add_argument("--fiscal-year", required=True, help="e.g. 2019/20")
        parser.add_argument("path", help="Where to write the PDF.")

    def handle(self, *args, fiscal_year: str, path: str, **options):
        try:
            year = parse_fiscal_year(fiscal_year)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if not Workshop.objects.of_fiscal_year(year).surveyed().exists():
            raise CommandError(f"FY{fiscal_year_label(year)} has no surveyed workshops: there is nothing to report.")
        target = Path(path)
        if not target.parent.is_dir():
            raise CommandError(f"The folder {target.parent} does not exist.")
        target.write_bytes(render_pdf(year))
        self.stdout.write(self.style.SUCCESS(f"FY{fiscal_year_label(year)} report written to {target}"))
