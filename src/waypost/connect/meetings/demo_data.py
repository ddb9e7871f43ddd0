"""The demo's meeting directory: the sample feed, a few favourites and an attendance log.

``sample_feed.json`` (beside this file) is a Meeting Guide feed of fictional meetings:
online ones spread over every time zone (so one starts within two hours at any moment,
as in the real world), in-person ones in Singapore and Kuala Lumpur, one hybrid and one
by appointment. It is imported through the same service as a clinic's upload, into a
source called "Sample data — fictional meetings", which every page that names the
sources shows.

Client 2 (whose ally is the demo's ally) keeps three favourites, one of them with
"Remind me an hour before" on, has logged four meetings over the last weeks, and shares
"Meeting attendance" with the ally; client 3 keeps two favourites and has logged two.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from waypost.connect import scopes
from waypost.connect.meetings import schedule, services
from waypost.connect.meetings.imports import import_feed
from waypost.connect.meetings.models import Favourite, Meeting
from waypost.connect.meetings.registrations import SCOPE
from waypost.connect.models import AllyLink
from waypost.connect.services import set_consent
from waypost.core.timezones import first_zone

if TYPE_CHECKING:
    from waypost.demo import DemoContext
    from waypost.program.models import Enrollment

SAMPLE_FEED = Path(__file__).with_name("sample_feed.json")
SOURCE_NAME = "Sample data — fictional meetings"

# (client n, favourite slugs, [(slug, weeks ago)] logged)
# Favourites that remind their client an hour before: (client n, slug).
REMINDED = {(2, "quiet-harbour")}
CLIENTS = (
    (
        2,
        ["quiet-harbour", "tiong-bahru-tuesday", "lantern-morning"],
        [
            ("tiong-bahru-tuesday", 3),
            ("quiet-harbour", 2),
            ("tiong-bahru-tuesday", 1),
            ("quiet-harbour", 0),
        ],
    ),
    (3, ["toa-payoh-hybrid", "huaxin-chinese"], [("toa-payoh-hybrid", 2), ("huaxin-chinese", 1)]),
)


def load(context: DemoContext) -> None:
    source = services.add_source(
        clinic=context.clinic,
        details=services.SourceDetails(
            name=SOURCE_NAME,
            url="",
            fellowship="",
            time_zone=context.clinic.time_zone,
            refresh=False,
        ),
        by=None,
        now=context.now,
    )
    import_feed(source=source, raw=SAMPLE_FEED.read_bytes(), now=context.now)
    meetings = {m.slug: m for m in Meeting.objects.filter(clinic=context.clinic)}
    for n, favourites, logged in CLIENTS:
        enrollment = context.client(n)
        client = enrollment.client
        for slug in favourites:
            services.set_favourite(
                enrollment=enrollment, meeting=meetings[slug], favourite=True, by=client
            )
            if (n, slug) in REMINDED:
                services.set_reminder(
                    favourite=Favourite.objects.get(enrollment=enrollment, meeting=meetings[slug]),
                    remind=True,
                    by=client,
                )
        for slug, weeks_ago in logged:
            meeting = meetings[slug]
            services.log_attendance(
                enrollment=enrollment,
                meeting=meeting,
                day=_held_on(meeting, context, weeks_ago),
                client_uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-meeting-{n}-{slug}-{weeks_ago}"),
                by=client,
                now=context.now,
            )
    _share_with_ally(context.client(2))


def _held_on(meeting: Meeting, context: DemoContext, weeks_ago: int) -> date:
    """The day (the clinic's) of the meeting's last start ``weeks_ago`` weeks before now."""
    if meeting.time is None:
        raise ValueError(f"the demo logs only meetings with a time: {meeting.slug}")
    end = context.now - timedelta(weeks=weeks_ago)
    starts = schedule.starts_between(
        meeting.days, meeting.time, meeting.zone, end - timedelta(days=7), end
    )
    return starts[-1].astimezone(first_zone(context.clinic.time_zone)).date()


def _share_with_ally(enrollment: Enrollment) -> None:
    link = AllyLink.objects.filter(enrollment=enrollment, ended_at__isnull=True).first()
    if link is not None and scopes.get(SCOPE) is not None and SCOPE not in link.scopes:
        set_consent(link=link, scopes=[*link.scopes, SCOPE], by=enrollment.client)
