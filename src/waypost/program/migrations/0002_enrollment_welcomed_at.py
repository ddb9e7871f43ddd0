"""The welcome a client sees once, on first sign-in.

Clients who have already signed in before this change count as welcomed (at
their enrolment): the welcome is for newcomers, and they can still read it
from "Me".
"""

from django.db import migrations, models


def existing_clients_are_welcomed(apps, schema_editor):
    Enrollment = apps.get_model("program", "Enrollment")
    Enrollment.objects.filter(client__last_login__isnull=False).update(
        welcomed_at=models.F("created_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("program", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="enrollment",
            name="welcomed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(existing_clients_are_welcomed, migrations.RunPython.noop),
    ]
