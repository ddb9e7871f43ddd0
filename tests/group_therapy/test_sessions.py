"""One session: cancelling or moving it, attendance by its facilitator, and its notes.

The cast's clinic is in Singapore; time is frozen at noon there on Wednesday 13 March
2030; the group meets every other Saturday 13:00–15:00, so 2 March is past and
16 March next.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.urls import reverse

from tests.group_therapy.helpers import make_group, past_and_next
from waypost.connect import attendance
from waypost.connect.groups import schedule, services
from waypost.connect.groups.models import Attendance, GroupSession, SessionNote
from waypost.core.models import AuditEvent, TimelineEvent

pytestmark = pytest.mark.django_db

PAST = datetime(2030, 3, 2, 5, tzinfo=UTC)  # Sat 2 March, 13:00 in Singapore
NEXT = datetime(2030, 3, 16, 5, tzinfo=UTC)


@pytest.fixture
def group(cast, frozen):
    programme = make_group(cast, members=(cast.enrollment,))
    assert [o.original for o in past_and_next(programme)] == [PAST, NEXT]
    return programme


def _url(name: str, programme, moment: datetime) -> str:
    return reverse(f"group_therapy:{name}", args=[programme.pk, schedule.occurrence_key(moment)])


# --- cancelling and moving one session ---------------------------------------------------------


def test_cancelling_one_session_leaves_the_rest_of_the_series(cast, group, as_user):
    browser = as_user(cast.other_clinician)
    page = browser.get(_url("cancel_session", group, NEXT)).content.decode()
    assert "Sat 16 Mar 2030, 13:00–15:00" in page
    response = browser.post(_url("cancel_session", group, NEXT), {"reason": "Public holiday"})
    assert response.status_code == 302
    session = GroupSession.objects.get()
    assert session.cancelled and session.reason == "Public holiday"
    assert session.original_start == NEXT
    ahead = schedule.occurrences(
        group.series, NEXT - timedelta(days=1), NEXT + timedelta(weeks=5), [session.change()]
    )
    assert [o.original for o in ahead] == [NEXT + timedelta(weeks=2), NEXT + timedelta(weeks=4)]
    listing = browser.get(reverse("group_therapy:group", args=[group.pk])).content.decode()
    assert "cancelled" in listing and "Public holiday" in listing


def test_moving_one_session_uses_the_groups_zone_and_can_be_undone(cast, group, as_user):
    browser = as_user(cast.clinician)
    response = browser.post(
        _url("move_session", group, NEXT),
        {"day": "2030-03-17", "start_time": "10:00", "end_time": "12:00", "room": "Room 2"},
    )
    assert response.status_code == 302
    session = GroupSession.objects.get()
    assert session.moved_start == datetime(2030, 3, 17, 2, tzinfo=UTC)  # 10:00 in Singapore
    assert session.moved_room == "Room 2"
    (moved,) = schedule.occurrences(
        group.series, NEXT - timedelta(days=1), NEXT + timedelta(days=10), [session.change()]
    )
    assert moved.moved and moved.original == NEXT
    listing = browser.get(reverse("group_therapy:group", args=[group.pk])).content.decode()
    assert "Sun 17 Mar 2030, 10:00–12:00" in listing and "Usually Sat 16 Mar at 13:00" in listing
    browser.post(_url("restore_session", group, NEXT))
    session.refresh_from_db()
    assert not session.has_exception


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"day": "2030-03-10", "start_time": "10:00", "end_time": "12:00"}, "still ahead"),
        ({"day": "2030-03-17", "start_time": "12:00", "end_time": "10:00"}, "must end after"),
        ({"day": "not a date", "start_time": "10:00", "end_time": "12:00"}, "valid date"),
    ],
)
def test_a_move_that_cannot_be_is_refused_and_changes_nothing(cast, group, as_user, data, message):
    response = as_user(cast.clinician).post(_url("move_session", group, NEXT), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not GroupSession.objects.filter(moved_start__isnull=False).exists()


def test_a_past_session_cannot_be_cancelled_and_unknown_times_are_not_found(cast, group, as_user):
    with pytest.raises(services.GroupError, match="already started"):
        services.cancel_occurrence(programme=group, original=PAST, by=cast.clinician)
    browser = as_user(cast.clinician)
    off_schedule = NEXT + timedelta(days=1)
    assert browser.get(_url("cancel_session", group, off_schedule)).status_code == 404
    assert browser.get(f"/groups/{group.pk}/sessions/not-a-key/cancel/").status_code == 404


# --- attendance ----------------------------------------------------------------------------------


def _mark(browser, programme, moment, enrollment, status):
    return browser.post(
        _url("take_attendance", programme, moment),
        {"enrollment": enrollment.pk, "status": status},
    )


def test_the_facilitator_marks_each_member_with_one_tap(cast, group, as_user):
    browser = as_user(cast.clinician)
    page = browser.get(_url("session", group, PAST)).content.decode()
    assert "Sam Client" in page and 'name="status" value="present"' in page
    response = _mark(browser, group, PAST, cast.enrollment, "present")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#member-{cast.enrollment.pk}")
    mark = Attendance.objects.get()
    assert (mark.status, mark.recorded_by, mark.session.original_start) == (
        "present",
        cast.clinician,
        PAST,
    )
    page = browser.get(_url("session", group, PAST)).content.decode()
    assert 'value="present" class="mark mark-present" aria-pressed="true"' in page
    # changing the mark replaces it
    _mark(browser, group, PAST, cast.enrollment, "excused")
    assert Attendance.objects.get().status == "excused"


def test_each_mark_is_on_the_clients_timeline_and_audited(cast, group, as_user):
    browser = as_user(cast.clinician)
    _mark(browser, group, PAST, cast.enrollment, "absent")
    _mark(browser, group, PAST, cast.enrollment, "absent")  # the same again: no new line
    (event,) = TimelineEvent.objects.filter(kind="group_therapy.attendance")
    assert event.summary == "Group session “Saturday group” on 2 Mar 2030: absent"
    assert event.enrollment == cast.enrollment
    assert (
        AuditEvent.objects.filter(
            actor=cast.clinician, client=cast.client, what="group attendance", action="change"
        ).count()
        == 1
    )


def test_only_the_facilitator_takes_attendance(cast, group, as_user):
    for user in (cast.other_clinician, cast.admin):
        browser = as_user(user)
        assert browser.get(_url("session", group, PAST)).status_code == 403
        assert _mark(browser, group, PAST, cast.enrollment, "present").status_code == 403
    assert not Attendance.objects.exists()


def test_attendance_opens_an_hour_before_and_never_for_a_cancelled_session(cast, group, as_user):
    browser = as_user(cast.clinician)
    page = browser.get(_url("session", group, NEXT)).content.decode()
    assert "Attendance opens an hour before the session starts." in page
    assert 'name="status"' not in page
    with pytest.raises(services.GroupError, match="from an hour before"):
        services.take_attendance(
            programme=group,
            original=NEXT,
            enrollment=cast.enrollment,
            status="present",
            by=cast.clinician,
        )
    services.take_attendance(
        programme=group,
        original=NEXT,
        enrollment=cast.enrollment,
        status="present",
        by=cast.clinician,
        at=NEXT - timedelta(minutes=30),
    )
    services.cancel_occurrence(
        programme=group, original=NEXT + timedelta(weeks=2), by=cast.clinician
    )
    with pytest.raises(services.GroupError, match="cancelled"):
        services.take_attendance(
            programme=group,
            original=NEXT + timedelta(weeks=2),
            enrollment=cast.enrollment,
            status="present",
            by=cast.clinician,
            at=NEXT + timedelta(weeks=2, hours=1),
        )


def test_a_session_with_attendance_cannot_be_moved_or_cancelled(cast, group):
    services.take_attendance(
        programme=group,
        original=NEXT,
        enrollment=cast.enrollment,
        status="present",
        by=cast.clinician,
        at=NEXT - timedelta(minutes=30),
    )
    with pytest.raises(services.GroupError, match="Attendance was already taken"):
        services.cancel_occurrence(
            programme=group, original=NEXT, by=cast.clinician, at=NEXT - timedelta(minutes=20)
        )


def test_only_members_at_the_time_can_be_marked(cast, group):
    with pytest.raises(services.GroupError, match="members of the group at the time"):
        services.take_attendance(
            programme=group,
            original=PAST,
            enrollment=cast.foreign_enrollment,
            status="present",
            by=cast.clinician,
        )
    with pytest.raises(services.GroupError, match="present, absent or excused"):
        services.take_attendance(
            programme=group,
            original=PAST,
            enrollment=cast.enrollment,
            status="late",
            by=cast.clinician,
        )


def test_the_attendance_source_counts_present_only(cast, group):
    first = PAST - timedelta(weeks=2)
    services.take_attendance(
        programme=group,
        original=first,
        enrollment=cast.enrollment,
        status="present",
        by=cast.clinician,
    )
    services.take_attendance(
        programme=group,
        original=PAST,
        enrollment=cast.enrollment,
        status="excused",
        by=cast.clinician,
    )
    assert attendance.attended(cast.enrollment) == 1
    assert attendance.attended(cast.enrollment, since=PAST - timedelta(days=1)) == 0
    (item,) = [a for a in attendance.recent(cast.enrollment) if a.source == "groups"]
    assert (item.at, item.title, item.online) == (first, "Saturday group", False)


# --- notes -------------------------------------------------------------------------------------


def test_notes_are_encrypted_at_rest_and_every_save_is_kept(cast, group, as_user):
    browser = as_user(cast.clinician)
    url = _url("save_notes", group, PAST)
    browser.post(url, {"text": "Theme: long weekends. Quiet start."})
    browser.post(url, {"text": "Theme: long weekends. Good listening."})
    browser.post(url, {"text": "Theme: long weekends. Good listening."})  # unchanged: no save
    assert SessionNote.objects.count() == 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM group_therapy_sessionnote")
        raw = [row[0] for row in cursor.fetchall()]
    assert all(value.startswith("fernet:") and "weekends" not in value for value in raw)
    page = browser.get(_url("session", group, PAST)).content.decode()
    assert "Good listening." in page and "(2 saves kept)" in page
    # notes are about the group: nothing about them on the client's timeline
    assert not TimelineEvent.objects.filter(kind__contains="note").exists()


def test_notes_are_for_the_facilitators_only(cast, group, as_user):
    services.save_notes(programme=group, original=PAST, text="Private.", by=cast.clinician)
    for user in (cast.other_clinician, cast.admin):
        browser = as_user(user)
        assert browser.get(_url("session", group, PAST)).status_code == 403
        assert browser.post(_url("save_notes", group, PAST), {"text": "x"}).status_code == 403
        assert (
            "Private."
            not in browser.get(reverse("group_therapy:group", args=[group.pk])).content.decode()
        )
    assert as_user(cast.client).get(_url("session", group, PAST)).status_code == 404
