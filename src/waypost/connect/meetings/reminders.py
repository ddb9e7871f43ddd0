"""Background work: remind a client an hour before a favourite meeting, once per start.

Only favourites the client asked to be reminded of (``Favourite.remind``), of meetings
still listed and held at a time (not by appointment), for clients whose enrollment is
active. A start is due when it is less than an hour ahead and has not begun; the
worker runs every five minutes, so the reminder comes 55 to 60 minutes before.

Each start is worked out in the meeting's own zone (``schedule``: right across clock
changes); the words give it in the client's zone, in their language.

Each reminder goes through ``notifications.services.notify`` as the kind
``meetings.reminder`` (registered here): in the client's list in Waypost, by e-mail and
on their devices, as they chose. In their quiet hours nothing is written, so a run after
they end sends it, if the meeting has not begun by then. The unique ``MeetingReminder``
row is the claim: written in the same transaction as the notification, so a failed send
is tried again on the next run, and a second worker finds the row and sends nothing.

Discreet: the title, the e-mail's subject and its text name neither the meeting nor
what it is for; only the time, and a link to the meeting's page behind sign-in.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waypost.accounts.notifications import Decision, zone_of
from waypost.connect.meetings import schedule
from waypost.connect.meetings.models import Favourite, Meeting, MeetingReminder
from waypost.notifications import kinds
from waypost.notifications.services import decide, notify
from waypost.program.models import Enrollment

log = logging.getLogger(__name__)

REMINDER = kinds.register(
    kinds.NotificationKind(
        key="meetings.reminder",
        label=gettext_lazy("Favourite meetings"),
        description=gettext_lazy(
            "An hour before a favourite meeting starts, for the ones you ask to be "
            "reminded of on the meeting's page."
        ),
        audience=frozenset({kinds.CLIENT}),
        reminder=True,
        order=45,
    )
)

#: A client hears about a start once it is less than this far ahead.
REMIND_BEFORE = timedelta(hours=1)
#: Claims of starts longer ago than this are of no more use (a start is claimed once).
KEEP_CLAIMS = timedelta(days=30)


class _Held(Exception):
    """Quiet hours began between deciding and notifying: undo the claim."""


@dataclass(frozen=True)
class Due:
    """A reminded favourite whose meeting starts within the hour, and when."""

    favourite: Favourite
    starts_at: datetime  # aware, UTC


def due(now: datetime) -> list[Due]:
    """Every reminded favourite starting after ``now`` and at most an hour later, not claimed.

    Two queries, whatever the number of clients and meetings: the reminded favourites
    (with their meetings, enrollments, clients and clinics), and the claims of starts
    in the window.
    """
    favourites = Favourite.objects.filter(
        remind=True,
        meeting__active=True,
        meeting__time__isnull=False,
        enrollment__status=Enrollment.Status.ACTIVE,
    ).select_related("meeting", "enrollment__client", "enrollment__clinic")
    starts: dict[int, datetime | None] = {}
    found = []
    for favourite in favourites:
        meeting = favourite.meeting
        if meeting.pk not in starts:
            starts[meeting.pk] = _start_within_the_hour(meeting, now)
        start = starts[meeting.pk]
        if start is not None:
            found.append(Due(favourite, start))
    if not found:
        return []
    claimed = set(
        MeetingReminder.objects.filter(
            starts_at__gt=now, starts_at__lte=now + REMIND_BEFORE
        ).values_list("enrollment_id", "meeting_id", "starts_at")
    )
    return [
        one
        for one in found
        if (one.favourite.enrollment_id, one.favourite.meeting_id, one.starts_at) not in claimed
    ]


def _start_within_the_hour(meeting: Meeting, now: datetime) -> datetime | None:
    if meeting.by_appointment or meeting.time is None:
        return None
    start = schedule.next_start(meeting.days, meeting.time, meeting.zone, now)
    if start is None or start <= now or start > now + REMIND_BEFORE:
        return None  # none soon, or it is starting this very moment (begun: too late)
    return start


def send_reminders(now: datetime | None = None) -> dict[str, int]:
    """Remind each client of their reminded favourites starting within the hour, once each."""
    now = now or timezone.now()
    counts = {"reminders": 0, "held": 0, "not_mailed": 0}
    for one in due(now):
        outcome = _remind(one, now)
        if outcome:
            counts[outcome] += 1
    MeetingReminder.objects.filter(starts_at__lt=now - KEEP_CLAIMS).delete()
    return counts


def _remind(one: Due, now: datetime) -> str:
    favourite = one.favourite
    enrollment = favourite.enrollment
    client = enrollment.client
    zone = enrollment.clinic.time_zone
    if decide(client, REMINDER.key, now, fallback_time_zone=zone).decision == Decision.LATER:
        return "held"  # quiet hours: a run after they end sends it, if still before the start
    try:
        with transaction.atomic():
            claim = MeetingReminder.objects.create(
                enrollment=enrollment,
                meeting=favourite.meeting,
                starts_at=one.starts_at,
                mailed=False,
                created_at=now,
            )
            outcome = notify(
                user=client,
                kind=REMINDER.key,
                title=gettext_lazy("A meeting you keep starts soon"),
                body=_when(enrollment, one.starts_at),
                url=reverse("meetings:meeting", args=[favourite.meeting_id]),
                dedupe_key=f"meetings.reminder:{claim.pk}",
                now=now,
                fallback_time_zone=zone,
                language=enrollment.clinic.default_language,
                email=lambda: _mail(favourite, one.starts_at),
            )
            if outcome.held:
                raise _Held
            if outcome.emailed:
                MeetingReminder.objects.filter(pk=claim.pk).update(mailed=True)
    except _Held:
        return "held"
    except IntegrityError:
        return ""  # another run has claimed it
    except OSError:
        # The claim went with the transaction: the next run tries again, if still in time.
        log.exception("meeting reminder to enrollment %s could not be sent", enrollment.pk)
        return ""
    return "reminders" if outcome.emailed else "not_mailed"


def _language(enrollment: Enrollment) -> str:
    return (
        enrollment.client.language or enrollment.clinic.default_language or settings.LANGUAGE_CODE
    )


def _words(enrollment: Enrollment, starts_at: datetime) -> tuple[str, str]:
    """The start's day and time in the client's zone and language, and that zone's name."""
    zone = zone_of(enrollment.client, enrollment.clinic.time_zone)
    local = starts_at.astimezone(zone)
    with translation.override(_language(enrollment)):
        when = _("%(day)s at %(time)s") % {
            "day": formats.date_format(local, "l j F"),
            "time": formats.time_format(local, "H:i"),
        }
    return when, str(zone)


def _when(enrollment: Enrollment, starts_at: datetime) -> str:
    when, zone = _words(enrollment, starts_at)
    with translation.override(_language(enrollment)):
        return _("%(when)s (%(zone)s time)") % {"when": when, "zone": zone}


def _mail(favourite: Favourite, starts_at: datetime) -> None:
    enrollment = favourite.enrollment
    when, zone = _words(enrollment, starts_at)
    with translation.override(_language(enrollment)):
        body = render_to_string(
            "meetings/email/reminder.txt",
            {
                "when": when,
                "zone": zone,
                "url": settings.SITE_URL + reverse("meetings:meeting", args=[favourite.meeting_id]),
            },
        )
        subject = _("Waypost: a reminder")
    send_mail(subject, body, None, [enrollment.client.email])
