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
from waypost.clinics.models import Clinic
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


def _clinic_in(cast, zone: str) -> None:
    Clinic.objects.filter(pk=cast.clinic.pk).update(time_zone=zone)
    cast.clinic.refresh_from_db()


@pytest.mark.parametrize("zone", ["Asia/Singapore", "America/New_York"])
@pytest.mark.parametrize("key", ["99991231T235959Z", "00010101T000000Z"])
def test_a_session_address_at_the_ends_of_the_calendar_is_not_found(
    cast, frozen, as_user, zone, key
):
    # given a group east or west of UTC
    _clinic_in(cast, zone)
    programme = make_group(cast, members=(cast.enrollment,))
    browser = as_user(cast.clinician)
    base = f"/groups/{programme.pk}/sessions/{key}/"
    # when its pages are asked for a time at the very start or end of the calendar
    # then there is no such session (the local time of such an instant cannot be computed)
    for suffix in ("", "cancel/", "move/"):
        assert browser.get(base + suffix).status_code == 404
    for suffix in ("attendance/", "notes/", "restore/", "cancel/", "move/"):
        assert browser.post(base + suffix, {"enrollment": cast.enrollment.pk}).status_code == 404


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


def test_a_move_far_ahead_is_refused_and_changes_nothing(cast, frozen, as_user):
    # given a group west of UTC, where 23:00 on the calendar's last day is past its end in UTC
    _clinic_in(cast, "America/New_York")
    programme = make_group(cast, members=(cast.enrollment,))
    _past, ahead = past_and_next(programme)
    browser = as_user(cast.clinician)
    for day in ("9999-12-31", "2032-04-01"):
        # when a session is moved to a day more than two years ahead
        response = browser.post(
            _url("move_session", programme, ahead.original),
            {"day": day, "start_time": "23:00", "end_time": "23:30"},
        )
        # then the form says why, and nothing is moved
        assert response.status_code == 400
        assert "Choose a day within two years from today." in response.content.decode()
    assert not GroupSession.objects.filter(moved_start__isnull=False).exists()
    with pytest.raises(services.GroupError, match="within two years"):
        services.move_occurrence(
            programme=programme,
            original=ahead.original,
            start=NEXT + timedelta(days=800),
            end=NEXT + timedelta(days=800, hours=1),
            by=cast.clinician,
        )
    assert browser.get(reverse("group_therapy:group", args=[programme.pk])).status_code == 200


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


@pytest.mark.parametrize("junk", ["²", "①", "1²", "", "-1", "12345678901234"])
def test_a_member_that_is_not_a_plain_number_is_refused_kindly(cast, group, as_user, junk):
    browser = as_user(cast.clinician)
    response = browser.post(
        _url("take_attendance", group, PAST), {"enrollment": junk, "status": "present"}
    )
    assert response.status_code == 302
    assert "Choose a member of the group." in browser.get(response["Location"]).content.decode()
    assert not Attendance.objects.exists()


def test_a_double_tap_keeps_one_mark(cast, group):
    # a second press with the same state, as a double submit sends it
    marks = [
        services.take_attendance(
            programme=group,
            original=PAST,
            enrollment=cast.enrollment,
            status="present",
            by=cast.clinician,
        )
        for _press in range(2)
    ]
    assert marks[0].pk == marks[1].pk
    assert Attendance.objects.get().status == "present"
    assert TimelineEvent.objects.filter(kind="group_therapy.attendance").count() == 1


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


def test_a_client_who_left_and_came_back_is_marked_for_the_sessions_of_either_stay(
    cast, group, as_user
):
    # given a client in the group for the sessions of 16 February, out of it on 2 March,
    # and back since 5 March
    first_stay = group.members.get()
    services.leave(member=first_stay, by=cast.clinician, at=datetime(2030, 2, 20, tzinfo=UTC))
    services.enrol(
        programme=group,
        enrollment=cast.enrollment,
        by=cast.clinician,
        at=datetime(2030, 3, 5, tzinfo=UTC),
    )
    earlier = PAST - timedelta(weeks=2)
    browser = as_user(cast.clinician)
    row = f'id="member-{cast.enrollment.pk}"'
    assert row in browser.get(_url("session", group, earlier)).content.decode()
    # when the facilitator marks them for a session of their first stay
    response = _mark(browser, group, earlier, cast.enrollment, "present")
    # then the mark is taken
    assert response.status_code == 302
    assert Attendance.objects.get().session.original_start == earlier
    # and a session while they were away still cannot be marked
    assert row not in browser.get(_url("session", group, PAST)).content.decode()
    with pytest.raises(services.GroupError, match="members of the group at the time"):
        services.take_attendance(
            programme=group,
            original=PAST,
            enrollment=cast.enrollment,
            status="present",
            by=cast.clinician,
        )
    # and the next one, in their second stay, can (from an hour before)
    services.take_attendance(
        programme=group,
        original=NEXT,
        enrollment=cast.enrollment,
        status="present",
        by=cast.clinician,
        at=NEXT - timedelta(minutes=30),
    )
    assert Attendance.objects.count() == 2


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
