"""Exercises: the clinician sets one; the client sees it under Me (and on Today when its
day is near) and marks it done once, with an optional reflection kept encrypted."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.assessments.helpers import sign_in
from tests.session_notes.helpers import exercise, signed
from waypost.caseload.notes import exports, services
from waypost.caseload.notes.models import Exercise
from waypost.core.models import AuditEvent, TimelineEvent

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 Monday 2 March in Singapore
TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_an_exercise_is_set_once_per_form_and_recorded(cast):
    uuid = uuid4()
    first = services.set_exercise(
        enrollment=cast.enrollment,
        by=cast.clinician,
        text="  Try the urge-surfing exercise twice  ",
        client_uuid=uuid,
        due_on=TODAY + timedelta(days=5),
    )
    again = services.set_exercise(
        enrollment=cast.enrollment, by=cast.clinician, text="again", client_uuid=uuid
    )
    assert first.pk == again.pk and Exercise.objects.count() == 1
    assert first.text == "Try the urge-surfing exercise twice"
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM session_notes_exercise WHERE id = %s", [first.pk])
        assert "urge-surfing" not in cursor.fetchone()[0]
    event = TimelineEvent.objects.get(kind="session_notes.exercise_set")
    assert event.summary == "Exercise set, to do by 7 Mar 2026"
    assert "urge" not in str(event.data)
    assert AuditEvent.objects.filter(what="homework", action="change").count() == 1


@pytest.mark.parametrize(
    "text, due_on",
    [
        ("", None),
        ("x" * 501, None),
        ("Walk", TODAY - timedelta(days=1)),
        ("Walk", date(2028, 1, 1)),
    ],
)
def test_an_exercise_needs_words_and_a_day_ahead_within_a_year(cast, text, due_on):
    with pytest.raises(services.ExerciseError):
        services.set_exercise(
            enrollment=cast.enrollment,
            by=cast.clinician,
            text=text,
            client_uuid=uuid4(),
            due_on=due_on,
        )
    assert not Exercise.objects.exists()


def test_only_the_primary_clinician_sets_exercises(cast):
    for someone in (cast.client, cast.other_clinician, cast.admin):
        with pytest.raises(PermissionDenied):
            services.set_exercise(
                enrollment=cast.enrollment, by=someone, text="Walk", client_uuid=uuid4()
            )


def test_an_exercise_set_from_a_note_belongs_to_that_clients_note_only(cast):
    note = signed(cast)
    made = exercise(cast, note=note)
    assert made.note == note
    other = services.write_note(
        enrollment=cast.foreign_enrollment,
        by=cast.foreign_clinician,
        content=services.NoteContent(session_at=NOW - timedelta(hours=1), discussed="x"),
        client_uuid=uuid4(),
    )
    with pytest.raises(services.ExerciseError):
        exercise(cast, note=other)


def test_the_client_marks_it_done_once_with_a_reflection(cast, client):
    made = exercise(cast)
    browser = sign_in(client, cast.client)
    url = reverse("session_notes:done", args=[made.pk])
    response = browser.post(url, {"reflection": "The wave passed in ten minutes."})
    assert response.status_code == 302
    response = browser.post(url, {"reflection": "Second tap"})  # a double tap
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.done_at == NOW and made.reflection == "The wave passed in ten minutes."
    with connection.cursor() as cursor:
        cursor.execute("SELECT reflection FROM session_notes_exercise WHERE id = %s", [made.pk])
        assert "wave" not in cursor.fetchone()[0]
    assert TimelineEvent.objects.filter(kind="session_notes.exercise_done").count() == 1
    # the client's own step is not on the audit trail
    assert not AuditEvent.objects.filter(actor=cast.client).exists()
    page = browser.get(reverse("session_notes:mine")).content.decode()
    assert "The wave passed in ten minutes." in page and "Mark as done" not in page


def test_a_reflection_too_long_answers_400_and_nothing_changes(cast, client):
    made = exercise(cast)
    response = sign_in(client, cast.client).post(
        reverse("session_notes:done", args=[made.pk]), {"reflection": "x" * 1001}
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    made.refresh_from_db()
    assert made.done_at is None


def test_nobody_marks_another_clients_exercise(cast, client):
    made = exercise(cast)
    sign_in(client, cast.foreign_client)
    assert client.post(reverse("session_notes:done", args=[made.pk])).status_code == 404
    with pytest.raises(services.ExerciseError):
        services.mark_done(exercise=made, by=cast.clinician)
    made.refresh_from_db()
    assert made.done_at is None


def test_a_withdrawn_exercise_leaves_the_clients_page_and_stays_in_the_record(cast, client):
    made = exercise(cast)
    browser = sign_in(client, cast.clinician)
    url = reverse("session_notes:withdraw_exercise", args=[cast.enrollment.pk, made.pk])
    assert browser.post(url).status_code == 302
    assert browser.post(url).status_code == 302  # again: nothing more happens
    assert TimelineEvent.objects.filter(kind="session_notes.exercise_withdrawn").count() == 1
    page = browser.get(reverse("session_notes:homework", args=[cast.enrollment.pk]))
    assert "withdrawn" in page.content.decode()
    mine = sign_in(client, cast.client).get(reverse("session_notes:mine")).content.decode()
    assert made.text not in mine
    with pytest.raises(services.ExerciseError):
        services.mark_done(exercise=made, by=cast.client)


def test_the_set_exercise_form_refuses_bad_input_with_400(cast, client):
    browser = sign_in(client, cast.clinician)
    url = reverse("session_notes:set_exercise", args=[cast.enrollment.pk])
    for data in (
        {"client_uuid": str(uuid4()), "text": ""},
        {"client_uuid": "not-a-uuid", "text": "Walk"},
        {"client_uuid": str(uuid4()), "text": "Walk", "due_on": "2026-02-01"},
        {"client_uuid": str(uuid4()), "text": "Walk", "note": "99999"},
    ):
        assert browser.post(url, data).status_code == 400, data
    assert not Exercise.objects.exists()
    uuid = str(uuid4())
    assert browser.post(url, {"client_uuid": uuid, "text": "Walk daily"}).status_code == 302
    assert browser.post(url, {"client_uuid": uuid, "text": "Walk daily"}).status_code == 302
    assert Exercise.objects.count() == 1


@pytest.mark.parametrize("raw", ["²", "١", "٣٤", "1²", "-1", "0"])
def test_a_note_number_that_is_no_plain_number_is_no_note(cast, client, raw):
    signed(cast)
    url = reverse("session_notes:set_exercise", args=[cast.enrollment.pk])
    page = sign_in(client, cast.clinician).get(url, {"note": raw})
    assert page.status_code == 200
    assert "From the note of the session" not in page.content.decode()


def test_a_note_number_leads_to_its_note(cast, client):
    note = signed(cast)
    url = reverse("session_notes:set_exercise", args=[cast.enrollment.pk])
    page = sign_in(client, cast.clinician).get(url, {"note": str(note.pk)})
    assert "From the note of the session" in page.content.decode()


# --- Today and Me ------------------------------------------------------------------------


def test_today_shows_an_exercise_two_days_before_its_day_and_after_it(cast, client):
    browser = sign_in(client, cast.client)
    later = exercise(cast, "Write the evening plan", due_on=TODAY + timedelta(days=3))
    exercise(cast, "No day at all")
    page = browser.get(reverse("program:today")).content.decode()
    assert "Write the evening plan" not in page and "No day at all" not in page
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        browser = sign_in(client, cast.client)
        page = browser.get(reverse("program:today")).content.decode()
        assert "Write the evening plan" in page and "To do by Thu 5 Mar." in page
        assert reverse("session_notes:mine") in page
    with time_machine.travel(NOW + timedelta(days=4), tick=False):
        browser = sign_in(client, cast.client)
        page = browser.get(reverse("program:today")).content.decode()
        assert "It was for Thu 5 Mar; whenever you can." in page
    services.mark_done(exercise=later, by=cast.client)
    with time_machine.travel(NOW + timedelta(days=4), tick=False):
        browser = sign_in(client, cast.client)
        assert (
            "Write the evening plan" not in browser.get(reverse("program:today")).content.decode()
        )


def test_several_due_exercises_are_one_step(cast, client):
    for n in range(3):
        exercise(cast, f"Exercise {n}", due_on=TODAY + timedelta(days=n))
    page = sign_in(client, cast.client).get(reverse("program:today")).content.decode()
    assert "3 exercises from your clinician" in page
    assert page.count(reverse("session_notes:mine")) == 1


def test_exercises_add_no_query_to_today(cast, client):
    browser = sign_in(client, cast.client)
    browser.get(reverse("program:today"))
    with CaptureQueriesContext(connection) as before:
        browser.get(reverse("program:today"))
    for n in range(12):
        exercise(cast, f"Exercise {n}", due_on=TODAY + timedelta(days=n % 3))
    with CaptureQueriesContext(connection) as after:
        page = browser.get(reverse("program:today"))
    assert page.status_code == 200
    assert len(after.captured_queries) == len(before.captured_queries) <= 8


def test_me_leads_to_the_exercises_once_there_are_any(cast, client):
    browser = sign_in(client, cast.client)
    assert (
        reverse("session_notes:mine")
        not in browser.get(reverse("accounts:account")).content.decode()
    )
    exercise(cast)
    page = browser.get(reverse("accounts:account")).content.decode()
    assert "1 exercise from your clinician to try." in page
    assert reverse("session_notes:mine") in page
    mine = browser.get(reverse("session_notes:mine")).content.decode()
    assert f'href="{reverse("accounts:account")}" aria-current="page"' in mine
    assert "<title>Your exercises" in mine


def test_download_my_data_has_the_clients_exercises_and_never_their_notes(cast):
    signed(cast)
    made = exercise(cast, due_on=TODAY)
    services.mark_done(exercise=made, by=cast.client, reflection="Went well")
    withdrawn = exercise(cast, "Taken back")
    services.withdraw_exercise(exercise=withdrawn, by=cast.clinician)
    rows = exports.exercises(cast.client)
    assert [(r["text"], r["reflection"], r["due_on"]) for r in rows] == [
        (made.text, "Went well", TODAY)
    ]
    assert exports.exercises(cast.foreign_client) == []
    from waypost.core import exports as core_exports

    everything = str([c.data for c in core_exports.collect(cast.client)])
    assert "Talked about the work trip" not in everything  # the note's words
