"""A meeting is logged once per client and day.

Before the constraint, two presses of "I went" (two forms) could keep the same meeting
twice for the same day. The first entry of each such pair is kept, the repeats removed,
so the constraint can be added.
"""

from django.db import migrations, models
from django.db.models import Count, Min


def keep_the_first_entry_of_each_day(apps, schema_editor):
    Attendance = apps.get_model("meetings", "Attendance")
    repeated = (
        Attendance.objects.values("enrollment_id", "meeting_id", "attended_on")
        .annotate(entries=Count("id"), first=Min("id"))
        .filter(entries__gt=1)
        .order_by()
    )
    for group in repeated.iterator():
        Attendance.objects.filter(
            enrollment_id=group["enrollment_id"],
            meeting_id=group["meeting_id"],
            attended_on=group["attended_on"],
        ).exclude(pk=group["first"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("program", "0002_enrollment_welcomed_at"),
    ]

    operations = [
        migrations.RunPython(keep_the_first_entry_of_each_day, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="attendance",
            constraint=models.UniqueConstraint(
                fields=("enrollment", "meeting", "attended_on"),
                name="meeting_attendance_once_a_day",
            ),
        ),
    ]
