"""Searching the directory: filters in the viewer's zone, near a place, starting soon."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, time

import pytest
import time_machine
from django.urls import reverse

from tests.meetings.helpers import hand_meeting
from waypost.connect.meetings import selectors
from waypost.connect.meetings.selectors import Criteria

pytestmark = pytest.mark.django_db

SINGAPORE = zoneinfo.ZoneInfo("Asia/Singapore")
LONDON = zoneinfo.ZoneInfo("Europe/London")
# Monday 9 June 2025, 02:00 UTC: 10:00 in Singapore, 03:00 in London.
NOW = datetime(2025, 6, 9, 2, tzinfo=UTC)


@pytest.fixture
def directory(cast):
    """A few meetings of the cast's clinic, and one of the other clinic."""
    c = cast.clinic
    made = {
        "ny": hand_meeting(
            c,
            slug="ny",
            name="Brownstone Night",
            days=[1],  # Monday 20:00 in New York = Tuesday 08:00 in Singapore
            time=time(20),
            time_zone="America/New_York",
            fellowship="SA",
            types=["C", "ST", "EN"],
            languages=["en"],
        ),
        "tiong": hand_meeting(
            c,
            slug="tiong",
            name="Tiong Bahru Tuesday",
            days=[2],
            time=time(19, 30),
            online=False,
            in_person=True,
            conference_url="",
            city="Singapore",
            region="Tiong Bahru",
            postal_code="160001",
            latitude=1.2860,
            longitude=103.8270,
            fellowship="SAA",
            types=["O", "D", "EN"],
        ),
        "jurong": hand_meeting(
            c,
            slug="jurong",
            name="Jurong Saturday",
            days=[6],
            time=time(9),
            online=False,
            in_person=True,
            conference_url="",
            city="Singapore",
            region="Jurong East",
            latitude=1.3330,
            longitude=103.7420,
            types=["O", "BE", "EN", "MS"],
            languages=["en", "ms"],
        ),
        "kl": hand_meeting(
            c,
            slug="kl",
            name="Bangsar Sunday",
            days=[0],
            time=time(17),
            time_zone="Asia/Kuala_Lumpur",
            online=False,
            in_person=True,
            conference_url="",
            city="Kuala Lumpur",
            latitude=3.1290,
            longitude=101.6780,
        ),
        "chinese": hand_meeting(
            c, slug="chinese", name="华心 Share", days=[0, 4], time=time(19, 30), languages=["zh"]
        ),
        "appointment": hand_meeting(
            c, slug="appointment", name="By appointment chat", days=[], time=None
        ),
        "gone": hand_meeting(c, slug="gone", name="Gone", active=False),
        "south": hand_meeting(cast.other_clinic, slug="south", name="South only"),
    }
    return made


def _names(clinic, viewer=SINGAPORE, **criteria) -> list[str]:
    found = selectors.search(clinic, Criteria(**criteria), viewer=viewer, now=NOW)
    return [listing.meeting.name for listing in found.listings]


def test_the_directory_lists_the_clinics_active_meetings_soonest_first(cast, directory):
    assert _names(cast.clinic) == [
        "Brownstone Night",  # Tue 08:00 SGT
        "Tiong Bahru Tuesday",  # Tue 19:30
        "华心 Share",  # Thu 19:30
        "Jurong Saturday",  # Sat 09:00
        "Bangsar Sunday",  # Sun 17:00
        "By appointment chat",  # no time: last
    ]


def test_fellowship_mode_language_and_type_filter(cast, directory):
    assert _names(cast.clinic, fellowship="SA") == ["Brownstone Night"]
    assert _names(cast.clinic, mode="online") == [
        "Brownstone Night",
        "华心 Share",
        "By appointment chat",
    ]
    assert _names(cast.clinic, mode="in_person") == [
        "Tiong Bahru Tuesday",
        "Jurong Saturday",
        "Bangsar Sunday",
    ]
    assert _names(cast.clinic, language="ms") == ["Jurong Saturday"]
    assert _names(cast.clinic, language="zh") == ["华心 Share"]
    assert _names(cast.clinic, type="BE") == ["Jurong Saturday"]
    assert _names(cast.clinic, text="tiong") == ["Tiong Bahru Tuesday"]


def test_day_and_time_are_the_viewers(cast, directory):
    # For a viewer in Singapore the New York Monday-evening meeting is on Tuesday morning.
    assert _names(cast.clinic, day=2) == ["Brownstone Night", "Tiong Bahru Tuesday"]
    assert _names(cast.clinic, day=1) == []
    assert _names(cast.clinic, day=2, time_from=time(6), time_to=time(9)) == ["Brownstone Night"]
    # For a viewer in London it is Tuesday 01:00: a window past midnight finds it.
    assert _names(cast.clinic, viewer=LONDON, day=2, time_from=time(23), time_to=time(2)) == [
        "Brownstone Night"
    ]
    assert _names(cast.clinic, viewer=LONDON, day=1) == []
    # a meeting by appointment has no day or time to match
    assert "By appointment chat" not in _names(cast.clinic, time_from=time(0))


