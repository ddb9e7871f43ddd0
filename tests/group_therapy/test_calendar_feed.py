"""Private calendar feeds: the address, what each person's feed holds, turning it off."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from icalendar import Calendar, Event

from tests.group_therapy.conftest import NOW
from tests.group_therapy.helpers import make_group
from waypost.clinics.models import ClinicianProfile
from waypost.connect import calendars
from waypost.connect.groups import feeds, services
from waypost.connect.groups.models import CalendarFeed, GroupProgramme
from waypost.connect.services import end_link, link_ally, set_consent

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


def test_an_ally_whose_link_ended_finds_the_address_turned_off_for_good(cast, frozen, caplog):
    # given an ally's calendar address
    make_group(cast, members=(cast.enrollment,))
    ally = cast.allies["groups"]
    _feed, raw = feeds.renew_feed(user=ally)
    # when the client ends the link and the ally's calendar app asks again
    end_link(link=cast.links["groups"], by=cast.client)
    with caplog.at_level(logging.DEBUG):
        response = _fetch(raw)
    # then the address is gone, turned off, and no log line holds it
    assert response.status_code == 410
    assert CalendarFeed.objects.get(user=ally).revoked_at == NOW
    assert not [r for r in caplog.records if raw in r.getMessage()]
    # and a new link later does not bring the old address back
    link_ally(enrollment=cast.enrollment, ally=ally, scopes=["groups"], by=cast.client)
    assert _fetch(raw).status_code == 410


def test_the_address_goes_when_sharing_ends_before_any_fetch(
    cast, frozen, django_capture_on_commit_callbacks
):
    # given an ally's calendar address, never fetched since
    ally = cast.allies["groups"]
    _feed, raw = feeds.renew_feed(user=ally)
    # when the client ends their only link
    with django_capture_on_commit_callbacks(execute=True):
        end_link(link=cast.links["groups"], by=cast.client)
    # then the address is off at once, and a new invitation later does not revive it
    assert CalendarFeed.objects.get(user=ally).revoked_at == NOW
    link_ally(enrollment=cast.enrollment, ally=ally, scopes=["groups"], by=cast.client)
    assert _fetch(raw).status_code == 410


def test_an_ally_who_still_supports_someone_keeps_their_address(
    cast, frozen, django_capture_on_commit_callbacks
):
    ally = cast.allies["groups"]
    other = link_ally(
        enrollment=cast.foreign_enrollment, ally=ally, scopes=[], by=cast.foreign_client
    )
    assert other.is_active
    _feed, raw = feeds.renew_feed(user=ally)
    with django_capture_on_commit_callbacks(execute=True):
        end_link(link=cast.links["groups"], by=cast.client)
    assert CalendarFeed.objects.get(user=ally).revoked_at is None


def test_a_clinician_switched_off_finds_the_address_turned_off_for_good(cast, frozen):
    make_group(cast)
    _feed, raw = feeds.renew_feed(user=cast.clinician)
    assert _fetch(raw).status_code == 200
    profile = ClinicianProfile.objects.filter(pk=cast.clinician_profile.pk)
    profile.update(is_active=False)
    assert _fetch(raw).status_code == 410
    profile.update(is_active=True)
    assert _fetch(raw).status_code == 410
    assert feeds.open_feed(cast.clinician) is None


def test_a_deactivated_account_finds_the_address_turned_off_for_good(cast, frozen):
    _feed, raw = feeds.renew_feed(user=cast.client)
    type(cast.client).objects.filter(pk=cast.client.pk).update(is_active=False)
    assert _fetch(raw).status_code == 410
    type(cast.client).objects.filter(pk=cast.client.pk).update(is_active=True)
    assert _fetch(raw).status_code == 410


def test_no_log_line_carries_a_calendar_address(cast, frozen, caplog):
    _feed, live = feeds.renew_feed(user=cast.client)
    _feed, ally = feeds.renew_feed(user=cast.allies["groups"])
    end_link(link=cast.links["groups"], by=cast.client)
    url = reverse("group_therapy:feed", args=[live])
    with caplog.at_level(logging.DEBUG):
        answers = [
            Client().post(url).status_code,
            Client().put(url).status_code,
            _fetch(live + "x").status_code,
            _fetch("wpc_unknown").status_code,
            _fetch(ally).status_code,
            _fetch(ally).status_code,
            _fetch(live).status_code,
        ]
    assert answers == [405, 405, 404, 404, 410, 410, 200]
    assert not [r for r in caplog.records if "wpc_" in r.getMessage()]


def test_a_feed_that_cannot_be_built_is_logged_without_its_address(
    cast, frozen, caplog, monkeypatch
):
    _feed, live = feeds.renew_feed(user=cast.client)

    def broken(user, now):
        raise RuntimeError("zone data missing")

    monkeypatch.setattr(feeds, "build", broken)
    with caplog.at_level(logging.DEBUG):
        assert _fetch(live).status_code == 503
    assert any("could not be built" in r.getMessage() for r in caplog.records)
    assert not [r for r in caplog.records if "wpc_" in r.getMessage()]


def test_a_group_named_before_names_were_checked_has_a_neutral_name_in_calendars(cast, frozen):
    programme = make_group(cast, members=(cast.enrollment,))
    GroupProgramme.objects.filter(pk=programme.pk).update(name="Sex addiction group")
    _feed, raw = feeds.renew_feed(user=cast.client)
    assert _summaries(_fetch(raw)) == {"Group session"}
    _feed, ally = feeds.renew_feed(user=cast.allies["groups"])
    assert _summaries(_fetch(ally)) == {"Group session (Sam Client)"}


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
