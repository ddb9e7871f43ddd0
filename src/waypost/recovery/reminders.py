"""The check-in reminder: at the client's chosen local time, on days a check-in is due.

The client chooses a time on their notification choices page (none by default: a
reminder nobody asked for, on a phone others may see, is not kind). The sweep runs
every 15 minutes (``tasks.py``) and, for each client with a time chosen, from Stage 2
on (when the check-in begins), at the clinic where they are active:

1. the *slot*: the latest moment of their chosen time at or before now, in their
   local calendar (their own zone, else their clinic's; so summer time and travel
   follow them): today's once their clock has reached it, else yesterday's if that
   was less than ``LATE_MINUTES`` ago (a time after the day's last run, 23:50, comes
   with the run at midnight, for the day it belongs to). They did not choose the
   time after the slot (a time set at nine in the evening for eight starts tomorrow,
   not with a reminder at once);
2. the slot's day is not checked in yet, and a check-in is expected that day in
   their rhythm (``check_in_rhythm``: daily, or Stage 4's lighter rhythm);
3. they were not reminded for that day: the notification's key names the client and
   the slot's local date, so a second run, or a second worker, sends nothing
   (``notify``'s ``dedupe_key``).

It goes through ``notifications.services.notify`` as the kind ``recovery.check_in``
(registered here): in their list in Waypost and on their devices by default, by
e-mail if they choose. In their quiet hours the entry in their list comes at once
(it interrupts nobody; its own key, ``…:in-app``), and the e-mail and push wait until
quiet hours end, if that is still the slot's day (or within ``LATE_MINUTES`` of the
slot); after overnight quiet hours they are not sent: a morning alert for last
night's check-in would only confuse.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waypost.accounts.notifications import Decision
from waypost.notifications import kinds, selectors
from waypost.notifications.services import decide, notify
from waypost.program.models import Enrollment, Stage
from waypost.recovery import check_in_rhythm
from waypost.recovery.days import zone_named
from waypost.recovery.models import CheckIn
from waypost.recovery.selectors import client_time_zone

CHECK_IN = kinds.register(
    kinds.NotificationKind(
        key="recovery.check_in",
        label=_("Check-in reminder"),
        description=_(
            "A nudge at the time you choose, on days your check-in is due and not done yet."
        ),
        audience=frozenset({kinds.CLIENT}),
        defaults=frozenset({kinds.Channel.IN_APP, kinds.Channel.PUSH}),
        reminder=True,
        timed=True,
        time_label=_("Remind me at"),
        email_subject=_("Waypost: a reminder"),
        order=5,
    )
)


#: How long after its moment a slot of yesterday still brings its reminder.
LATE_MINUTES = 30
IN_APP_ONLY = frozenset({kinds.Channel.IN_APP})
NOT_IN_APP = frozenset({kinds.Channel.EMAIL, kinds.Channel.PUSH})


def dedupe_key(enrollment: Enrollment, day: Any) -> str:
    return f"recovery.check_in:{enrollment.pk}:{day.isoformat()}"


def in_app_key(enrollment: Enrollment, day: Any) -> str:
    """The key of the list entry written at once in quiet hours (the rest keeps the day's)."""
    return f"{dedupe_key(enrollment, day)}:in-app"


def slot(now: datetime, zone: ZoneInfo, at: time) -> tuple[date, datetime] | None:
    """The latest moment of the local time ``at`` at or before ``now``: (its day, it).

    Today's once the local clock has reached ``at`` (a time the clocks skip comes as they
    jump); else yesterday's if it was less than ``LATE_MINUTES`` ago; else None.
    """
    local = now.astimezone(zone)
    today = local.date()
    if local.time().replace(tzinfo=None) >= at:
        return today, datetime.combine(today, at, tzinfo=zone)
    yesterday = today - timedelta(days=1)
    moment = datetime.combine(yesterday, at, tzinfo=zone)
    if now - moment < timedelta(minutes=LATE_MINUTES):
        return yesterday, moment
    return None


def send_check_in_reminders(now: datetime | None = None) -> dict[str, int]:
    """Remind each client whose chosen time has come today, once a day; see the docstring."""
    now = now or timezone.now()
    counts = {"reminded": 0, "held": 0, "not_due": 0, "already": 0}
    chosen = selectors.chosen_times(CHECK_IN.key)
    if not chosen:
        return counts
    latest = Subquery(
        CheckIn.objects.filter(enrollment=OuterRef("pk"))
        .order_by("-local_date")
        .values("local_date")[:1]
    )
    enrollments = (
        Enrollment.objects.filter(
            client_id__in=chosen,
            status=Enrollment.Status.ACTIVE,
            stage__gte=Stage.ABSTINENCE,
        )
        .select_related("client", "clinic")
        .annotate(latest_check_in=latest)
    )
    due = []
    for enrollment in enrollments:
        zone = zone_named(client_time_zone(enrollment))
        at, chosen_at = chosen[enrollment.client_id]
        found = slot(now, zone, at)
        if found is None:
            continue  # not yet time today, and yesterday's is long past
        day, moment = found
        if chosen_at >= moment:
            continue  # chosen after this slot: from the next one
        newest = enrollment.latest_check_in
        if newest is not None and newest >= day:
            continue  # checked in already
        due.append((enrollment, day, newest))
    sent = selectors.sent_keys(
        [(e.client_id, dedupe_key(e, day)) for e, day, _n in due]
        + [(e.client_id, in_app_key(e, day)) for e, day, _n in due]
    )
    for enrollment, day, newest in due:
        key = dedupe_key(enrollment, day)
        if (enrollment.client_id, key) in sent:
            counts["already"] += 1
            continue
        rhythm = check_in_rhythm.rhythm_of(enrollment)
        if not check_in_rhythm.is_expected(rhythm, day, newest):
            counts["not_due"] += 1
            continue
        listed = (enrollment.client_id, in_app_key(enrollment, day)) in sent
        done = _remind(enrollment, day, now, listed=listed)
        if done is not None:
            counts[done] += 1
    return counts


def _remind(enrollment: Enrollment, day: date, now: datetime, *, listed: bool) -> str | None:
    """Remind one client for ``day``; which count it adds to (None: no channel reaches them).

    ``listed``: the entry in their list was written already, in quiet hours.
    """
    plan = decide(
        enrollment.client, CHECK_IN.key, now, fallback_time_zone=enrollment.clinic.time_zone
    )
    if plan.decision == Decision.LATER:
        # Quiet hours: the list at once (it interrupts nobody); e-mail and push wait.
        if kinds.Channel.IN_APP in plan.channels and not listed:
            _notify(enrollment, in_app_key(enrollment, day), now, only=IN_APP_ONLY)
        return "held"
    outcome = _notify(
        enrollment, dedupe_key(enrollment, day), now, only=NOT_IN_APP if listed else None
    )
    if outcome.held:
        return "held"
    return "reminded" if outcome.delivered else None


def _notify(
    enrollment: Enrollment, key: str, now: datetime, *, only: frozenset[kinds.Channel] | None
) -> Any:
    return notify(
        user=enrollment.client,
        kind=CHECK_IN.key,
        title=_("Time for your check-in"),
        body=_("A few quick questions about your day; under a minute."),
        url=reverse("recovery:checkin"),
        dedupe_key=key,
        now=now,
        fallback_time_zone=enrollment.clinic.time_zone,
        language=enrollment.clinic.default_language,
        only=only,
    )
