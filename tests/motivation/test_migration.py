"""Moving the tools out of the learn app keeps every row a database already has."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from waypost.motivation.models import (
    DecisionalBalance,
    MotivationRequest,
    StageOfChangeEntry,
    ValuesCardSort,
)

BEFORE = [("learn", "0002_motivation_tools"), ("motivation", None)]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_rows_written_while_the_tools_were_in_learn_are_kept(cast):
    # given a database at the state before the move, with one row of each model
    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE[:1]).apps
    enrollment = old.get_model("program", "Enrollment").objects.get(pk=cast.enrollment.pk)
    client = old.get_model("accounts", "User").objects.get(pk=cast.client.pk)
    balance = old.get_model("learn", "DecisionalBalance").objects.create(
        enrollment=enrollment, version=1, saved_by=client, content='{"now_good": []}'
    )
    sort = old.get_model("learn", "ValuesCardSort").objects.create(
        enrollment=enrollment, version=1, saved_by=client, content='{"piles": {}, "top": []}'
    )
    entry = old.get_model("learn", "StageOfChangeEntry").objects.create(
        enrollment=enrollment, stage="action", recorded_by=client, note="Day by day."
    )
    request = old.get_model("learn", "MotivationRequest").objects.create(
        enrollment=enrollment, tool="values", asked_by=client
    )
    learn_type = ContentType.objects.get(app_label="learn", model="decisionalbalance")

    # when it migrates to the latest state
    latest = executor.loader.graph.leaf_nodes()
    _migrate(latest)

    # then the motivation app reads the same rows, decrypted as before
    assert DecisionalBalance.objects.get(pk=balance.pk).content == '{"now_good": []}'
    assert ValuesCardSort.objects.get(pk=sort.pk).piles == {}
    assert StageOfChangeEntry.objects.get(pk=entry.pk).note == "Day by day."
    assert MotivationRequest.objects.get(pk=request.pk).tool == "values"
    # and the content type moved with the model rather than being made anew
    moved = ContentType.objects.get_for_model(DecisionalBalance)
    assert (moved.pk, moved.app_label) == (learn_type.pk, "motivation")
    assert not MigrationExecutor(connection).migration_plan(latest)
