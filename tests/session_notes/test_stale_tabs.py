"""Two tabs or windows on one note: what the form was for, at the version it showed.

The edit form posts the note's version and its button (draft, sign, correct); a change
is made only if the note is still at that version, else 409 with the current version and
nothing changed. A double tap (the same content again) is no conflict. Reading the note
through its edit page, or a page that refused to sign it, is audited.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
import time_machine
from django.urls import reverse

from tests.assessments.helpers import sign_in
from tests.session_notes.helpers import content, draft, signed
from waypost.caseload.notes import services
from waypost.caseload.notes.models import SessionNote
from waypost.core.models import AuditEvent, TimelineEvent

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # 14:00 in Singapore
CONFLICT = "This note was changed in another tab or window; here is the current version."


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _form(note: SessionNote, **changes) -> dict:
    return {
        "client_uuid": str(uuid4()),
        "version": str(note.version),
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


def _edit(note: SessionNote) -> str:
    return reverse("session_notes:edit", args=[note.enrollment_id, note.pk])


def _sign(note: SessionNote) -> str:
    return reverse("session_notes:sign", args=[note.enrollment_id, note.pk])


def test_the_edit_form_carries_the_notes_version(cast, client):
    note = draft(cast)
    assert note.version == 1
    page = sign_in(client, cast.clinician).get(_edit(note)).content.decode()
    assert 'name="version" value="1"' in page


def test_each_change_moves_the_version_on(cast):
    note = draft(cast)
    services.update_draft(note=note, by=cast.clinician, content=content(plan="A"), version=1)
    assert note.version == 2
    services.update_draft(
        note=note, by=cast.clinician, content=content(plan="B"), version=2, sign=True
    )
    note.refresh_from_db()
    assert note.version == 4  # saved, then signed
    services.correct_note(note=note, by=cast.clinician, content=content(plan="C"), version=4)
    assert note.version == 5


def test_a_draft_signed_in_another_tab_is_never_saved_as_a_correction(cast, client):
    note = draft(cast, plan="Tab B's plan.")
    browser = sign_in(client, cast.clinician)
    form = _form(note, plan="Tab A's old plan.")  # tab A has the draft open
    assert browser.post(_sign(note)).status_code == 302  # tab B signs it
    response = browser.post(_edit(note), form)  # tab A: "Save as draft"
    assert response.status_code == 409
    page = response.content.decode()
    assert CONFLICT in page
    assert "Correct the note" in page and "Tab B&#x27;s plan." in page  # the current version
    assert "Tab A&#x27;s old plan." in page and "not saved" in page  # what A typed, to copy
    note.refresh_from_db()
    assert note.status == "signed" and note.plan == "Tab B's plan."
    assert note.revisions.count() == 1
    assert not TimelineEvent.objects.filter(kind="session_notes.note_corrected").exists()


def test_two_tabs_on_one_draft_do_not_overwrite_each_other(cast, client):
    note = draft(cast)
    browser = sign_in(client, cast.clinician)
    tab_a, tab_b = _form(note, plan="From tab A."), _form(note, plan="From tab B.")
    assert browser.post(_edit(note), tab_b).status_code == 302
    response = browser.post(_edit(note), tab_a)
    assert response.status_code == 409 and CONFLICT in response.content.decode()
    note.refresh_from_db()
    assert note.plan == "From tab B." and note.is_draft and note.version == 2
    # signing from the stale tab is refused the same way
    assert browser.post(_edit(note), tab_a | {"action": "sign"}).status_code == 409
    note.refresh_from_db()
    assert note.is_draft and note.plan == "From tab B."


def test_two_corrections_do_not_undo_each_other(cast, client):
    note = signed(cast)
    browser = sign_in(client, cast.clinician)
    tab_a = _form(note, plan="Correction A.", action="correct")
    tab_b = _form(note, plan="Correction B.", action="correct")
    assert browser.post(_edit(note), tab_b).status_code == 302
    response = browser.post(_edit(note), tab_a)
    assert response.status_code == 409 and CONFLICT in response.content.decode()
    note.refresh_from_db()
    assert note.plan == "Correction B." and note.revisions.count() == 2


@pytest.mark.parametrize("action", ["draft", "sign", "correct"])
def test_a_double_tap_is_no_conflict(cast, client, action):
    note = signed(cast) if action == "correct" else draft(cast)
    browser = sign_in(client, cast.clinician)
    form = _form(note, plan="Tapped twice.", action=action)
    assert browser.post(_edit(note), form).status_code == 302
    assert browser.post(_edit(note), form).status_code == 302
    note.refresh_from_db()
    assert note.plan == "Tapped twice."
    assert note.revisions.count() == {"draft": 0, "sign": 1, "correct": 2}[action]


def test_the_button_decides_and_a_correction_never_reaches_a_draft(cast, client):
    note = draft(cast)
    browser = sign_in(client, cast.clinician)
    response = browser.post(_edit(note), _form(note, plan="Fixed.", action="correct"))
    assert response.status_code == 409 and "still a draft" in response.content.decode()
    response = browser.post(_edit(note), _form(note, plan="Fixed.", action="publish"))
    assert response.status_code == 400
    response = browser.post(_edit(note), _form(note, plan="Fixed.", version=""))
    assert response.status_code == 409  # a form that cannot say which version it showed
    note.refresh_from_db()
    assert note.plan != "Fixed." and note.version == 1


def test_the_services_refuse_a_stale_version(cast):
    note = draft(cast)
    services.update_draft(note=note, by=cast.clinician, content=content(plan="New"), version=1)
    with pytest.raises(services.NoteConflict):
        services.update_draft(note=note, by=cast.clinician, content=content(plan="Old"), version=1)
    services.sign_note(note=note, by=cast.clinician)
    note.refresh_from_db()
    services.correct_note(note=note, by=cast.clinician, content=content(plan="C1"), version=3)
    with pytest.raises(services.NoteConflict):
        services.correct_note(note=note, by=cast.clinician, content=content(plan="C2"), version=3)
    note.refresh_from_db()
    assert note.plan == "C1" and note.revisions.count() == 2


def test_a_stale_correction_after_the_lock_is_refused_as_locked(cast, client):
    note = signed(cast)
    form = _form(note, plan="Late.", action="correct")
    with time_machine.travel(NOW + timedelta(days=2), tick=False):
        response = sign_in(client, cast.clinician).post(_edit(note), form)
    assert response.status_code == 409 and "Add an amendment instead." in response.content.decode()
    assert SessionNote.objects.get(pk=note.pk).plan != "Late."


def test_reading_a_note_through_its_edit_page_is_audited(cast, client):
    note = draft(cast)
    sign_in(client, cast.clinician).get(_edit(note))
    seen = AuditEvent.objects.filter(actor=cast.clinician, action="view", what="session note")
    assert seen.count() == 1 and seen.get().path == _edit(note)


def test_the_page_refusing_to_sign_shows_the_note_and_is_audited(cast, client):
    note = draft(cast, risk="")
    response = sign_in(client, cast.clinician).post(_sign(note))
    assert response.status_code == 400
    seen = AuditEvent.objects.filter(actor=cast.clinician, action="view", what="session note")
    assert seen.count() == 1 and seen.get().path == _sign(note)
