from django.conf import settings
from django.core.management.base import BaseCommand

from reports.pdf import render_pdf
from workshops.management import arguments
from workshops.models import fiscal_year_label


class Command(BaseCommand):
    help = (
        "Render the Good Practice Report of a fiscal year as a PDF, e.g. --fiscal-year 2019/20 report.pdf; "
        "--language fr renders it in French (default: the report edition's language)"
    )

    def add_arguments(self, parser):
        parser.add_argument("--fiscal-year", required=True, help="e.g. 2019/20 or 2019 (for FY2019/20)")
        parser.add_argument(
            "--language",
            choices=settings.OFFICE.staff_languages,
            help="the report's language; default: the edition's",
        )
        parser.add_argument("path", help="the .pdf file to write")

    def handle(self, *args, fiscal_year: str, path: str, language: str | None = None, **options):
        target = arguments.output_path(path, ".pdf")
        year = arguments.surveyed_fiscal_year(fiscal_year)
        target.write_bytes(render_pdf(year, language=language))
        self.stdout.write(self.style.SUCCESS(f"FY{fiscal_year_label(year)} report written to {target}"))
