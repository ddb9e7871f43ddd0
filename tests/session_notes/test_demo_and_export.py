"""The demo's notes and exercises; the notes as the clinician's export of the record reads them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.session_notes.helpers import TEXT, draft, signed
from waypost.caseload.notes import lifecycle, services
from waypost.caseload.notes.models import Exercise, NoteAmendment, SessionNote
from waypost.caseload.notes.selectors import notes_for_export, record_card

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_history_of_notes_a_locked_one_amended_a_draft_and_exercises(demo):
    now, client = demo
    marcus = SessionNote.objects.filter(enrollment=client(4))
    assert marcus.filter(status="signed").count() >= 5
    assert all(lifecycle.state(n.signed_at, now) == lifecycle.LOCKED for n in marcus)
    amended = NoteAmendment.objects.get()
    assert amended.note.enrollment == client(4) and amended.reason
    assert marcus.filter(revisions__number=2).exists()  # a correction, kept as version 2
    assert marcus.filter(appointment__isnull=False).exists()
    # client 2's clinician sees an unsigned draft on the record
    assert record_card(client(2), now).unsigned == 1
    for n in (1, 3):
        assert SessionNote.objects.filter(enrollment=client(n), status="signed").exists()
    exercises = Exercise.objects.filter(enrollment=client(4))
    assert exercises.filter(done_at__isnull=False).exclude(reflection="").count() == 2
    # one due within two days: a next step on Marcus's Today
    today = services.client_today(client(4), now)
    assert exercises.filter(done_at__isnull=True, due_on__lte=today + timedelta(days=2)).exists()
    assert Exercise.objects.filter(enrollment=client(2), done_at__isnull=True).exists()


def test_notes_for_export_give_every_note_with_its_versions_and_amendments(cast):
    from uuid import uuid4

    note = signed(cast, at=timezone.now() - timedelta(days=2))
    services.add_amendment(
        note=note,
        by=cast.clinician,
        text="Later news",
        reason="Found out later",
        client_uuid=uuid4(),
    )
    draft(cast, plan="Unfinished")
    rows = notes_for_export(cast.enrollment)
    assert [r["status"] for r in rows] == ["signed", "draft"]
    first = rows[0]
    assert first["discussed"] == TEXT and first["signed_by"] == cast.clinician.name
    assert first["revisions"][0]["number"] == 1 and first["revisions"][0]["content"]["discussed"]
    assert first["amendments"] == [
        {
            "text": "Later news",
            "reason": "Found out later",
            "signed_by": cast.clinician.name,
            "signed_at": first["amendments"][0]["signed_at"],
        }
    ]
    assert rows[1]["signed_at"] is None and rows[1]["plan"] == "Unfinished"
    assert notes_for_export(cast.foreign_enrollment) == []
    # plain data, as core.exports writes it
    from waypost.core import exports

    exports.dumps(rows)
