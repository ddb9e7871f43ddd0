"""Session notes: written as drafts, signed, corrected for 24 hours, then locked and amended.

The lock is kept by the service in the database (a conditional update), whatever a page
shows; times are set with time-machine.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection

from tests.appointments.helpers import book
from tests.session_notes.helpers import TEXT, content, draft, signed
from waypost.caseload.notes import services
from waypost.caseload.notes.models import NoteAmendment, NoteRevision, SessionNote
from waypost.core.models import AppendOnlyError, AuditEvent, TimelineEvent

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # 14:00 Monday 2 March in Singapore


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_a_draft_is_kept_encrypted_and_audited_without_a_timeline_line(cast):
    note = draft(cast)
    assert note.is_draft and note.author == cast.clinician
    raw = _raw("session_notes_sessionnote", "discussed", note.pk)
    assert raw.startswith("fernet:") and TEXT not in raw
    assert SessionNote.objects.get(pk=note.pk).discussed == TEXT
    assert not TimelineEvent.objects.filter(kind__startswith="session_notes.").exists()
    assert AuditEvent.objects.filter(what="session note draft", actor=cast.clinician).count() == 1


def test_the_same_form_sent_twice_keeps_one_note(cast):
    uuid = uuid4()
    first = services.write_note(
        enrollment=cast.enrollment, by=cast.clinician, content=content(), client_uuid=uuid
    )
    again = services.write_note(
        enrollment=cast.enrollment, by=cast.clinician, content=content(), client_uuid=uuid
    )
    assert first.pk == again.pk
    assert SessionNote.objects.count() == 1


def test_signing_records_who_and_when_keeps_version_one_and_a_timeline_line(cast):
    note = draft(cast)
    services.sign_note(note=note, by=cast.clinician)
    note.refresh_from_db()
    assert note.status == "signed" and note.signed_by == cast.clinician and note.signed_at == NOW
    revision = note.revisions.get()
    assert revision.number == 1 and revision.reason == "signed"
    assert revision.content["discussed"] == TEXT
    assert TEXT not in _raw("session_notes_noterevision", "snapshot", revision.pk)
    event = TimelineEvent.objects.get(kind="session_notes.note_signed")
    assert event.summary == "Session note signed (session of 2 Mar 2026)"
    assert TEXT not in str(event.data) and not event.detail
    assert AuditEvent.objects.filter(action="change", what="session note").count() == 1


def test_signing_twice_changes_nothing(cast):
    note = signed(cast)
    services.sign_note(note=note, by=cast.clinician)
    assert NoteRevision.objects.count() == 1
    assert TimelineEvent.objects.filter(kind="session_notes.note_signed").count() == 1


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"discussed": "  "}, "what was discussed"),
        ({"risk": ""}, "risk check"),
        ({"risk": "serious", "risk_note": ""}, "what the concerns are"),
    ],
)
def test_a_note_is_signed_only_with_what_every_note_must_say(cast, changes, words):
    note = draft(cast, **changes)
    with pytest.raises(services.NoteError, match=words):
        services.sign_note(note=note, by=cast.clinician)
    note.refresh_from_db()
    assert note.is_draft and not note.revisions.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"format": "carrier pigeon"},
        {"duration_minutes": 2},
        {"duration_minutes": 600},
        {"session_at": NOW + timedelta(hours=3)},
        {"session_at": NOW - timedelta(days=800)},
        {"risk": "maybe"},
        {"assessment": "x" * 10_001},
    ],
)
def test_content_no_note_may_hold_is_refused_and_nothing_is_kept(cast, changes):
    with pytest.raises(services.NoteError):
        draft(cast, **changes)
    assert not SessionNote.objects.exists()


def test_only_the_primary_clinician_writes_notes(cast):
    for someone in (cast.other_clinician, cast.admin, cast.client, cast.foreign_clinician):
        with pytest.raises(PermissionDenied):
            services.write_note(
                enrollment=cast.enrollment, by=someone, content=content(), client_uuid=uuid4()
            )
    assert not SessionNote.objects.exists()


def test_the_note_can_link_the_days_appointment_only(cast):
    with time_machine.travel(NOW - timedelta(days=8), tick=False):
        booking = book(cast, first_day=(NOW - timedelta(days=1)).date())
    appointment = booking.appointments.get()
    note = draft(cast, session_at=appointment.starts_at, appointment_id=appointment.pk)
    assert note.appointment == appointment
    with pytest.raises(services.NoteError, match="day of the session"):
        draft(cast, session_at=NOW - timedelta(hours=2), appointment_id=appointment.pk)
    foreign = _foreign_appointment(cast)
    with pytest.raises(services.NoteError, match="this client's appointments"):
        draft(cast, appointment_id=foreign.pk)


def _foreign_appointment(cast):
    from waypost.caseload.appointments.models import Appointment, Booking

    booking = Booking.objects.create(
        enrollment=cast.foreign_enrollment, booked_by=cast.foreign_clinician, time_zone="UTC"
    )
    return Appointment.objects.create(
        booking=booking,
        enrollment=cast.foreign_enrollment,
        starts_at=NOW - timedelta(hours=1),
        ends_at=NOW,
        original_starts_at=NOW - timedelta(hours=1),
    )


# --- corrections: the 24 hours ---------------------------------------------------------


def test_a_correction_at_23h59_is_kept_as_a_new_version(cast):
    note = signed(cast)
    with time_machine.travel(NOW + timedelta(hours=23, minutes=59), tick=False):
        services.correct_note(
            note=note, by=cast.clinician, content=content(plan="See the GP first.")
        )
    note.refresh_from_db()
    assert note.plan == "See the GP first."
    versions = list(note.revisions.order_by("number"))
    assert [(v.number, v.reason) for v in versions] == [(1, "signed"), (2, "corrected")]
    assert versions[0].content["plan"] != versions[1].content["plan"]  # the signed one is kept
    assert TimelineEvent.objects.filter(kind="session_notes.note_corrected").count() == 1


def test_a_correction_at_24h01_is_refused_by_the_database_and_changes_nothing(cast):
    note = signed(cast)
    later = time_machine.travel(NOW + timedelta(hours=24, minutes=1), tick=False)
    with later, pytest.raises(services.NoteLocked):
        services.correct_note(
            note=note, by=cast.clinician, content=content(plan="Too late to change.")
        )
    note.refresh_from_db()
    assert note.plan != "Too late to change."
    assert note.revisions.count() == 1
    assert not TimelineEvent.objects.filter(kind="session_notes.note_corrected").exists()


def test_a_page_left_open_cannot_correct_a_note_that_locked_meanwhile(cast):
    # the page read the note while it was correctable; the save comes after the lock
    note = signed(cast)
    stale = SessionNote.objects.get(pk=note.pk)
    later = time_machine.travel(NOW + timedelta(days=2), tick=False)
    with later, pytest.raises(services.NoteLocked):
        services.correct_note(note=stale, by=cast.clinician, content=content(plan="Late"))
    assert SessionNote.objects.get(pk=note.pk).plan != "Late"


def test_a_correction_that_changes_nothing_is_no_new_version(cast):
    note = signed(cast)
    services.correct_note(note=note, by=cast.clinician, content=content())
    assert note.revisions.count() == 1


def test_only_the_author_corrects_and_a_draft_is_not_corrected(cast):
    note = signed(cast)
    with pytest.raises(PermissionDenied):
        services.correct_note(note=note, by=cast.other_clinician, content=content(plan="x"))
    with pytest.raises(services.NoteError, match="draft"):
        services.correct_note(note=draft(cast), by=cast.clinician, content=content(plan="x"))


def test_a_draft_signed_in_another_tab_is_not_overwritten_as_a_draft(cast):
    note = draft(cast)
    stale = SessionNote.objects.get(pk=note.pk)
    services.sign_note(note=note, by=cast.clinician)
    with pytest.raises(services.NoteConflict, match="changed in another tab"):
        services.update_draft(note=stale, by=cast.clinician, content=content(plan="Other tab"))
    assert SessionNote.objects.get(pk=note.pk).plan != "Other tab"


# --- amendments -------------------------------------------------------------------------


def test_amendments_wait_for_the_lock(cast):
    note = signed(cast)
    with pytest.raises(services.NoteError, match="locked notes"):
        services.add_amendment(
            note=note, by=cast.clinician, text="More", reason="Later news", client_uuid=uuid4()
        )
    with pytest.raises(services.NoteError, match="locked notes"):
        services.add_amendment(
            note=draft(cast), by=cast.clinician, text="x", reason="y", client_uuid=uuid4()
        )
    assert not NoteAmendment.objects.exists()


def test_a_locked_note_takes_signed_dated_amendments_and_never_changes(cast):
    note = signed(cast)
    before = SessionNote.objects.get(pk=note.pk).content()
    later = NOW + timedelta(days=3)
    uuid = uuid4()
    with time_machine.travel(later, tick=False):
        amendment = services.add_amendment(
            note=note,
            by=cast.clinician,
            text="The GP started an antidepressant.",
            reason="Information received later",
            client_uuid=uuid,
        )
        again = services.add_amendment(
            note=note, by=cast.clinician, text="again", reason="again", client_uuid=uuid
        )
    assert again.pk == amendment.pk and NoteAmendment.objects.count() == 1
    assert amendment.signed_by == cast.clinician and amendment.signed_at == later
    raw = _raw("session_notes_noteamendment", "text", amendment.pk)
    assert "antidepressant" not in raw
    assert SessionNote.objects.get(pk=note.pk).content() == before
    event = TimelineEvent.objects.get(kind="session_notes.note_amended")
    assert event.summary == "Amendment added to the session note of 2 Mar 2026"
    # the amendment and the versions are append-only rows
    amendment.text = "changed"
    with pytest.raises(AppendOnlyError):
        amendment.save()
    with pytest.raises(AppendOnlyError):
        NoteAmendment.objects.filter(pk=amendment.pk).update(text="changed")
    with pytest.raises(AppendOnlyError):
        NoteRevision.objects.filter(note=note).delete()


@pytest.mark.parametrize("text, reason", [("", "Later news"), ("More", " "), ("x" * 5001, "y")])
def test_an_amendment_needs_its_text_and_reason(cast, text, reason):
    note = signed(cast, at=NOW - timedelta(days=2))
    with pytest.raises(services.NoteError):
        services.add_amendment(
            note=note, by=cast.clinician, text=text, reason=reason, client_uuid=uuid4()
        )
    assert not NoteAmendment.objects.exists()
