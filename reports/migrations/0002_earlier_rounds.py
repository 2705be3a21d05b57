"""Headline reply rates of the survey rounds as published, so the report can compare with them."""

import csv

from django.conf import settings
from django.db import migrations


def _rows():
    """The office's earlier-rounds record (its office file's `earlier_rounds`): none for an office without one."""
    path = settings.OFFICE.earlier_rounds_csv
    if path is None:
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load(apps, schema_editor):
    EarlierRound = apps.get_model("reports", "EarlierRound")
    for row in _rows():
        EarlierRound.objects.update_or_create(
            fiscal_year=int(row["fy"][:4]),
            defaults={
                "survey_year": int(row["survey_year"]),
                "round_number": int(row["round"]),
                "reply_rate_percent": int(row["reply_rate_percent"]),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
