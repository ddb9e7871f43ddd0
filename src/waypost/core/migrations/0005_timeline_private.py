"""Timeline parameters that say what a client's reading or answers are about are encrypted.

A new encrypted column holds them (a kind's ``private`` parameters). The sentences
kept from before events were stored language-neutral (``data["text"]``) may name
a module or a questionnaire's subject, so they move into it too. Apps move their
own private parameters in their own migrations (learn: the module's key).
"""

import json

from django.db import migrations

import waypost.core.fields


def hide_old_sentences(apps, schema_editor):
    TimelineEvent = apps.get_model("core", "TimelineEvent")
    for event in TimelineEvent.objects.filter(data__has_key="text").iterator():
        data = dict(event.data)
        private = {"text": data.pop("text")}
        TimelineEvent.objects.filter(pk=event.pk).update(
            data=data, private=json.dumps(private, sort_keys=True)
        )


def show_old_sentences(apps, schema_editor):
    TimelineEvent = apps.get_model("core", "TimelineEvent")
    for event in TimelineEvent.objects.exclude(private="").iterator():
        private = json.loads(event.private)
        if "text" in private:
            data = {**event.data, "text": private.pop("text")}
            TimelineEvent.objects.filter(pk=event.pk).update(
                data=data, private=json.dumps(private, sort_keys=True) if private else ""
            )


class Migration(migrations.Migration):
    dependencies = [("core", "0004_audit_refused")]

    operations = [
        migrations.AddField(
            model_name="timelineevent",
            name="private",
            field=waypost.core.fields.EncryptedTextField(blank=True, default=""),
        ),
        migrations.RunPython(hide_old_sentences, show_old_sentences),
    ]
