"""A draft left by a former clinician of the client: nobody can sign it, so the client's
primary clinician, having read it, may discard it. The timeline and the audit trail say
so; a signed note, or the primary clinician's own draft, is never discarded."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from tests.assessments.helpers import sign_in
from tests.session_notes.helpers import draft, signed
from waypost.caseload.notes import services
from waypost.caseload.notes.models import SessionNote
from waypost.clinics.models import ClinicianProfile
from waypost.clinics.services.people import reassign_primary_clinician
from waypost.core.models import AuditEvent, TimelineEvent

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
KIND = "session_notes.draft_discarded"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _hand_over(cast) -> None:
    """The client's clinician changes: Otto takes over from Cleo."""
    reassign_primary_clinician(
        enrollment=cast.enrollment,
        clinician_profile=ClinicianProfile.objects.get(user=cast.other_clinician),
        by=cast.admin,
    )
    cast.enrollment.refresh_from_db()


def _url(name: str, note: SessionNote) -> str:
    return reverse(f"session_notes:{name}", args=[note.enrollment_id, note.pk])


def test_the_new_clinician_reads_then_discards_the_former_ones_draft(cast, client):
    note = draft(cast)
    _hand_over(cast)
    browser = sign_in(client, cast.other_clinician)
    page = browser.get(_url("note", note)).content.decode()
    assert "Cleo Clinician is no longer this client" in page and "Discard the draft" in page
    # the box must be ticked
    response = browser.post(_url("discard", note))
    assert response.status_code == 400 and "tick the box" in response.content.decode()
    assert SessionNote.objects.filter(pk=note.pk).exists()
    response = browser.post(_url("discard", note), {"confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"] == reverse("session_notes:list", args=[cast.enrollment.pk])
    assert not SessionNote.objects.filter(pk=note.pk).exists()
    event = TimelineEvent.objects.get(kind=KIND)
    assert event.actor == cast.other_clinician
    assert event.data["note"] == note.pk and event.data["author"] == cast.clinician.pk
    assert "Unsigned draft of a former clinician discarded" in event.summary
    assert AuditEvent.objects.filter(
        actor=cast.other_clinician, what="session note", action="change"
    ).exists()
    # a second tap finds it gone, and says so
    again = browser.post(_url("discard", note), {"confirm": "yes"})
    assert again.status_code == 302 and TimelineEvent.objects.filter(kind=KIND).count() == 1


def test_the_clinicians_own_draft_and_signed_notes_are_never_discarded(cast, client):
    mine, done = draft(cast), signed(cast)
    browser = sign_in(client, cast.clinician)
    assert "Discard the draft" not in browser.get(_url("note", mine)).content.decode()
    assert browser.post(_url("discard", mine), {"confirm": "yes"}).status_code == 400
    _hand_over(cast)
    other = sign_in(client, cast.other_clinician)
    assert other.post(_url("discard", done), {"confirm": "yes"}).status_code == 400
    assert SessionNote.objects.filter(pk__in=[mine.pk, done.pk]).count() == 2
    assert not TimelineEvent.objects.filter(kind=KIND).exists()


def test_only_the_primary_clinician_discards(cast, client):
    note = draft(cast)
    _hand_over(cast)
    for someone in (cast.clinician, cast.admin, cast.client, cast.foreign_clinician):
        response = sign_in(client, someone).post(_url("discard", note), {"confirm": "yes"})
        assert response.status_code in (403, 404), someone
    assert SessionNote.objects.filter(pk=note.pk).exists()


def test_a_draft_signed_before_the_hand_over_meanwhile_is_kept(cast):
    note = draft(cast)
    stale = SessionNote.objects.get(pk=note.pk)
    services.sign_note(note=note, by=cast.clinician)
    _hand_over(cast)
    stale.enrollment.refresh_from_db()
    with pytest.raises(services.NoteError):
        services.discard_orphaned_draft(note=stale, by=cast.other_clinician)
    assert SessionNote.objects.get(pk=note.pk).status == "signed"
