"""Timeline rows written before events were stored language-neutral keep their words."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from waypost.core.models import TimelineEvent

BEFORE = [("core", "0002_audit_time_default")]
AFTER = [("core", "0003_timeline_language_neutral")]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_a_stored_sentence_is_kept_as_the_events_fallback_text(cast):
    # given a database before the change, with an event that stored its sentence
    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    enrollment = old.get_model("program", "Enrollment").objects.get(pk=cast.enrollment.pk)
    row = old.get_model("core", "TimelineEvent").objects.create(
        enrollment=enrollment, kind="gone.app_event", summary="Something the old app said"
    )

    # when it migrates
    _migrate(AFTER)
    _migrate(executor.loader.graph.leaf_nodes())

    # then the sentence is still what the timeline shows
    # (kept encrypted since core 0005: an old sentence may name what was read)
    event = TimelineEvent.objects.get(pk=row.pk)
    assert event.private_data == {"text": "Something the old app said"}
    assert event.summary == "Something the old app said"


@pytest.mark.django_db(transaction=True)
def test_old_sentences_and_module_keys_move_into_the_encrypted_column(cast):
    # given a database before the change, with a kept sentence and a reading event
    before = [("core", "0004_audit_refused"), ("learn", "0003_motivation_moves_out")]
    executor = _migrate(before)
    old = executor.loader.project_state(before).apps
    Event = old.get_model("core", "TimelineEvent")
    enrollment = old.get_model("program", "Enrollment").objects.get(pk=cast.enrollment.pk)
    kept = Event.objects.create(
        enrollment=enrollment, kind="gone.app_event", data={"text": "Read “Shame and lapses”"}
    )
    read = Event.objects.create(
        enrollment=enrollment, kind="learn.module_read", data={"module": "no-such-module"}
    )

    # when it migrates
    _migrate(executor.loader.graph.leaf_nodes())

    # then neither is in clear any more, and both still read the same
    kept_now, read_now = (
        TimelineEvent.objects.get(pk=kept.pk),
        TimelineEvent.objects.get(pk=read.pk),
    )
    assert kept_now.data == {} and read_now.data == {}
    assert kept_now.summary == "Read “Shame and lapses”"
    assert read_now.summary == "Read “no-such-module”"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data, private FROM core_timelineevent WHERE id IN (%s, %s)", [kept.pk, read.pk]
        )
        rows = cursor.fetchall()
    assert all(str(private).startswith("fernet:") for _data, private in rows)
    assert not any("Shame" in str(data) or "no-such" in str(data) for data, _private in rows)

    # and going back restores them
    _migrate(before)
    back = executor.loader.project_state(before).apps.get_model("core", "TimelineEvent")
    assert back.objects.get(pk=read.pk).data == {"module": "no-such-module"}
    _migrate(executor.loader.graph.leaf_nodes())
