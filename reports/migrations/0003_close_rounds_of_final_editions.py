"""The round's state moved from the report edition to the survey side (surveys.rounds): every fiscal year whose
edition is final already has its round closed, at the time the edition was made final."""

from django.db import migrations


def close_rounds_of_final_editions(apps, schema_editor):
    ReportEdition = apps.get_model("reports", "ReportEdition")
    SurveyRound = apps.get_model("surveys", "SurveyRound")
    for edition in ReportEdition.objects.filter(status="final"):
        SurveyRound.objects.update_or_create(
            fiscal_year=edition.fiscal_year,
            defaults={"state": "closed", "closed_at": edition.finalized_at or edition.updated_at},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_earlier_rounds"),
        ("surveys", "0003_survey_rounds"),
    ]

    operations = [migrations.RunPython(close_rounds_of_final_editions, migrations.RunPython.noop)]
