"""Demo notifications and choices, so the Notifications pages show a real week.

- client 2 (Stage 2) chose a check-in reminder at 20:00 and quiet hours from 22:30 to
  07:00; his list has this evening's reminder and a questionnaire waiting (unread),
  and last week's news (read);
- client 4 (Stage 4) has his counsellor's reply unread, as the messages demo has it;
- the first clinician has a new message and a risk alert waiting;
- the ally has an update from the person she supports.

The rows are kept as ``notify`` keeps them, without sending anything (the demo sends
no e-mail and knows no device).
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from waypost.accounts.models import User
from waypost.notifications.models import Notification, Preference

if TYPE_CHECKING:
    from datetime import datetime

    from waypost.demo import DemoContext


def _keep(
    user: User,
    kind: str,
    title: str,
    body: str,
    url: str,
    at: datetime,
    *,
    read: bool,
    emailed: bool = False,
) -> None:
    Notification.objects.create(
        user=user,
        kind=kind,
        dedupe_key=f"demo:{kind}:{at.isoformat()}",
        title=title,
        body=body,
        url=url,
        created_at=at,
        read_at=at + timedelta(hours=1) if read else None,
        emailed=emailed,
    )


def load(context: DemoContext) -> None:
    now = context.now
    client2 = context.client(2).client
    client4 = context.client(4).client
    clinician = context.clinicians[0].user
    ally = User.objects.get(email="ally@demo.waypost.test")

    Preference.objects.create(
        user=client2,
        kind="recovery.check_in",
        in_app=True,
        email=False,
        push=True,
        at_time=time(20, 0),
        time_chosen_at=now - timedelta(days=20),
        updated_at=now - timedelta(days=20),
    )
    User.objects.filter(pk=client2.pk).update(
        quiet_hours_start=time(22, 30), quiet_hours_end=time(7, 0)
    )
    # The reminders came at 20:00 in the clinic's zone: the last one unread.
    local = timezone.localtime(now, ZoneInfo(context.clinic.time_zone))
    last_eight = local.replace(hour=20, minute=0, second=0, microsecond=0)
    if last_eight > local:
        last_eight -= timedelta(days=1)
    checkin = reverse("recovery:checkin")
    for days, read in ((3, True), (1, True), (0, False)):
        _keep(
            client2,
            "recovery.check_in",
            "Time for your check-in",
            "A few quick questions about your day; under a minute.",
            checkin,
            last_eight - timedelta(days=days),
            read=read,
        )
    _keep(
        client2,
        "assessments.due",
        "A questionnaire is waiting for you",
        "It takes a few minutes. Answer it when you are ready.",
        reverse("assessments:measures"),
        now - timedelta(hours=5),
        read=False,
        emailed=True,
    )
    session = local.replace(hour=10, minute=0, second=0, microsecond=0) - timedelta(days=5)
    _keep(
        client2,
        "appointments.reminder",
        "An appointment is coming up",
        f"{session:%A} {session.day} {session:%B} at 10:00",
        reverse("appointments:mine"),
        session - timedelta(hours=23, minutes=50),
        read=True,
        emailed=True,
    )
    _keep(
        client4,
        "messages.new",
        "You have a new message",
        "Read it in Waypost, behind your sign-in.",
        reverse("messaging:mine"),
        now - timedelta(hours=6),
        read=False,
        emailed=True,
    )
    _keep(
        clinician,
        "messages.new",
        "You have a new message",
        "Read it in Waypost, behind your sign-in.",
        reverse("messaging:thread", args=[context.client(2).pk]),
        now - timedelta(hours=10),
        read=False,
        emailed=True,
    )
    _keep(
        clinician,
        "safety.risk_alert",
        "Something needs your attention",
        "A risk alert is open in your risk inbox.",
        reverse("safety:inbox"),
        now - timedelta(days=1, hours=3),
        read=False,
        emailed=True,
    )
    _keep(
        ally,
        "ally.updates",
        "An update from someone you support",
        "",
        reverse("connect:ally_home"),
        now - timedelta(days=2),
        read=True,
        emailed=True,
    )
