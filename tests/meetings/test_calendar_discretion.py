"""A favourite meeting in a calendar says nothing about what it is for: a calendar may be
shared, synced or glanced at by anyone near the phone."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.meetings.helpers import hand_meeting
from waypost.connect import calendars
from waypost.connect.meetings.models import Favourite
from waypost.core.discretion import is_discreet

pytestmark = pytest.mark.django_db


def _calendar_text(cast, meeting) -> str:
    Favourite.objects.create(
        enrollment=cast.enrollment, meeting=meeting, created_at=datetime(2025, 3, 1, tzinfo=UTC)
    )
    (source,) = [s for s in calendars.sources() if s.key == "meetings"]
    (event,) = source.events(cast.client, datetime(2025, 6, 1, tzinfo=UTC))
    calendar = icalendar.Calendar()
    calendar.add_component(event)
    return calendar.to_ical().decode()


def _unfolded(text: str) -> str:
    return text.replace("\r\n ", "")


def test_an_indiscreet_meeting_name_becomes_meeting_and_the_feeds_notes_stay_out(cast):
    meeting = hand_meeting(
        cast.clinic,
        slug="saa-monday-recovery",
        name="Sex Addicts Anonymous — Monday Recovery",
        notes="A closed meeting for sex and porn addicts in recovery.",
        location_notes="Side door; the addiction recovery room.",
        conference_url="https://zoom.example/j/81234",
        conference_url_notes="Recovery step study; passcode 4242",
        url="https://saa-recovery.example/meetings/monday",
        conference_phone="+1 555 0100",
        conference_phone_notes="Meeting ID 812 34",
    )
    text = _unfolded(_calendar_text(cast, meeting))
    assert "SUMMARY:Meeting\r\n" in text
    assert "URL:https://zoom.example/j/81234" in text  # the link to join stays
    assert "saa-recovery.example" not in text  # the fellowship's page does not
    assert "saa-monday-recovery" not in text  # nor the slug, in the UID
    assert "By phone: +1 555 0100" in text and "Meeting ID 812 34" in text
    assert "passcode" not in text and "Side door" not in text and "closed meeting" not in text
    assert is_discreet(text), text


def test_a_discreet_name_is_kept_as_it_is(cast):
    meeting = hand_meeting(cast.clinic, slug="brownstone", name="Brownstone Night Group")
    text = _unfolded(_calendar_text(cast, meeting))
    assert "SUMMARY:Brownstone Night Group" in text
    assert f"UID:meeting-{meeting.pk}@" in text


def test_an_indiscreet_link_to_join_gives_way_to_the_meetings_page_here(cast):
    meeting = hand_meeting(
        cast.clinic,
        name="Lantern",
        conference_url="https://meet.example/sexaholics-lantern",
        online=True,
        in_person=False,
    )
    text = _unfolded(_calendar_text(cast, meeting))
    own_page = settings.SITE_URL + reverse("meetings:meeting", args=[meeting.pk])
    assert f"URL:{own_page}" in text
    assert f"LOCATION:{own_page}" in text
    assert "sexaholics" not in text
    assert is_discreet(text)


def test_an_indiscreet_venue_is_left_out_and_a_plain_address_kept(cast):
    meeting = hand_meeting(
        cast.clinic,
        name="Tuesday Group",
        online=False,
        in_person=True,
        conference_url="",
        location="Recovery Centre",
        address="1 Example Road",
        city="Singapore",
    )
    text = _unfolded(_calendar_text(cast, meeting))
    assert "LOCATION:1 Example Road\\, Singapore" in text
    assert "Recovery Centre" not in text

    hall = hand_meeting(
        cast.clinic,
        name="Wednesday Group",
        online=False,
        in_person=True,
        conference_url="",
        location="SAA Hall",
        formatted_address="Porn-free Hall, 2 Example Road",
    )
    Favourite.objects.all().delete()
    text = _unfolded(_calendar_text(cast, hall))
    assert "LOCATION:SAA Hall" in text
    assert "Porn-free" not in text


def test_the_calendar_address_serves_no_indiscreet_words(cast, client):
    from waypost.connect.groups import feeds

    meeting = hand_meeting(
        cast.clinic, name="Sexaholics Anonymous", notes="For sex addicts.", url=""
    )
    Favourite.objects.create(enrollment=cast.enrollment, meeting=meeting, created_at=timezone.now())
    _feed, raw = feeds.renew_feed(user=cast.client)
    response = client.get(reverse("group_therapy:feed", args=[raw]))
    assert response.status_code == 200
    body = _unfolded(response.content.decode())
    assert "SUMMARY:Meeting\r\n" in body
    assert is_discreet(body), body
