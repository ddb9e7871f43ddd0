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
    event = TimelineEvent.objects.get(pk=row.pk)
    assert event.data == {"text": "Something the old app said"}
    assert event.summary == "Something the old app said"
