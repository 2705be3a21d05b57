"""The staff roles "Survey managers" and "Report viewers" (workshops/roles.py); their permissions are applied
after every migrate by a post_migrate handler, so that models added later are covered too."""

from django.db import migrations


def create(apps, schema_editor):
    from workshops.roles import create_groups

    create_groups(apps.get_model("auth", "Group"))


class Migration(migrations.Migration):
    dependencies = [("workshops", "0002_member_administrations"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
