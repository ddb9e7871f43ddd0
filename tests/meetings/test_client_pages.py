"""The client's side: a meeting's page, favourites (with and without htmx), the attendance log."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.urls import reverse

from tests.meetings.helpers import hand_meeting, log
from waypost.connect.meetings import events as meeting_events
from waypost.connect.meetings.models import Attendance, Favourite
from waypost.core.models import TimelineEvent

pytestmark = pytest.mark.django_db


def test_another_clinics_meeting_is_not_found(cast, as_user):
    south = hand_meeting(cast.other_clinic, name="South only")
    assert as_user(cast.client).get(reverse("meetings:meeting", args=[south.pk])).status_code == 404


def test_a_meeting_that_left_the_directory_stays_reachable_only_from_the_clients_history(
    cast, as_user
):
    gone = hand_meeting(cast.clinic, name="Gone", active=False)
    browser = as_user(cast.client)
    url = reverse("meetings:meeting", args=[gone.pk])
    assert browser.get(url).status_code == 404
    Favourite.objects.create(enrollment=cast.enrollment, meeting=gone, created_at=gone.created_at)
    page = browser.get(url).content.decode()
    assert "no longer in your clinic's lists" in page
    assert as_user(cast.clinician).get(url).status_code == 404


def test_the_meeting_page_shows_the_viewers_time_and_the_meetings_own(cast, as_user):
    meeting = hand_meeting(
        cast.clinic, name="Brownstone", days=[1], time=time(20), time_zone="America/New_York"
    )
    with time_machine.travel(datetime(2025, 6, 9, 2, tzinfo=UTC), tick=False):
        page = as_user(cast.client).get(reverse("meetings:meeting", args=[meeting.pk]))
    text = page.content.decode()
    assert "Tuesdays at 8 a.m." in text
    assert "Mondays, 8 p.m., America/New York time" in text
    assert 'href="https://meet.example/harbour"' in text


# --- favourites --------------------------------------------------------------------------------


def test_a_favourite_without_javascript_goes_back_where_the_client_was(cast, as_user):
    meeting = hand_meeting(cast.clinic)
    browser = as_user(cast.client)
    url = reverse("meetings:favourite", args=[meeting.pk])
    back = reverse("meetings:directory") + "?mode=online"
    response = browser.post(url, {"favourite": "1", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    browser.post(url, {"favourite": "1", "next": back})  # a second tap changes nothing
    assert Favourite.objects.filter(enrollment=cast.enrollment, meeting=meeting).count() == 1
    browser.post(url, {"favourite": "0"})
    assert not Favourite.objects.filter(enrollment=cast.enrollment).exists()


def test_a_favourite_with_htmx_answers_with_the_button_alone(cast, as_user):
    meeting = hand_meeting(cast.clinic, name="Harbour Lights")
    response = as_user(cast.client).post(
        reverse("meetings:favourite", args=[meeting.pk]),
        {"favourite": "1", "next": "/meetings/", "compact": "1"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'aria-pressed="true"' in html and 'name="favourite" value="0"' in html
    assert "Harbour Lights" in html


def test_a_favourite_never_sends_the_client_to_another_site(cast, as_user):
    meeting = hand_meeting(cast.clinic)
    response = as_user(cast.client).post(
        reverse("meetings:favourite", args=[meeting.pk]),
        {"favourite": "1", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("meetings:meeting", args=[meeting.pk])


def test_a_meeting_no_longer_listed_cannot_become_a_favourite(cast, as_user):
    gone = hand_meeting(cast.clinic, active=False)
    log(cast, hand_meeting(cast.clinic))  # unrelated history
    Attendance.objects.create(
        enrollment=cast.enrollment,
        meeting=gone,
        client_uuid=uuid.uuid4(),
        attended_on=date(2025, 1, 1),
        starts_at=datetime(2025, 1, 1, tzinfo=UTC),
        created_at=datetime(2025, 1, 1, tzinfo=UTC),
    )
    as_user(cast.client).post(reverse("meetings:favourite", args=[gone.pk]), {"favourite": "1"})
    assert not Favourite.objects.filter(meeting=gone).exists()


# --- the attendance log ------------------------------------------------------------------------


def _went(browser, meeting, day: str, key: uuid.UUID | None = None, **extra):
    return browser.post(
        reverse("meetings:attendance"),
        {"meeting": meeting.pk, "day": day, "client_uuid": str(key or uuid.uuid4()), **extra},
    )


def test_logging_a_meeting_twice_with_the_same_key_keeps_it_once(cast, as_user):
    meeting = hand_meeting(cast.clinic, name="Harbour Lights", days=[2], time=time(19, 30))
    browser = as_user(cast.client)
    key = uuid.uuid4()
    with time_machine.travel(datetime(2025, 6, 11, 4, tzinfo=UTC), tick=False):
        first = _went(browser, meeting, "2025-06-10", key)
        again = _went(browser, meeting, "2025-06-10", key)
    assert first.status_code == again.status_code == 302
    (entry,) = Attendance.objects.filter(enrollment=cast.enrollment)
    # the Tuesday 19:30 meeting in Singapore, as an instant
    assert entry.starts_at == datetime(2025, 6, 10, 11, 30, tzinfo=UTC)
    assert entry.online
    event = TimelineEvent.objects.get(kind=meeting_events.ATTENDED)
    assert "Harbour Lights" not in str(event.data)  # the meeting's name is kept encrypted
    assert event.private_data["meeting"] == "Harbour Lights"


def test_the_date_is_the_clients_own_and_finds_the_meeting_held_elsewhere(cast, as_user):
    # Monday 20:00 in New York is Tuesday 08:00 for the client in Singapore.
    meeting = hand_meeting(cast.clinic, days=[1], time=time(20), time_zone="America/New_York")
    with time_machine.travel(datetime(2025, 6, 11, tzinfo=UTC), tick=False):
        _went(as_user(cast.client), meeting, "2025-06-10")
    entry = Attendance.objects.get()
    assert entry.attended_on == date(2025, 6, 10)
    assert entry.starts_at == datetime(2025, 6, 10, 0, tzinfo=UTC)


def test_a_hybrid_meeting_asks_how_the_client_took_part(cast, as_user):
    meeting = hand_meeting(cast.clinic, in_person=True, address="1 Example Road")
    browser = as_user(cast.client)
    with time_machine.travel(datetime(2025, 6, 11, 4, tzinfo=UTC), tick=False):
        _went(browser, meeting, "2025-06-10", online="0")
        _went(browser, meeting, "2025-06-03", online="1")
    assert sorted(Attendance.objects.values_list("online", flat=True)) == [False, True]


@pytest.mark.parametrize(
    ("day", "words"),
    [("2025-06-12", "today or a day before"), ("2024-01-01", "within the last year")],
)
def test_a_day_in_the_future_or_long_ago_is_refused_kindly(cast, as_user, day, words):
    meeting = hand_meeting(cast.clinic)
    with time_machine.travel(datetime(2025, 6, 11, 4, tzinfo=UTC), tick=False):
        response = _went(as_user(cast.client), meeting, day)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not Attendance.objects.exists()


def test_another_clinics_meeting_cannot_be_logged(cast, as_user):
    south = hand_meeting(cast.other_clinic)
    response = _went(as_user(cast.client), south, "2025-06-10")
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_an_error_from_a_meetings_page_is_said_there_and_nothing_is_kept(cast, as_user):
    meeting = hand_meeting(cast.clinic)
    with time_machine.travel(datetime(2025, 6, 11, 4, tzinfo=UTC), tick=False):
        response = _went(as_user(cast.client), meeting, "2030-01-01", next="/meetings/log/")
    assert response.status_code == 302
    assert not Attendance.objects.exists()


def test_the_client_removes_their_own_entry_and_no_one_elses(cast, as_user):
    meeting = hand_meeting(cast.clinic, name="Harbour Lights")
    mine = log(cast, meeting)
    theirs = Attendance.objects.create(
        enrollment=cast.foreign_enrollment,
        meeting=hand_meeting(cast.other_clinic),
        client_uuid=uuid.uuid4(),
        attended_on=date(2025, 1, 1),
        starts_at=datetime(2025, 1, 1, tzinfo=UTC),
        created_at=datetime(2025, 1, 1, tzinfo=UTC),
    )
    browser = as_user(cast.client)
    assert browser.post(reverse("meetings:attendance_delete", args=[theirs.pk])).status_code == 404
    assert browser.post(reverse("meetings:attendance_delete", args=[mine.pk])).status_code == 302
    assert list(Attendance.objects.all()) == [theirs]
    assert TimelineEvent.objects.filter(kind=meeting_events.ATTENDANCE_REMOVED).count() == 1


def test_the_log_page_lists_entries_and_offers_favourites(cast, as_user):
    favourite = hand_meeting(cast.clinic, name="Favourite one")
    Favourite.objects.create(
        enrollment=cast.enrollment, meeting=favourite, created_at=favourite.created_at
    )
    log(cast, hand_meeting(cast.clinic, name="Went once"))
    page = as_user(cast.client).get(reverse("meetings:attendance")).content.decode()
    assert "You have logged 1 meeting so far." in page
    assert f'<option value="{favourite.pk}"' in page
    assert "Went once" in page
