"""Headline reply rates of the survey rounds as published, so the report can compare with them."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "earlier_rounds.csv"


def load(apps, schema_editor):
    EarlierRound = apps.get_model("reports", "EarlierRound")
    with DATA.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
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
