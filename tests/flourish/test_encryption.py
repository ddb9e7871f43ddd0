"""Goals, steps, notes, warning signs and the graduation note are encrypted at rest."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.flourish.helpers import a_goal
from waypost.flourish import services

pytestmark = pytest.mark.django_db


def _raw(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 - fixed names
        return [row[0] for row in cursor.fetchall()]


def test_the_client_words_never_reach_the_database_in_clear(stage4):
    goal = a_goal(stage4, title="Secret goal words", why="Private reason", steps=["Step words"])
    services.add_note(goal=goal, by=stage4.client, text="Private note words")
    services.save_maintenance_plan(
        enrollment=stage4.enrollment,
        by=stage4.client,
        rhythm="weekly",
        warning_signs=["Warning sign words"],
        if_they_appear=["Action words"],
    )
    services.graduate(enrollment=stage4.enrollment, by=stage4.clinician, note="Graduation words")
    stored = (
        _raw("flourish_goal", "title")
        + _raw("flourish_goal", "why")
        + _raw("flourish_goalstep", "text")
        + _raw("flourish_goalnote", "text")
        + _raw("flourish_maintenanceplan", "content")
        + _raw("flourish_graduation", "note")
    )
    assert stored and all(value.startswith("fernet:") for value in stored)
    joined = " ".join(stored)
    for words in ("Secret goal", "Private", "Step words", "Warning sign", "Graduation words"):
        assert words not in joined
