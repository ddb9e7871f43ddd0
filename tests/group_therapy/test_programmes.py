"""Defining groups and who is in them: schedules, facilitators, places, joining and leaving."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.cast import make_user
from tests.group_therapy.helpers import make_group, plan
from waypost.clinics.models import ClinicianProfile
from waypost.connect.groups import services
from waypost.connect.groups.models import GroupMember, GroupProgramme
from waypost.core.models import AuditEvent, TimelineEvent
from waypost.program.services import enroll_client

pytestmark = pytest.mark.django_db


def _form(cast, **overrides) -> dict:
    data = {
        "name": "Saturday group",
        "about": "A small steady group.",
        "weekday": "5",
        "start_time": "13:00",
        "end_time": "15:00",
        "interval_weeks": "2",
        "starts_on": "2030-03-01",
        "ends_on": "",
        "session_count": "",
        "facilitators": [str(cast.clinician_profile.pk)],
        "room": "Group room",
        "online_url": "https://video.example/g",
        "capacity": "8",
    }
    return {**data, **overrides}


def _client(cast, email: str, name: str):
    user = make_user(email, name)
    return enroll_client(client=user, clinician_profile=cast.clinician_profile, by=cast.clinician)


def test_a_clinician_defines_a_group_in_the_clinics_zone(cast, frozen, as_user):
    browser = as_user(cast.clinician)
    response = browser.post(reverse("group_therapy:new_group", args=["north"]), _form(cast))
    programme = GroupProgramme.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("group_therapy:group", args=[programme.pk]) + "#members"
    assert programme.clinic == cast.clinic and programme.time_zone == "Asia/Singapore"
    assert list(programme.facilitators.all()) == [cast.clinician_profile]
    assert programme.series.first_day == date(2030, 3, 2)
    listing = browser.get(reverse("group_therapy:clinic_groups", args=["north"])).content.decode()
    assert "Saturday group" in listing
    assert "Every 2 weeks on Saturday, 13:00–15:00 (Asia/Singapore time)" in listing
    # the next session, in the viewer's zone (the clinician has the clinic's: Singapore)
    assert "Sat 16 Mar 2030, 13:00–15:00" in listing
    assert "0 of 8" in listing


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_time": "12:00"}, "A session must end after it starts, on the same day."),
        (
            {"ends_on": "2030-06-30", "session_count": "4"},
            "Give an end date or a number of sessions, not both.",
        ),
        ({"ends_on": "2030-03-01"}, "The last date is before the first session."),
        ({"capacity": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"facilitators": []}, "This field is required."),
        ({"interval_weeks": "99"}, "Select a valid choice."),
        ({"online_url": "javascript:alert(1)"}, "Enter a valid URL."),
    ],
)
def test_a_schedule_that_cannot_be_is_refused_with_a_clear_message(
    cast, frozen, as_user, changes, message
):
    browser = as_user(cast.clinician)
    response = browser.post(
        reverse("group_therapy:new_group", args=["north"]), _form(cast, **changes)
    )
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not GroupProgramme.objects.exists()


def test_facilitators_must_be_clinicians_of_the_clinic(cast, frozen):
    foreign = ClinicianProfile.objects.get(user=cast.foreign_clinician)
    with pytest.raises(services.GroupError, match="clinicians of this clinic"):
        services.define_programme(
            clinic=cast.clinic,
            by=cast.clinician,
            name="G",
            plan=plan(date(2030, 3, 1)),
            facilitators=[foreign],
            capacity=5,
        )


def test_people_outside_the_clinic_cannot_define_or_see_its_groups(cast, frozen, as_user):
    programme = make_group(cast)
    browser = as_user(cast.foreign_clinician)
    assert browser.get(reverse("group_therapy:group", args=[programme.pk])).status_code == 404
    assert (
        browser.post(reverse("group_therapy:new_group", args=["north"]), _form(cast)).status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        services.define_programme(
            clinic=cast.clinic,
            by=cast.foreign_clinician,
            name="G",
            plan=plan(date(2030, 3, 1)),
            facilitators=[cast.clinician_profile],
            capacity=5,
        )


def test_places_are_enforced_with_a_clear_message(cast, frozen, as_user):
    programme = make_group(cast, capacity=2, members=(cast.enrollment,))
    second = _client(cast, "second@north.test", "Second Person")
    third = _client(cast, "third@north.test", "Third Person")
    browser = as_user(cast.clinician)
    url = reverse("group_therapy:add_member", args=[programme.pk])
    browser.post(url, {"enrollment": second.pk})
    response = browser.post(url, {"enrollment": third.pk}, follow=True)
    page = response.content.decode()
    assert "The group is full: all 2 places are taken." in page
    assert GroupMember.objects.filter(programme=programme, left_at__isnull=True).count() == 2
    # the page says so instead of offering the form
    assert "All 2 places are taken." in page


def test_enrolment_rules(cast, frozen):
    programme = make_group(cast, members=(cast.enrollment,))
    with pytest.raises(services.GroupError, match="already in this group"):
        services.enrol(programme=programme, enrollment=cast.enrollment, by=cast.clinician)
    with pytest.raises(services.GroupError, match="current clients"):
        services.enrol(programme=programme, enrollment=cast.foreign_enrollment, by=cast.clinician)
    # a colleague at the clinic and its admin may enrol; a client may not enrol themselves
    other = _client(cast, "x@north.test", "Xena")
    services.enrol(programme=programme, enrollment=other, by=cast.admin)
    third = _client(cast, "y@north.test", "Yann")
    with pytest.raises(PermissionDenied):
        services.enrol(programme=programme, enrollment=third, by=third.client)


def test_joining_and_leaving_are_on_the_timeline_and_staff_changes_audited(cast, frozen, as_user):
    programme = make_group(cast, members=(cast.enrollment,))
    member = programme.members.get()
    joined = TimelineEvent.objects.get(enrollment=cast.enrollment, kind="group_therapy.joined")
    assert joined.summary == "Joined the group “Saturday group”"
    assert AuditEvent.objects.filter(actor=cast.clinician, what="group membership").exists()
    browser = as_user(cast.client)
    page = browser.get(reverse("group_therapy:leave", args=[member.pk])).content.decode()
    assert "Leave “Saturday group”?" in page
    response = browser.post(reverse("group_therapy:leave", args=[member.pk]))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.left_at == frozen and member.ended_by == cast.client
    left = TimelineEvent.objects.get(enrollment=cast.enrollment, kind="group_therapy.left")
    assert left.summary == "Left the group “Saturday group”"
    # the client's own step is not audited
    assert AuditEvent.objects.filter(what="group membership").count() == 1
    # again: a 404, nothing changes
    assert browser.post(reverse("group_therapy:leave", args=[member.pk])).status_code == 404
    # coming back is a new place
    services.enrol(programme=programme, enrollment=cast.enrollment, by=cast.clinician)
    assert programme.members.filter(left_at__isnull=True).count() == 1


def test_staff_take_a_member_off_and_their_attendance_is_kept(cast, frozen, as_user):
    programme = make_group(cast, members=(cast.enrollment,))
    member = programme.members.get()
    browser = as_user(cast.other_clinician)
    url = reverse("group_therapy:remove_member", args=[programme.pk, member.pk])
    page = browser.post(url, follow=True).content.decode()
    assert "Sam Client is no longer in the group." in page
    event = TimelineEvent.objects.get(kind="group_therapy.left")
    assert event.summary == "Was taken off the group “Saturday group”"
    assert "Sam Client had already left" in browser.post(url, follow=True).content.decode()


def test_someone_elses_place_is_not_found(cast, frozen, as_user):
    programme = make_group(cast, members=(cast.enrollment,))
    member = programme.members.get()
    browser = as_user(cast.foreign_client)
    assert browser.get(reverse("group_therapy:leave", args=[member.pk])).status_code == 404


def test_the_places_cannot_go_below_the_members(cast, frozen, as_user):
    programme = make_group(cast, capacity=3, members=(cast.enrollment,))
    services.enrol(
        programme=programme,
        enrollment=_client(cast, "z@north.test", "Zed"),
        by=cast.clinician,
    )
    browser = as_user(cast.clinician)
    response = browser.post(
        reverse("group_therapy:edit_group", args=[programme.pk]), _form(cast, capacity="1")
    )
    assert response.status_code == 400
    assert "needs at least 2 places" in response.content.decode()
    programme.refresh_from_db()
    assert programme.capacity == 3


def test_changing_the_schedule_keeps_the_group_and_its_members(cast, frozen, as_user):
    programme = make_group(cast, members=(cast.enrollment,))
    browser = as_user(cast.admin)
    response = browser.post(
        reverse("group_therapy:edit_group", args=[programme.pk]),
        _form(cast, weekday="6", start_time="10:00", end_time="11:30", interval_weeks="1"),
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.weekday, programme.start_time, programme.interval_weeks) == (
        6,
        time(10),
        1,
    )
    assert programme.members.count() == 1
    first = programme.series.starts_at(programme.series.first_day)
    assert first.astimezone(UTC) == datetime(2030, 3, 3, 2, tzinfo=UTC)


def test_the_admin_sees_the_clinic_tabs_and_a_clinician_a_plain_crumb(cast, frozen, as_user):
    admin_page = as_user(cast.admin).get(reverse("group_therapy:clinic_groups", args=["north"]))
    assert 'aria-current="page">Groups</a>' in admin_page.content.decode()
    clinician_page = as_user(cast.clinician).get(
        reverse("group_therapy:clinic_groups", args=["north"])
    )
    assert "Audit trail" not in clinician_page.content.decode()


def test_the_form_offers_only_the_clinics_active_clinicians(cast, frozen, as_user):
    gone = make_user("gone@north.test", "Gone Clinician")
    ClinicianProfile.objects.create(user=gone, clinic=cast.clinic, is_active=False)
    page = as_user(cast.clinician).get(reverse("group_therapy:new_group", args=["north"]))
    text = page.content.decode()
    assert "Cleo Clinician" in text and "Otto Other" in text
    assert "Gone Clinician" not in text and "Fern Foreign" not in text


def test_a_group_ends_on_its_date_or_after_its_count(cast, frozen):
    programme = make_group(cast, starts_on=date(2030, 3, 1), count=3)
    assert programme.series.last_day == date(2030, 3, 30)
    later = make_group(cast, name="Later", starts_on=date(2030, 3, 1), ends_on=date(2030, 3, 20))
    assert later.series.last_day == date(2030, 3, 16)


# --- dates far away and names that say too much ---------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"starts_on": "9999-12-31"},
        {"starts_on": "0001-01-01"},
        {"starts_on": "2035-04-01"},
        {"ends_on": "9999-12-31"},
    ],
)
def test_dates_more_than_five_years_away_are_refused(cast, frozen, as_user, changes):
    browser = as_user(cast.clinician)
    response = browser.post(
        reverse("group_therapy:new_group", args=["north"]), _form(cast, **changes)
    )
    assert response.status_code == 400
    assert "Choose a date within five years of today." in response.content.decode()
    assert not GroupProgramme.objects.exists()
    assert browser.get(reverse("group_therapy:clinic_groups", args=["north"])).status_code == 200


@pytest.mark.parametrize("far", [date(9999, 12, 31), date(1, 1, 1)])
def test_the_service_refuses_dates_no_calendar_can_hold(cast, frozen, far):
    with pytest.raises(services.GroupError, match="between 1970 and 2200"):
        services.define_programme(
            clinic=cast.clinic,
            by=cast.clinician,
            name="G",
            plan=plan(far),
            facilitators=[cast.clinician_profile],
            capacity=5,
        )
    with pytest.raises(services.GroupError, match="between 1970 and 2200"):
        services.define_programme(
            clinic=cast.clinic,
            by=cast.clinician,
            name="G",
            plan=plan(date(2030, 3, 1), ends_on=date(9999, 12, 31)),
            facilitators=[cast.clinician_profile],
            capacity=5,
        )
    with pytest.raises(services.GroupError, match="at most 500 sessions"):
        services.define_programme(
            clinic=cast.clinic,
            by=cast.clinician,
            name="G",
            plan=plan(date(2030, 3, 1), count=30_000),
            facilitators=[cast.clinician_profile],
            capacity=5,
        )
    assert not GroupProgramme.objects.exists()


def test_a_long_running_group_keeps_its_first_date_when_changed(cast, frozen, as_user):
    programme = make_group(cast, starts_on=date(2024, 1, 6))
    response = as_user(cast.clinician).post(
        reverse("group_therapy:edit_group", args=[programme.pk]),
        _form(cast, starts_on="2024-01-06", capacity="9"),
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.starts_on, programme.capacity) == (date(2024, 1, 6), 9)


@pytest.mark.parametrize(
    "name", ["Sex addicts group", "Porn recovery circle", "Urge surfing", "Relapse prevention"]
)
def test_a_name_that_says_what_the_group_is_for_is_refused_kindly(cast, frozen, as_user, name):
    browser = as_user(cast.clinician)
    response = browser.post(
        reverse("group_therapy:new_group", args=["north"]), _form(cast, name=name)
    )
    assert response.status_code == 400
    page = response.content.decode().replace("&#x27;", "'")
    assert "in their calendars" in page and "Choose a neutral name" in page
    assert not GroupProgramme.objects.exists()
    programme = make_group(cast)
    response = browser.post(
        reverse("group_therapy:edit_group", args=[programme.pk]), _form(cast, name=name)
    )
    assert response.status_code == 400
    programme.refresh_from_db()
    assert programme.name == "Saturday group"
    with pytest.raises(services.GroupError, match="neutral name"):
        make_group(cast, name=name)
