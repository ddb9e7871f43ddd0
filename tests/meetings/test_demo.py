"""The demo's meetings: the sample feed and what the demo's clients and ally see of it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from waypost.connect.meetings import selectors
from waypost.connect.meetings.demo_data import SAMPLE_FEED, SOURCE_NAME
from waypost.connect.meetings.feed import parse
from waypost.connect.meetings.models import Attendance, Favourite, Meeting, MeetingSource
from waypost.connect.meetings.vocabulary import FELLOWSHIP_CODES
from waypost.connect.models import AllyLink


def test_the_sample_feed_is_read_whole_and_is_clearly_fictional():
    result = parse(
        SAMPLE_FEED.read_bytes(), time_zone="Asia/Singapore", fellowships=FELLOWSHIP_CODES
    )
    assert result.rejected == []
    assert len(result.meetings) >= 20
    for meeting in result.meetings:
        links = [meeting.conference_url, meeting.url]
        assert all(not link or ".example/" in link for link in links), meeting.slug
        assert "Sample meeting" in meeting.notes, meeting.slug
    assert "fictional" in SOURCE_NAME.lower() and "sample" in SOURCE_NAME.lower()


@pytest.mark.django_db
def test_the_demo_lists_the_sample_feed_and_gives_client_two_a_history_to_share(demo):
    now, client = demo
    source = MeetingSource.objects.get(name=SOURCE_NAME)
    assert source.last_outcome == MeetingSource.Outcome.OK
    assert Meeting.objects.filter(source=source, active=True).count() >= 20
    two = client(2)
    assert Favourite.objects.filter(enrollment=two).count() == 3
    assert Attendance.objects.filter(enrollment=two).count() == 4
    assert "meetings" in AllyLink.objects.get(enrollment=two, ended_at__isnull=True).scopes
    # "there is a meeting somewhere 24x7": one starts within two hours, any hour of a week
    clinic = source.clinic
    start = datetime(2025, 6, 9, tzinfo=UTC)
    empty = [
        hour
        for hour in range(0, 7 * 24)
        if not selectors.starting_soon(clinic, at=start + timedelta(hours=hour), hours=2)
    ]
    assert empty == []
