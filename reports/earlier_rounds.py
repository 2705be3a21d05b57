"""The office's earlier-rounds record: the headline figures its published reports gave for the rounds before this
product (the office file's `earlier_rounds` CSV, docs/offices.md). The migrations load it into a new database;
`manage.py load_demo` brings a database to the record of the office it runs for, so that no other office's rounds
remain (the West and Central Africa example has none)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from reports.models import EarlierRound


class EarlierRoundsError(ValueError):
    pass


@dataclass
class EarlierRoundsResult:
    loaded: list[int] = field(default_factory=list)  # fiscal years
    removed: list[int] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [f"Earlier rounds' headline figures: {len(self.loaded)} loaded, {len(self.removed)} removed"]


def read_earlier_rounds(path: Path) -> list[dict[str, int | None]]:
    """The record's rows as EarlierRound's fields; a bad figure names its line."""
    rows: list[dict[str, int | None]] = []
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                try:
                    values: dict[str, int | None] = {
                        "fiscal_year": int(row["fy"][:4]),
                        "survey_year": int(row["survey_year"]),
                        "round_number": int(row["round"]),
                    }
                    for name, value in row.items():
                        if name.endswith("_percent"):
                            values[name] = int(value) if (value or "").strip() else None
                except (KeyError, TypeError, ValueError):
                    raise EarlierRoundsError(
                        f"{path}: line {line}: fy, survey_year, round and reply_rate_percent must be numbers"
                    ) from None
                rows.append(values)
    except OSError as exc:
        raise EarlierRoundsError(f"{path}: cannot be read ({exc.strerror})") from None
    return rows


@transaction.atomic
def load_earlier_rounds(path: Path | None, *, prune: bool = False) -> EarlierRoundsResult:
    """Write the record's rounds; with `prune`, remove the rounds it does not hold (another office's)."""
    rows = read_earlier_rounds(path) if path is not None else []
    result = EarlierRoundsResult()
    for values in rows:
        year = values.pop("fiscal_year")
        assert year is not None
        EarlierRound.objects.update_or_create(fiscal_year=year, defaults=values)
        result.loaded.append(year)
    if prune:
        others = EarlierRound.objects.exclude(fiscal_year__in=result.loaded)
        result.removed = list(others.values_list("fiscal_year", flat=True))
        others.delete()
    return result
