"""The check-in reminder: at the client's chosen local time, on days a check-in is due.

The client chooses a time on their notification choices page (none by default: a
reminder nobody asked for, on a phone others may see, is not kind). The sweep runs
every 15 minutes (``tasks.py``) and, for each client with a time chosen, from Stage 2
on (when the check-in begins), at the clinic where they are active:

1. their local time (their own zone, else their clinic's) has reached the time they
   chose, today, in their local calendar (so summer time and travel follow them), and
   they did not choose it after that time today (a time set at nine in the evening
   for eight starts tomorrow, not with a reminder at once);
2. today is not checked in yet, and a check-in is expected today in their rhythm
   (``check_in_rhythm``: daily, or Stage 4's lighter rhythm);
3. they were not reminded today: the notification's key names the client and the
   local date, so a second run, or a second worker, sends nothing (``notify``'s
   ``dedupe_key``).

It goes through ``notifications.services.notify`` as the kind ``recovery.check_in``
(registered here): in their list in Waypost and on their devices by default, by
e-mail if they choose. In their quiet hours it waits until they end, the same day.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waypost.notifications import kinds, selectors
from waypost.notifications.services import notify
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


def dedupe_key(enrollment: Enrollment, day: Any) -> str:
    return f"recovery.check_in:{enrollment.pk}:{day.isoformat()}"


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
        local = now.astimezone(zone)
        today = local.date()
        at, chosen_at = chosen[enrollment.client_id]
        if local.time().replace(tzinfo=None) < at:
            continue  # not yet time today
        if chosen_at >= datetime.combine(today, at, tzinfo=zone):
            continue  # chosen after today's time: from tomorrow
        newest = enrollment.latest_check_in
        if newest is not None and newest >= today:
            continue  # checked in already
        due.append((enrollment, today, newest))
    sent = selectors.sent_keys([(e.client_id, dedupe_key(e, day)) for e, day, _n in due])
    for enrollment, today, newest in due:
        key = dedupe_key(enrollment, today)
        if (enrollment.client_id, key) in sent:
            counts["already"] += 1
            continue
        rhythm = check_in_rhythm.rhythm_of(enrollment)
        if not check_in_rhythm.is_expected(rhythm, today, newest):
            counts["not_due"] += 1
            continue
        outcome = notify(
            user=enrollment.client,
            kind=CHECK_IN.key,
            title=_("Time for your check-in"),
            body=_("A few quick questions about your day; under a minute."),
            url=reverse("recovery:checkin"),
            dedupe_key=key,
            now=now,
            fallback_time_zone=enrollment.clinic.time_zone,
            language=enrollment.clinic.default_language,
        )
        if outcome.held:
            counts["held"] += 1
        elif outcome.delivered:
            counts["reminded"] += 1
    return counts
