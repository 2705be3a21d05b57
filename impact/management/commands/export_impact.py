"""Write the success stories and the administrations' ledger of a range of fiscal years to a workbook, in a
language staff read (--language; by default the office's)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from impact.export import export
from workshops.management.arguments import fiscal_year, output_path
from workshops.models import fiscal_year_label


class Command(BaseCommand):
    help = "Export the success stories and each administration's ledger (sheets 'Success stories', 'Administrations')."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--from", dest="first", required=True, help="the first fiscal year, e.g. 2019/20")
        parser.add_argument("--to", dest="last", required=True, help="the last fiscal year, e.g. 2023/24")
        parser.add_argument("path", help="the workbook to write (.xlsx)")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="the language of the headers and values; default: the office's",
        )

    def handle(self, *args, first: str, last: str, path: str, language: str | None = None, **options) -> None:
        first_year, last_year = fiscal_year(first), fiscal_year(last)
        if last_year < first_year:
            first_label, last_label = fiscal_year_label(first_year), fiscal_year_label(last_year)
            raise CommandError(f"--to FY{last_label} comes before --from FY{first_label}")
        target = output_path(path, ".xlsx")
        with translation.override(language or settings.OFFICE.default_language):
            export(first_year, last_year, target)
        self.stdout.write(f"Wrote {target} (FY{fiscal_year_label(first_year)} to FY{fiscal_year_label(last_year)}).")
