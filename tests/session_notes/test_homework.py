"""Homework from every app through one registry (``core.homework``), and the record's card.

Reading assignments (learn), the questionnaires opened for the client (assessments) and
exercises (session notes), each done, missed, overdue or open, listed for many clients
in a fixed number of queries.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.assessments.helpers import sign_in
from tests.cast import make_user
from tests.session_notes.helpers import exercise
from waypost.access.policy import roles_of
from waypost.caseload.notes import panels, services
from waypost.core import homework

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 Monday 2 March in Singapore
TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _set(cast, enrollment=None) -> None:
    """Reading (one read), a questionnaire done and one missed and one open, two exercises."""
    from waypost.assessments import services as measures
    from waypost.assessments.models import Administration
    from waypost.learn import content
    from waypost.learn import services as reading

    enrollment = enrollment or cast.enrollment
    modules = list(content.library())[:2]
    for module in modules:
        reading.assign_module(
            enrollment=enrollment,
            module=module,
            by=cast.clinician,
            due_on=TODAY - timedelta(days=1),
        )
    reading.mark_read(enrollment=enrollment, module=modules[0])
    with time_machine.travel(NOW - timedelta(days=20), tick=False):
        measures.assign_measure(enrollment=enrollment, instrument_id="gad-7", by=cast.clinician)
    measures.assign_measure(enrollment=enrollment, instrument_id="phq-9", by=cast.clinician)
    Administration.objects.filter(enrollment=enrollment, instrument_id="gad-7").update(
        status=Administration.Status.EXPIRED
    )
    measures.record_completed(
        enrollment=enrollment, instrument_id="who-5", answers=[3] * 5, at=NOW, notify=False
    )
    services.set_exercise(
        enrollment=enrollment,
        by=cast.clinician,
        text="Walk after dinner",
        client_uuid=uuid4(),
        due_on=TODAY,
    )
    done = services.set_exercise(
        enrollment=enrollment, by=cast.clinician, text="Call a friend", client_uuid=uuid4()
    )
    services.mark_done(exercise=done, by=enrollment.client)


def _by_source(groups) -> dict[str, dict[str, str]]:
    return {
        group.source.key: {s.item.title: s.status for s in (*group.pending, *group.finished)}
        for group in groups
    }


def test_every_source_lists_its_work_with_where_it_stands(cast):
    _set(cast)
    found = _by_source(homework.homework_for(cast.enrollment, today=TODAY))
    exercises = found["session_notes.exercises"]
    assert exercises == {"Walk after dinner": "open", "Call a friend": "done"}
    reading = found["learn.reading"]
    assert sorted(reading.values()) == ["done", "overdue"]
    questionnaires = found["assessments.questionnaires"]
    assert questionnaires["Worry questionnaire (GAD-7)"] == "missed"
    assert questionnaires["Mood questionnaire (PHQ-9)"] == "open"
    assert "done" in {v for k, v in questionnaires.items() if "WHO-5" in k}
    # the sources come in their order: exercises, reading, questionnaires
    assert [g.source.key for g in homework.homework_for(cast.enrollment, today=TODAY)][:3] == [
        "session_notes.exercises",
        "learn.reading",
        "assessments.questionnaires",
    ]


def test_an_item_is_overdue_only_after_its_day(cast):
    item = homework.Item("k", "t", homework.EXERCISE, NOW, due=TODAY)
    assert item.status(TODAY) == homework.OPEN
    assert item.status(TODAY + timedelta(days=1)) == homework.OVERDUE
    done = homework.Item("k", "t", homework.EXERCISE, NOW, due=TODAY, completed_on=NOW)
    assert done.status(TODAY + timedelta(days=9)) == homework.DONE
    missed = homework.Item("k", "t", homework.MEASURE, NOW, missed=True)
    assert missed.status(TODAY) == homework.MISSED


def test_since_leaves_out_old_finished_work_but_never_open_work(cast):
    with time_machine.travel(NOW - timedelta(days=200), tick=False):
        old_open = exercise(cast, "Old and open")
        old_done = exercise(cast, "Old and done")
        services.mark_done(exercise=old_done, by=cast.client)
    recent = homework.homework_for(cast.enrollment, today=TODAY, since=NOW - timedelta(days=90))
    titles = _by_source(recent)["session_notes.exercises"]
    assert old_open.text in titles and old_done.text not in titles


def test_homework_for_many_clients_costs_one_query_a_source(cast):
    from waypost.program.services import enroll_client

    def others(n: int, start: int = 0):
        made = []
        for i in range(start, n):
            e = enroll_client(
                client=make_user(f"hw-{i}@north.test", f"Client {i}"),
                clinician_profile=cast.clinician_profile,
                by=cast.clinician,
            )
            _set(cast, e)
            made.append(e)
        return made

    few = [cast.enrollment, *others(1)]
    with CaptureQueriesContext(connection) as one:
        homework.homework_for_many(few, today=lambda e: TODAY)
    many = few + others(6, start=1)
    with CaptureQueriesContext(connection) as six:
        result = homework.homework_for_many(many, today=lambda e: TODAY)
    assert len(one.captured_queries) == len(six.captured_queries) == len(homework.sources())
    assert set(result) == {e.pk for e in many}


def test_the_record_card_shows_each_source_and_costs_one_query_a_source(cast, client):
    _set(cast)
    request = RequestFactory().get("/")
    request.user = cast.clinician
    roles_of(cast.clinician)
    with CaptureQueriesContext(connection) as captured:
        context = panels.homework_card(request, cast.enrollment)
    assert context is not None
    assert len(captured.captured_queries) == len(homework.sources())
    page = sign_in(client, cast.clinician).get(
        reverse("caseload:record", args=[cast.enrollment.pk])
    )
    text = page.content.decode()
    assert 'id="homework"' in text and "Walk after dinner" in text and "1 of 2 done" in text
    assert reverse("session_notes:homework", args=[cast.enrollment.pk]) in text


def test_nobody_else_gets_the_record_cards(cast):
    for someone in (cast.other_clinician, cast.admin, cast.client, cast.ally_all):
        request = RequestFactory().get("/")
        request.user = someone
        assert panels.homework_card(request, cast.enrollment) is None
        assert panels.notes_card(request, cast.enrollment) is None


def test_the_homework_page_lists_everything_with_reflections_and_is_audited(cast, client):
    from waypost.core.models import AuditEvent

    _set(cast)
    services.mark_done(exercise=exercise(cast, "Breathe"), by=cast.client, reflection="Calmer")
    page = sign_in(client, cast.clinician).get(
        reverse("session_notes:homework", args=[cast.enrollment.pk])
    )
    text = page.content.decode()
    assert page.status_code == 200 and "<title>Homework" in text
    assert "Calmer" in text and "Worry questionnaire (GAD-7)" in text and "missed" in text
    assert AuditEvent.objects.filter(actor=cast.clinician, what="homework", action="view").exists()


def test_the_homework_page_links_an_exercises_note_without_reading_it(cast, client):
    from tests.session_notes.helpers import signed

    note = signed(cast)
    exercise(cast, "From the session", note=note)
    browser = sign_in(client, cast.clinician)
    url = reverse("session_notes:homework", args=[cast.enrollment.pk])
    with CaptureQueriesContext(connection) as captured:
        page = browser.get(url)
    assert reverse("session_notes:note", args=[cast.enrollment.pk, note.pk]) in (
        page.content.decode()
    )
    assert not [q for q in captured.captured_queries if "session_notes_sessionnote" in q["sql"]]


@pytest.mark.parametrize(
    "client_zone, closes_at, due",
    [
        # 12:00 UTC on the 5th is 01:00 on the 6th in Auckland (the viewer's zone is UTC)
        ("Pacific/Auckland", datetime(2026, 3, 5, 12, 0, tzinfo=UTC), date(2026, 3, 6)),
        # 20:00 UTC on the 5th is 04:00 on the 6th in Singapore: the clinic's zone
        ("", datetime(2026, 3, 5, 20, 0, tzinfo=UTC), date(2026, 3, 6)),
        # 02:00 UTC on the 6th is still the 5th in Los Angeles
        ("America/Los_Angeles", datetime(2026, 3, 6, 2, 0, tzinfo=UTC), date(2026, 3, 5)),
    ],
)
def test_a_questionnaire_is_due_by_the_clients_own_day(cast, client_zone, closes_at, due):
    from django.utils import timezone

    from waypost.assessments import services as measures
    from waypost.assessments.models import Administration

    type(cast.client).objects.filter(pk=cast.client.pk).update(time_zone=client_zone)
    measures.assign_measure(enrollment=cast.enrollment, instrument_id="phq-9", by=cast.clinician)
    Administration.objects.filter(enrollment=cast.enrollment).update(closes_at=closes_at)
    with timezone.override("UTC"):
        groups = homework.homework_for(cast.enrollment, today=TODAY)
    (item,) = [
        shown.item
        for group in groups
        if group.source.key == "assessments.questionnaires"
        for shown in group.pending
    ]
    assert item.due == due
