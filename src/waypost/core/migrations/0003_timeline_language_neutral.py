"""Timeline events stop storing a sentence; the sentence is made when read.

Rows written before keep their stored text under ``data["text"]``, shown if
their kind's parameters are missing.
"""

from django.db import migrations, models


def keep_old_text(apps, schema_editor):
    TimelineEvent = apps.get_model("core", "TimelineEvent")
    for event in TimelineEvent.objects.exclude(summary="").iterator():
        data = dict(event.data or {})
        data.setdefault("text", event.summary)
        TimelineEvent.objects.filter(pk=event.pk).update(data=data)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_time_default")]

    operations = [
        # A default first, so the migration can be reversed on a database with rows.
        migrations.AlterField(
            model_name="timelineevent",
            name="summary",
            field=models.CharField(blank=True, default="", max_length=300),
        ),
        migrations.RunPython(keep_old_text, migrations.RunPython.noop),
        migrations.RemoveField(model_name="timelineevent", name="summary"),
    ]
