"""Command-line arguments shared by the management commands."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from workshops.models import Workshop, fiscal_year_label, parse_fiscal_year


def fiscal_year(text: str) -> int:
    """`2019/20`, `FY2019/20` or `2019` -> 2019, or the command stops with the parser's message."""
    try:
        return parse_fiscal_year(text)
    except ValueError as error:
        raise CommandError(str(error)) from None


def surveyed_fiscal_year(text: str) -> int:
    """A fiscal year with at least one surveyed workshop: reports of an empty year are mistakes."""
    year = fiscal_year(text)
    if not Workshop.objects.surveyed().of_fiscal_year(year).exists():
        raise CommandError(f"FY{fiscal_year_label(year)} has no surveyed workshops: there is nothing to report.")
    return year


def output_path(text: str, suffix: str) -> Path:
    """Where a command writes its file: the folder must exist and the name end in `suffix`."""
    target = Path(text)
    if target.suffix.lower() != suffix:
        raise CommandError(f"{text}: the file name must end in {suffix}")
    if not target.parent.is_dir():
        raise CommandError(f"{target.parent}: no such folder")
    return target