def test_near_a_place_filters_by_text_and_sorts_by_distance_from_the_city(cast, directory):
    # "Singapore" is a city of the directory: its meetings, nearest the city's middle first
    hand_meeting(
        cast.clinic,
        slug="changi",
        name="Changi",
        online=False,
        in_person=True,
        city="Singapore",
        latitude=1.3570,
        longitude=103.9880,
    )
    found = selectors.search(cast.clinic, Criteria(place="Singapore"), viewer=SINGAPORE, now=NOW)
    # the middle of the three is near Tiong Bahru; Changi is furthest from it
    assert [one.meeting.name for one in found.listings] == [
        "Tiong Bahru Tuesday",
        "Jurong Saturday",
        "Changi",
    ]
    assert found.centre is not None
    assert all(one.distance_km is not None and one.distance_km < 20 for one in found.listings)
    # a postal code or an area is a text match only
    assert _names(cast.clinic, place="160001") == ["Tiong Bahru Tuesday"]
    assert _names(cast.clinic, place="jurong") == ["Jurong Saturday"]


def test_coordinates_given_sort_everything_by_distance_those_without_last(cast, directory):
    near_kl = (3.14, 101.69)
    found = selectors.search(cast.clinic, Criteria(near=near_kl), viewer=SINGAPORE, now=NOW)
    names = [one.meeting.name for one in found.listings]
    assert names[:3] == ["Bangsar Sunday", "Jurong Saturday", "Tiong Bahru Tuesday"]
    assert found.listings[0].distance_km < 2
    assert 300 < found.listings[1].distance_km < 330  # Kuala Lumpur to Jurong, about 315 km
    assert all(one.distance_km is None for one in found.listings[3:])


def test_the_filters_offer_only_what_the_directory_holds(cast, directory):
    facets = selectors.facets(selectors.directory(cast.clinic))
    # by name: "Sex Addicts …", "Sex and Love …", "Sexaholics …"
    assert [code for code, _label in facets.fellowships] == ["SAA", "SLAA", "SA"]
    assert dict(facets.languages) == {"zh": "Chinese", "en": "English", "ms": "Malay"}
    assert "EN" not in dict(facets.types)  # languages are not kinds of meeting
    assert dict(facets.types)["BE"] == "Newcomers"
    assert facets.cities == ["Kuala Lumpur", "Singapore"]


# --- starting soon, anywhere ----------------------------------------------------------------


def test_starting_soon_finds_online_meetings_across_zones_in_order(cast, directory):
    hand_meeting(
        cast.clinic, slug="lagos", name="Lagos", days=[2], time=time(3), time_zone="Africa/Lagos"
    )
    # Tuesday 10 June 2025, 00:00 UTC = Monday 20:00 in New York, Tuesday 01:00 in Lagos.
    at = datetime(2025, 6, 9, 23, 30, tzinfo=UTC)
    found = selectors.starting_soon(cast.clinic, at=at, hours=3)
    assert [(s.meeting.slug, s.starts_at) for s in found] == [
        ("ny", datetime(2025, 6, 10, 0, tzinfo=UTC)),
        ("lagos", datetime(2025, 6, 10, 2, tzinfo=UTC)),
    ]
    assert selectors.starting_soon(cast.clinic, at=at, hours=0.25) == []


# --- the page -----------------------------------------------------------------------------------


def test_the_page_shows_times_in_the_viewers_zone_and_filters_from_the_query(
    cast, directory, as_user
):
    browser = as_user(cast.client)
    with time_machine.travel(NOW, tick=False):
        page = browser.get(reverse("meetings:directory"), {"fellowship": "SA"}).content.decode()
    assert "Brownstone Night" in page and "Tiong Bahru Tuesday" not in page
    assert "Tuesdays at 8 a.m." in page  # the client's zone is their clinic's, Singapore
    assert "South only" not in page


def test_a_bad_filter_is_shown_and_left_out(cast, directory, as_user):
    browser = as_user(cast.client)
    with time_machine.travel(NOW, tick=False):
        response = browser.get(reverse("meetings:directory"), {"lat": "north", "day": "9"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Some filters could not be used" in page
    assert "Brownstone Night" in page and "Jurong Saturday" in page


def test_the_soon_page_lists_online_meetings_of_the_clinic_only(cast, directory, as_user):
    browser = as_user(cast.client)
    with time_machine.travel(datetime(2025, 6, 9, 23, 30, tzinfo=UTC), tick=False):
        page = browser.get(reverse("meetings:soon")).content.decode()
    assert "Brownstone Night" in page and "in 30 minutes" in page
    assert "South only" not in page
