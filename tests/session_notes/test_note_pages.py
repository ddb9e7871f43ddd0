"""The note pages: writing, signing, correcting and amending through the forms.

A form that cannot be saved answers 400 (409 for a note locked meanwhile) and changes
nothing; a double submit keeps one note; every read of a note is audited.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
import time_machine
from django.urls import reverse

from tests.assessments.helpers import sign_in
from tests.session_notes.helpers import TEXT, draft, signed
from waypost.caseload.notes.models import NoteAmendment, SessionNote
from waypost.core.models import AuditEvent

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # 14:00 in Singapore


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _form(**changes) -> dict:
    return {
        "client_uuid": str(uuid4()),
        "session_day": "2026-03-02",
        "session_time": "13:00",
        "format": "video",
        "duration_minutes": "50",
        "appointment": "",
        "discussed": "Went through the week.",
        "assessment": "Steady.",
        "plan": "Same time next week.",
        "risk": "none",
        "risk_note": "",
        "action": "draft",
    } | changes


def _url(name: str, cast, note=None) -> str:
    args = [cast.enrollment.pk] + ([note.pk] if note is not None else [])
    return reverse(f"session_notes:{name}", args=args)


def test_the_new_note_form_starts_at_now_in_the_clinics_zone(cast, client):
    page = sign_in(client, cast.clinician).get(_url("new", cast))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'value="2026-03-02"' in text and 'value="14:00"' in text
    assert "Asia/Singapore" in text
    assert "<title>Write a session note" in text


def test_a_draft_is_saved_then_signed_from_its_page(cast, client):
    browser = sign_in(client, cast.clinician)
    response = browser.post(_url("new", cast), _form())
    note = SessionNote.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("note", cast, note)
    assert note.is_draft
    assert note.session_at == datetime(2026, 3, 2, 5, 0, tzinfo=UTC)  # 13:00 in Singapore
    page = browser.get(_url("note", cast, note)).content.decode()
    assert "Went through the week." in page and "Sign the note" in page
    response = browser.post(_url("sign", cast, note))
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.status == "signed"
    page = browser.get(_url("note", cast, note)).content.decode()
    assert "Correct the note" in page and "until Tue 3 Mar, 14:00" in page


def test_sign_at_once_and_a_double_submit_keeps_one_note(cast, client):
    browser = sign_in(client, cast.clinician)
    form = _form(action="sign")
    assert browser.post(_url("new", cast), form).status_code == 302
    assert browser.post(_url("new", cast), form).status_code == 302
    note = SessionNote.objects.get()
    assert note.status == "signed" and note.revisions.count() == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"session_day": "not a day"},
        {"session_time": "25:99"},
        {"format": "telepathy"},
        {"duration_minutes": "0"},
        {"duration_minutes": "lots"},
        {"risk": "perhaps"},
        {"appointment": "999999"},
        {"session_day": "2026-03-09"},  # a week ahead
        {"discussed": "x" * 10_001},
    ],
)
def test_bad_input_answers_400_and_keeps_nothing(cast, client, changes):
    response = sign_in(client, cast.clinician).post(_url("new", cast), _form(**changes))
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not SessionNote.objects.exists()


def test_signing_an_incomplete_note_says_what_is_missing_and_keeps_the_draft(cast, client):
    browser = sign_in(client, cast.clinician)
    response = browser.post(_url("new", cast), _form(action="sign", risk=""))
    assert response.status_code == 400
    assert "Please answer the risk check before signing." in response.content.decode()
    assert not SessionNote.objects.exists()
    note = draft(cast, risk="")
    response = browser.post(_url("sign", cast, note))
    assert response.status_code == 400
    assert "Please answer the risk check before signing." in response.content.decode()
    note.refresh_from_db()
    assert note.is_draft


def test_a_draft_is_edited_and_signed_from_the_form(cast, client):
    note = draft(cast)
    browser = sign_in(client, cast.clinician)
    page = browser.get(_url("edit", cast, note)).content.decode()
    assert TEXT in page and "Save as draft" in page
    form = _form(plan="Call on Friday.", action="sign", version=note.version)
    response = browser.post(_url("edit", cast, note), form)
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.plan == "Call on Friday." and note.status == "signed"


def test_a_correction_within_a_day_is_saved_and_after_it_refused_with_409(cast, client):
    note = signed(cast)
    with time_machine.travel(NOW + timedelta(hours=23, minutes=59), tick=False):
        browser = sign_in(client, cast.clinician)  # a fresh session that day
        page = browser.get(_url("edit", cast, note)).content.decode()
        assert "Save the correction" in page
        form = _form(plan="Corrected plan.", action="correct", version=note.version)
        response = browser.post(_url("edit", cast, note), form)
        assert response.status_code == 302
    note.refresh_from_db()
    assert note.plan == "Corrected plan." and note.revisions.count() == 2
    with time_machine.travel(NOW + timedelta(hours=24, minutes=1), tick=False):
        browser = sign_in(client, cast.clinician)
        # the page no longer offers it …
        response = browser.get(_url("edit", cast, note))
        assert response.status_code == 302 and response["Location"] == _url("note", cast, note)
        page = browser.get(_url("note", cast, note)).content.decode()
        assert "Add an amendment" in page and "Correct the note" not in page
        # … and the server refuses it when asked anyway
        note.refresh_from_db()
        form = _form(plan="Sneaked in.", action="correct", version=note.version)
        response = browser.post(_url("edit", cast, note), form)
        assert response.status_code == 409
        assert "Add an amendment instead." in response.content.decode()
    note.refresh_from_db()
    assert note.plan == "Corrected plan." and note.revisions.count() == 2


def test_another_clinicians_draft_cannot_be_edited(cast, client):
    note = draft(cast)
    SessionNote.objects.filter(pk=note.pk).update(author=cast.other_clinician)
    browser = sign_in(client, cast.clinician)
    assert browser.get(_url("edit", cast, note)).status_code == 403
    page = browser.get(_url("note", cast, note)).content.decode()
    assert "only by the clinician who started it" in page


def test_a_locked_note_takes_an_amendment_from_its_form(cast, client):
    note = signed(cast, at=NOW - timedelta(days=2))
    browser = sign_in(client, cast.clinician)
    page = browser.get(_url("note", cast, note)).content.decode()
    assert "Locked since" in page and "Add an amendment" in page
    form = {"client_uuid": str(uuid4()), "text": "Seen by the GP.", "reason": "News later"}
    response = browser.post(_url("amend", cast, note), form)
    assert response.status_code == 302
    assert browser.post(_url("amend", cast, note), form).status_code == 302  # double submit
    amendment = NoteAmendment.objects.get()
    assert amendment.text == "Seen by the GP." and amendment.signed_by == cast.clinician
    page = browser.get(_url("note", cast, note)).content.decode()
    assert "Seen by the GP." in page and "News later" in page
    bad = browser.post(_url("amend", cast, note), {"client_uuid": str(uuid4()), "text": "x"})
    assert bad.status_code == 400 and NoteAmendment.objects.count() == 1


def test_the_amendment_form_waits_for_the_lock(cast, client):
    note = signed(cast)
    browser = sign_in(client, cast.clinician)
    response = browser.get(_url("amend", cast, note))
    assert response.status_code == 302
    response = browser.post(
        _url("amend", cast, note), {"client_uuid": str(uuid4()), "text": "x", "reason": "y"}
    )
    assert response.status_code == 400 and not NoteAmendment.objects.exists()


def test_reading_a_note_and_the_list_is_audited(cast, client):
    note = signed(cast)
    browser = sign_in(client, cast.clinician)
    browser.get(_url("list", cast))
    browser.get(_url("note", cast, note))
    seen = AuditEvent.objects.filter(actor=cast.clinician, action="view")
    assert set(seen.values_list("what", flat=True)) >= {"session notes", "session note"}


def test_a_note_of_another_client_is_not_found(cast, client):
    note = signed(cast)
    browser = sign_in(client, cast.foreign_clinician)
    url = reverse("session_notes:note", args=[cast.foreign_enrollment.pk, note.pk])
    assert browser.get(url).status_code == 404


def test_the_list_shows_each_notes_state(cast, client):
    signed(cast, at=NOW - timedelta(days=5))
    signed(cast)
    old = draft(cast)
    SessionNote.objects.filter(pk=old.pk).update(created_at=NOW - timedelta(days=4))
    page = sign_in(client, cast.clinician).get(_url("list", cast)).content.decode()
    assert "locked" in page and "signed" in page and "unsigned draft" in page
