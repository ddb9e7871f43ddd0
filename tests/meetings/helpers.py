"""Small builders for the meetings tests: feeds as bytes, meetings, sources, log entries."""

from __future__ import annotations

import json
import uuid
from datetime import date, time
from typing import Any

from django.utils import timezone

from waypost.connect.meetings import services
from waypost.connect.meetings.models import Attendance, Meeting, MeetingSource


def entry(slug: str = "monday-night", **fields: Any) -> dict[str, Any]:
    """One Meeting Guide entry: a weekly online meeting unless the fields say otherwise."""
    base: dict[str, Any] = {
        "name": slug.replace("-", " ").title(),
        "slug": slug,
        "day": 1,
        "time": "19:00",
        "end_time": "20:00",
        "timezone": "America/New_York",
        "types": ["O", "D", "EN"],
        "conference_url": f"https://meet.example/{slug}",
    }
    base.update(fields)
    return {key: value for key, value in base.items() if value is not None}


def feed(*entries: dict[str, Any]) -> bytes:
    return json.dumps(list(entries)).encode("utf-8")


def hand_meeting(clinic, *, by_hand: bool = False, slug: str = "", **fields: Any) -> Meeting:
    """A listed meeting stored directly (no source), for tests that only need one to exist."""
    now = timezone.now()
    values: dict[str, Any] = {
        "name": "Harbour Lights",
        "days": [2],
        "time": time(19, 30),
        "time_zone": "Asia/Singapore",
        "online": True,
        "in_person": False,
        "conference_url": "https://meet.example/harbour",
        "types": ["O", "EN"],
        "languages": ["en"],
        "fellowship": "SLAA",
    }
    values.update(fields)
    slug = slug or f"m-{uuid.uuid4().hex[:8]}"
    return Meeting.objects.create(
        clinic=clinic, slug=slug, by_hand=by_hand, created_at=now, changed_at=now, **values
    )


def file_source(clinic, name: str = "Local list", **fields: Any) -> MeetingSource:
    return MeetingSource.objects.create(
        clinic=clinic, name=name, url="", refresh=False, created_at=timezone.now(), **fields
    )


def web_source(clinic, url: str, **fields: Any) -> MeetingSource:
    fields.setdefault("refresh", True)
    return MeetingSource.objects.create(
        clinic=clinic, name="Web list", url=url, created_at=timezone.now(), **fields
    )


def log(cast, meeting: Meeting, day: date | None = None) -> Attendance:
    entry_, _new = services.log_attendance(
        enrollment=cast.enrollment,
        meeting=meeting,
        day=day or timezone.localdate(),
        client_uuid=uuid.uuid4(),
        by=cast.client,
    )
    return entry_
