"""Which module a client read, or was given to read, is no longer in clear on the timeline.

The module's key moves from the event's data into its encrypted parameters
(``EventKind.private`` in ``learn/events.py``).
"""

import json

from django.db import migrations

KINDS = ("learn.module_read", "learn.module_assigned", "learn.module_withdrawn")


def hide_modules(apps, schema_editor):
    TimelineEvent = apps.get_model("core", "TimelineEvent")
    for event in TimelineEvent.objects.filter(kind__in=KINDS, data__has_key="module").iterator():
        data = dict(event.data)
        private = json.loads(event.private) if event.private else {}
        private["module"] = data.pop("module")
        TimelineEvent.objects.filter(pk=event.pk).update(
            data=data, private=json.dumps(private, sort_keys=True)
        )


def show_modules(apps, schema_editor):
    TimelineEvent = apps.get_model("core", "TimelineEvent")
    for event in TimelineEvent.objects.filter(kind__in=KINDS).exclude(private="").iterator():
        private = json.loads(event.private)
        if "module" in private:
            data = {**event.data, "module": private.pop("module")}
            TimelineEvent.objects.filter(pk=event.pk).update(
                data=data, private=json.dumps(private, sort_keys=True) if private else ""
            )


class Migration(migrations.Migration):
    dependencies = [
        ("learn", "0003_motivation_moves_out"),
        ("core", "0005_timeline_private"),
    ]

    operations = [migrations.RunPython(hide_modules, show_modules)]
