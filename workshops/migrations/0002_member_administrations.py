"""The office's member administrations (its office file's list: the 33 of the Asia/Pacific region by default),
with the aliases met in the reports."""

import csv

from django.conf import settings
from django.db import migrations


def load(apps, schema_editor):
    MemberAdministration = apps.get_model("workshops", "MemberAdministration")
    with settings.OFFICE.members_csv.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            MemberAdministration.objects.update_or_create(
                code=row["code"].strip(),
                defaults={
                    "name": row["name"].strip(),
                    "subregion": (row.get("subregion") or "").strip(),
                    "aliases": (row.get("aliases") or "").strip(),
                },
            )


class Migration(migrations.Migration):
    dependencies = [("workshops", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
