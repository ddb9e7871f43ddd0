"""Where meetings show up beyond their pages: the ally's section, the attendance source, the
calendar feed, the Connect panel, Today's "Coming up", and the worker's refresh."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

import icalendar
import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.meetings.helpers import entry, feed, hand_meeting, web_source
from waypost.access.policy import roles_of
from waypost.connect import attendance, calendars
from waypost.connect.meetings import registrations, services
from waypost.connect.meetings.models import Attendance, Favourite, MeetingSource
from waypost.connect.meetings.tasks import refresh_due

pytestmark = pytest.mark.django_db


def _favourite(cast, meeting, at: datetime | None = None) -> None:
    Favourite.objects.create(
        enrollment=cast.enrollment, meeting=meeting, created_at=at or timezone.now()
    )


def _logged(cast, meeting, day: date) -> Attendance:
    entry_, _new = services.log_attendance(
        enrollment=cast.enrollment,
        meeting=meeting,
        day=day,
        client_uuid=uuid.uuid4(),
        by=cast.client,
    )
    return entry_


# --- the ally ---------------------------------------------------------------------------------


def test_an_ally_with_the_meetings_scope_sees_counts_and_recent_meetings_by_name(cast, as_user):
    meeting = hand_meeting(cast.clinic, name="Harbour Lights")
    _logged(cast, meeting, timezone.localdate() - timedelta(days=2))
    _logged(cast, meeting, timezone.localdate() - timedelta(days=60))
    page = as_user(cast.allies["meetings"]).get(
        reverse("connect:ally_shared", args=[cast.links["meetings"].pk])
    )
    text = page.content.decode()
    assert "Meeting attendance" in text
    assert "Sam Client logged 1 peer support meeting in the last 30 days." in text
    assert "2 in all." in text
    assert "Harbour Lights" in text


def test_an_ally_without_the_scope_sees_nothing_of_meetings(cast, as_user):
    _logged(cast, hand_meeting(cast.clinic, name="Harbour Lights"), timezone.localdate())
    page = as_user(cast.allies["journey"]).get(
        reverse("connect:ally_shared", args=[cast.links["journey"].pk])
    )
    assert "Harbour Lights" not in page.content.decode()


def test_the_attendance_source_counts_and_lists_the_log(cast):
    meeting = hand_meeting(cast.clinic, name="Harbour Lights", online=True)
    older = _logged(cast, meeting, timezone.localdate() - timedelta(days=14))
    newer = _logged(cast, meeting, timezone.localdate() - timedelta(days=1))
    (source,) = [s for s in attendance.sources() if s.key == "meetings"]
    assert source.count(cast.enrollment, None) == 2
    assert source.count(cast.enrollment, newer.starts_at - timedelta(hours=1)) == 1
    latest = source.latest(cast.enrollment, 5)
    assert [item.at for item in latest] == [newer.starts_at, older.starts_at]
    assert latest[0].title == "Harbour Lights" and latest[0].online
    assert attendance.attended(cast.enrollment) >= 2


# --- the calendar feed ---------------------------------------------------------------------


def test_favourites_are_weekly_events_in_the_meetings_own_zone(cast):
    meeting = hand_meeting(
        cast.clinic,
        slug="brownstone",
        name="Brownstone",
        days=[1, 4],
        time=time(20),
        end_time=time(21, 30),
        time_zone="America/New_York",
    )
    hand_meeting(cast.clinic, slug="not-mine", name="Not a favourite")
    _favourite(cast, meeting, datetime(2025, 3, 1, tzinfo=UTC))
    (source,) = [s for s in calendars.sources() if s.key == "meetings"]
    (event,) = source.events(cast.client, datetime(2025, 6, 1, tzinfo=UTC))
    calendar = icalendar.Calendar()
    calendar.add_component(event)
    text = calendar.to_ical().decode()
    assert f"UID:meeting-{meeting.pk}@" in text
    assert "DTSTART;TZID=America/New_York:20250303T200000" in text  # first Monday after
    assert "RRULE:FREQ=WEEKLY;BYDAY=MO,TH" in text
    assert "DURATION:PT1H30M" in text
    assert "URL:https://meet.example/harbour" in text
    assert "SUMMARY:Brownstone" in text


def test_the_event_is_the_same_on_every_fetch_and_gone_when_unfavoured(cast):
    meeting = hand_meeting(cast.clinic, slug="s", days=[2], time=time(19, 30))
    _favourite(cast, meeting, datetime(2025, 3, 1, tzinfo=UTC))
    (source,) = [s for s in calendars.sources() if s.key == "meetings"]
    first = source.events(cast.client, datetime(2025, 6, 1, tzinfo=UTC))
    later = source.events(cast.client, datetime(2025, 9, 1, tzinfo=UTC))
    assert [e["DTSTART"].to_ical() for e in first] == [e["DTSTART"].to_ical() for e in later]
    Favourite.objects.all().delete()
    assert list(source.events(cast.client, datetime(2025, 9, 1, tzinfo=UTC))) == []


def test_allies_clinicians_and_meetings_by_appointment_give_no_events(cast):
    _favourite(cast, hand_meeting(cast.clinic, days=[], time=None))
    (source,) = [s for s in calendars.sources() if s.key == "meetings"]
    now = timezone.now()
    assert list(source.events(cast.client, now)) == []
    _favourite(cast, hand_meeting(cast.clinic))
    assert len(list(source.events(cast.client, now))) == 1
    for someone in (cast.ally_all, cast.allies["meetings"], cast.clinician, cast.admin):
        assert list(source.events(someone, now)) == []


# --- the Connect panel and Today ----------------------------------------------------------------


def _request(user):
    request = RequestFactory().get("/connect/")
    request.user = user
    return request


def test_the_connect_panel_shows_favourites_soonest_first_in_one_query(cast):
    for n, hour in enumerate((21, 9, 15, 18)):
        _favourite(cast, hand_meeting(cast.clinic, name=f"M{n}", days=[3], time=time(hour)))
    roles_of(cast.client)  # the page has the viewer's roles already
    with (
        time_machine.travel(datetime(2025, 6, 9, tzinfo=UTC), tick=False),
        CaptureQueriesContext(connection) as queries,
    ):
        context = registrations.connect_panel(_request(cast.client), cast.enrollment)
    assert len(queries) == 1
    assert context is not None
    assert [one["meeting"].name for one in context["favourites"]] == ["M1", "M2", "M3"]
    assert context["more"] == 1
    assert registrations.connect_panel(_request(cast.clinician), cast.enrollment) is None


def test_the_connect_panel_renders_with_a_way_to_the_directory(cast):
    from waypost.core.panels import render_slot

    html = render_slot("client_connect", _request(cast.client), cast.enrollment)
    assert "Peer support meetings" in html
    assert reverse("meetings:directory") in html


def test_today_shows_a_favourite_online_meeting_starting_within_hours(cast, as_user):
    soon = hand_meeting(cast.clinic, name="Soon online", days=[1], time=time(20))
    hand_meeting(cast.clinic, name="Not a favourite", days=[1], time=time(20, 15))
    later = hand_meeting(cast.clinic, name="Later online", days=[2], time=time(20))
    room = hand_meeting(cast.clinic, name="In a room", days=[1], time=time(20), online=False)
    for meeting in (soon, later, room):
        _favourite(cast, meeting)
    # Monday 9 June 2025, 18:30 in Singapore
    with time_machine.travel(datetime(2025, 6, 9, 10, 30, tzinfo=UTC), tick=False):
        page = as_user(cast.client).get(reverse("program:today")).content.decode()
    assert "Soon online (online meeting)" in page
    assert "Later online" not in page and "In a room" not in page
    assert reverse("meetings:meeting", args=[soon.pk]) in page


def test_today_stays_within_its_budget_with_favourites(
    cast, as_user, django_assert_max_num_queries
):
    for n in range(20):
        _favourite(cast, hand_meeting(cast.clinic, name=f"M{n}", days=[1], time=time(20)))
    browser = as_user(cast.client)
    browser.get(reverse("program:today"))
    with (
        time_machine.travel(datetime(2025, 6, 9, 10, 30, tzinfo=UTC), tick=False),
        django_assert_max_num_queries(8),
    ):
        assert browser.get(reverse("program:today")).status_code == 200


# --- the worker ----------------------------------------------------------------------------


def test_the_worker_refreshes_due_web_sources_once(cast, monkeypatch):
    from waypost.connect.meetings import imports

    fetched: list[str] = []

    def fake_fetch(url: str) -> bytes:
        fetched.append(url)
        return feed(entry("from-the-web"))

    monkeypatch.setattr(imports, "fetch", fake_fetch)
    now = timezone.now()
    due = web_source(cast.clinic, "https://lists.example/due.json")
    web_source(
        cast.clinic, "https://lists.example/later.json", next_refresh_at=now + timedelta(hours=1)
    )
    web_source(cast.other_clinic, "https://lists.example/off.json", refresh=False)
    MeetingSource.objects.create(
        clinic=cast.clinic, name="File", url="", refresh=True, created_at=now
    )
    assert refresh_due(now) == {"read": 1, "failed": 0}
    assert fetched == ["https://lists.example/due.json"]
    due.refresh_from_db()
    assert due.next_refresh_at == now + timedelta(hours=12)
    assert refresh_due(now) == {"read": 0, "failed": 0}  # not due again yet


def test_the_clients_data_download_has_their_favourites_and_log(cast):
    from waypost.core import exports

    meeting = hand_meeting(cast.clinic, name="Harbour Lights")
    _favourite(cast, meeting)
    _logged(cast, meeting, timezone.localdate())
    (section,) = [s for s in exports.sections() if s.key == "meetings"]
    data = section.collect(cast.client)
    assert [f["name"] for f in data["favourites"]] == ["Harbour Lights"]
    assert [a["name"] for a in data["attended"]] == ["Harbour Lights"]
    assert section.collect(cast.foreign_client) == {"favourites": [], "attended": []}
