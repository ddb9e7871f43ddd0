"""A favourite meeting can remind the client an hour before; one claim row per start."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_attendance_once_a_day"),
        ("program", "0002_enrollment_welcomed_at"),
    ]

    operations = [
        migrations.CreateModel(
            name="MeetingReminder",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("starts_at", models.DateTimeField()),
                ("mailed", models.BooleanField(default=False)),
                ("created_at", models.DateTimeField()),
            ],
        ),
        migrations.AddField(
            model_name="favourite",
            name="remind",
            field=models.BooleanField(default=False, verbose_name="remind me an hour before"),
        ),
        migrations.AddIndex(
            model_name="favourite",
            index=models.Index(
                condition=models.Q(("remind", True)), fields=["meeting"], name="favourite_reminded"
            ),
        ),
        migrations.AddField(
            model_name="meetingreminder",
            name="enrollment",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="program.enrollment",
            ),
        ),
        migrations.AddField(
            model_name="meetingreminder",
            name="meeting",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="meetings.meeting"
            ),
        ),
        migrations.AddIndex(
            model_name="meetingreminder",
            index=models.Index(fields=["starts_at"], name="meeting_reminder_start"),
        ),
        migrations.AddConstraint(
            model_name="meetingreminder",
            constraint=models.UniqueConstraint(
                fields=("enrollment", "meeting", "starts_at"),
                name="meeting_reminder_once_per_start",
            ),
        ),
    ]
