# Issue 25: return paths carry a signature; the messages already sent went out with the unsigned form.

from django.db import migrations, models


def mark_sent_unsigned(apps, schema_editor):
    """Every message that went out before this migration carried the unsigned return path bounces+<pk>@: its
    reports are still believed for one survey round (surveys.mail.bounces)."""
    Message = apps.get_model("surveys", "Message")
    Message.objects.filter(sent_at__isnull=False).update(unsigned_return_path=True)


class Migration(migrations.Migration):

    dependencies = [
        ("surveys", "0012_message_staff_requests"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="unsigned_return_path",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(mark_sent_unsigned, migrations.RunPython.noop),
    ]
