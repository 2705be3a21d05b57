"""The 33 member administrations of the Asia/Pacific region, with the aliases met in the reports."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "member_administrations.csv"


def load(apps, schema_editor):
    MemberAdministration = apps.get_model("workshops", "MemberAdministration")
    with DATA.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            MemberAdministration.objects.update_or_create(
                code=row["code"],
                defaults={"name": row["name"], "subregion": row["subregion"], "aliases": row["aliases"]},
            )


class Migration(migrations.Migration):
    dependencies = [("workshops", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
