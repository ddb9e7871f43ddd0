"""Intake answers and every version of the story are encrypted at rest."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.intake.helpers import fill_intake, write_story
from waypost.intake import services
from waypost.intake.models import HistoryIntake, Narrative

pytestmark = pytest.mark.django_db


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_intake_answers_are_not_stored_as_plain_text(cast):
    # given saved answers with words a reader would recognise
    fill_intake(cast.enrollment, cast.client)
    intake = HistoryIntake.objects.get(enrollment=cast.enrollment)
    # then the database holds only ciphertext
    stored = raw("intake_historyintake", "answers_json", intake.pk)
    assert stored.startswith("fernet:")
    for plain in ("Sertraline", "pornography", "first_exposure", "Telling my brother"):
        assert plain not in stored
    # and the model reads the answers back
    assert intake.answers["conditions"]["treatment"] == "Sertraline 50 mg"


def test_drafts_and_shared_copies_are_not_stored_as_plain_text(cast):
    write_story(cast.enrollment, {"began": {"text": "A secret only I know"}})
    services.share_story(enrollment=cast.enrollment, by=cast.client)
    story = Narrative.objects.get(enrollment=cast.enrollment)
    for column in ("draft_json", "shared_json"):
        stored = raw("intake_narrative", column, story.pk)
        assert stored.startswith("fernet:")
        assert "secret" not in stored
    assert story.shared == {"began": {"text": "A secret only I know"}}
