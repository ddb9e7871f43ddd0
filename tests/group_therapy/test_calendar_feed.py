"""Private calendar feeds: the address, what each person's feed holds, turning it off."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from icalendar import Calendar, Event

from tests.group_therapy.conftest import NOW
from tests.group_therapy.helpers import make_group
from waypost.connect import calendars
from waypost.connect.groups import feeds, services
from waypost.connect.groups.models import CalendarFeed
from waypost.connect.services import end_link, set_consent

pytestmark = pytest.mark.django_db

INDISCREET = re.compile(r"porn|sex|addict|recover|relapse|abstinen|urge|lapse", re.IGNORECASE)


def _fetch(raw: str):
    """As a calendar app: no session, no cookies."""
    return Client().get(reverse("group_therapy:feed", args=[raw]))


def _events(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def _summaries(response) -> set[str]:
    return {str(e["SUMMARY"]) for e in _events(response)}


def test_only_a_hash_of_the_address_is_kept(cast, frozen):
    _feed, raw = feeds.renew_feed(user=cast.client)
    stored = CalendarFeed.objects.get(user=cast.client)
    assert raw.startswith("wpc_") and len(raw) > 40
    assert stored.token_hash != raw and raw not in stored.token_hash
    from waypost.accounts.models import hash_token

    assert stored.token_hash == hash_token(raw)


def test_a_clients_feed_has_their_groups_sessions_without_signing_in(cast, frozen):
    make_group(cast, members=(cast.enrollment,))
    make_group(cast, name="Tuesday group", members=())
    _feed, raw = feeds.renew_feed(user=cast.client)
    response = _fetch(raw)
    (event,) = _events(response)
    assert str(event["SUMMARY"]) == "Saturday group"
    assert str(event["LOCATION"]) == "Group room"
    assert str(event["URL"]) == "https://video.example/group"
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;INTERVAL=2;BYDAY=SA"
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies
    text = response.content.decode()
    assert "X-WR-CALNAME:Waypost" in text and "TZID:Asia/Singapore" in text
    # Discreet: nothing in it says what the program is about.
    assert not INDISCREET.search(text)


def test_last_used_is_noted_without_a_write_on_every_fetch(cast, frozen):
    _feed, raw = feeds.renew_feed(user=cast.client)
    _fetch(raw)
    assert CalendarFeed.objects.get(user=cast.client).last_used_at == NOW
    with time_machine.travel(NOW + timedelta(minutes=2), tick=False):
        _fetch(raw)
    assert CalendarFeed.objects.get(user=cast.client).last_used_at == NOW
    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        _fetch(raw)
    assert CalendarFeed.objects.get(user=cast.client).last_used_at == NOW + timedelta(minutes=10)


def test_a_new_address_ends_the_old_one_at_once_and_turning_off_ends_it(cast, frozen, as_user):
    _feed, old = feeds.renew_feed(user=cast.client)
    assert _fetch(old).status_code == 200
    browser = as_user(cast.client)
    page = browser.post(reverse("group_therapy:calendar")).content.decode()
    new = re.search(r'value="(https?://[^"]+\.ics)"', page).group(1).rsplit("/", 1)[1][:-4]
    assert new != old
    assert _fetch(old).status_code == 410
    assert _fetch(new).status_code == 200
    browser.post(reverse("group_therapy:calendar_off"))
    assert _fetch(new).status_code == 410
    assert _fetch("wpc_" + "x" * 43).status_code == 404
    assert _fetch("anything").status_code == 404


def test_the_address_is_shown_once_only(cast, frozen, as_user):
    browser = as_user(cast.client)
    assert (
        "Make my calendar address"
        in browser.get(reverse("group_therapy:calendar")).content.decode()
    )
    made = browser.post(reverse("group_therapy:calendar")).content.decode()
    assert "/calendar/wpc_" in made and "Copy it now" in made
    again = browser.get(reverse("group_therapy:calendar")).content.decode()
    assert "/calendar/wpc_" not in again and "Make a new address" in again


def test_a_clinicians_feed_has_the_groups_they_facilitate_only(cast, frozen):
    make_group(cast)
    _feed, mine = feeds.renew_feed(user=cast.clinician)
    _feed, other = feeds.renew_feed(user=cast.other_clinician)
    assert _summaries(_fetch(mine)) == {"Saturday group"}
    assert _summaries(_fetch(other)) == set()


def test_leaving_the_group_takes_it_out_of_the_next_fetch(cast, frozen):
    programme = make_group(cast, members=(cast.enrollment,))
    _feed, raw = feeds.renew_feed(user=cast.client)
    assert _summaries(_fetch(raw)) == {"Saturday group"}
    services.leave(member=programme.members.get(), by=cast.client)
    assert _summaries(_fetch(raw)) == set()


def test_an_ally_sees_the_sessions_while_the_client_shares_them_and_not_a_fetch_longer(
    cast, frozen
):
    make_group(cast, members=(cast.enrollment,))
    link = cast.links["groups"]
    _feed, raw = feeds.renew_feed(user=cast.allies["groups"])
    (event,) = _events(_fetch(raw))
    assert str(event["SUMMARY"]) == "Saturday group (Sam Client)"
    # when, never where or how to join
    assert "LOCATION" not in event and "URL" not in event
    set_consent(link=link, scopes=[], by=cast.client)
    assert _events(_fetch(raw)) == []
    # an ally who never had the scope gets nothing from it either
    _feed, none = feeds.renew_feed(user=cast.ally_none)
    assert _events(_fetch(none)) == []


def test_an_ally_whose_link_ended_has_no_feed(cast, frozen):
    make_group(cast, members=(cast.enrollment,))
    _feed, raw = feeds.renew_feed(user=cast.allies["groups"])
    end_link(link=cast.links["groups"], by=cast.client)
    assert _fetch(raw).status_code == 404


def test_a_moved_sessions_room_is_not_given_to_an_ally(cast, frozen):
    programme = make_group(cast, members=(cast.enrollment,), starts_on=NOW.date())
    from waypost.connect.groups import schedule

    upcoming = schedule.occurrences(programme.series, NOW, NOW + timedelta(weeks=3))[0]
    services.move_occurrence(
        programme=programme,
        original=upcoming.original,
        start=upcoming.start + timedelta(days=1),
        end=upcoming.end + timedelta(days=1),
        room="Secret room 7",
        by=cast.clinician,
    )
    _feed, ally = feeds.renew_feed(user=cast.allies["groups"])
    _feed, client = feeds.renew_feed(user=cast.client)
    assert b"Secret room 7" not in _fetch(ally).content
    assert b"RECURRENCE-ID" in _fetch(ally).content
    assert b"Secret room 7" in _fetch(client).content


@pytest.fixture
def other_source():
    """A second source, as the meetings app registers one for favourites."""

    def favourites(user, now):
        event = Event()
        event.add("uid", f"meeting-1-{user.pk}@test")
        event.add("summary", "Tuesday meeting")
        event.add("dtstamp", now)
        event.start = now + timedelta(days=1)
        event.end = now + timedelta(days=1, hours=1)
        return [event]

    def broken(user, now):
        raise RuntimeError("a faulty source")

    sources = [
        calendars.CalendarSource("test.favourites", "Meetings", favourites),
        calendars.CalendarSource("test.broken", "Broken", broken),
    ]
    for source in sources:
        calendars.register(source)
    yield
    for source in sources:
        calendars._registry.pop(source.key)


def test_the_feed_carries_every_registered_source_and_survives_a_faulty_one(
    cast, frozen, other_source
):
    make_group(cast, members=(cast.enrollment,))
    _feed, raw = feeds.renew_feed(user=cast.client)
    assert _summaries(_fetch(raw)) == {"Saturday group", "Tuesday meeting"}
