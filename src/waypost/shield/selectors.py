"""Reads for the client's Shield pages: their devices and Shield's word on each, the week.

- ``device_rows(enrollment, now)``: each device of the plan with its Shield, if any (one
  query);
- ``own_device`` / ``own_shield_device``: one of the client's by id, or None;
- ``heard(shield_device, now)``: what Shield last heard from a device (``Heard``);
- ``week(enrollment, now)``: this week's blocked attempts by category, their names (for the
  "Show the names" disclosure) and the allowed lookups as one number (never named: Shield
  does not keep them);
- ``own_lists(enrollment)``: the client's own block-list and their "wrong block?" requests;
- ``register_facts`` and ``setup_step``: Today's "Set up Shield on your phone".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Sum
from django.utils import formats, timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waypost.core import facts
from waypost.recovery.models import Device
from waypost.shield.models import (
    BlockedLookup,
    HourlyCount,
    ListEntry,
    ShieldDevice,
    WrongBlockRequest,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from waypost.program.models import Enrollment

# Heard from this recently: the device's lookups reach Shield now (it stores "last seen"
# about every 30 seconds, so a working device is never older than a minute or two).
RECENT = timedelta(minutes=5)
WEEK = timedelta(days=7)
# The names behind "Show the names": the newest blocked lookups this many at most.
NAMES_READ = 500
NAMES_SHOWN = 30

#: What each category of a blocked lookup is called on the client's pages.
CATEGORY_LABELS: dict[str, StrOrPromise] = {
    "adult": gettext_lazy("Adult sites"),
    "dating": gettext_lazy("Dating and hook-up sites"),
    "gambling": gettext_lazy("Gambling"),
    "bypass": gettext_lazy("Ways around the filter (VPNs, proxies, other DNS)"),
    "social": gettext_lazy("Social media"),
    "custom": gettext_lazy("Your and your clinic's own lists"),
    "lockdown": gettext_lazy("During a lockdown"),
}
# Blocked for the browser's own sake (Firefox asks whether to keep using Shield): no attempt.
NOT_ATTEMPTS = ("canary",)


def category_label(key: str) -> StrOrPromise:
    return CATEGORY_LABELS.get(key, key)


# --- devices ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heard:
    """What Shield last heard from one device, in words for its status line."""

    state: str  # "recent", "earlier" or "never"
    at: datetime | None
    text: str

    @property
    def recent(self) -> bool:
        return self.state == "recent"


def heard(shield_device: ShieldDevice, now: datetime) -> Heard:
    seen = shield_device.last_seen_at
    if seen is None:
        return Heard("never", None, _("Not heard from yet"))
    if seen > now:  # a resolver's clock a little ahead
        seen = now
    ago = timesince(seen, now, depth=1)
    state = "recent" if now - seen <= RECENT else "earlier"
    if now - seen < timedelta(minutes=1):
        return Heard(state, seen, _("Last heard from just now"))
    return Heard(state, seen, _("Last heard from %(ago)s ago") % {"ago": ago})


def verdict(heard: Heard) -> str:
    """ "Check my setup" in one sentence."""
    if heard.recent:
        return _("Shield hears this device: it is set up. Well done.")
    if heard.state == "never":
        return _(
            "Shield has not heard from this device yet. Open any website on it, then check again."
        )
    return _(
        "Shield has not heard from this device for a while. Open any website on it, then "
        "check again."
    )


def until_text(moment: datetime, now: datetime) -> str:
    """When something ends, in the viewer's time zone: "15:30", "tomorrow at 07:00" …"""
    local = timezone.localtime(moment)
    today = timezone.localtime(now).date()
    at = formats.time_format(local, "H:i")
    if local.date() == today:
        return at
    if local.date() == today + timedelta(days=1):
        return _("tomorrow at %(time)s") % {"time": at}
    return _("%(day)s at %(time)s") % {"day": formats.date_format(local, "l j F"), "time": at}


@dataclass(frozen=True)
class DeviceRow:
    """One device of the plan and, once it is on, its Shield."""

    device: Device
    shield: ShieldDevice | None
    now: datetime

    @property
    def on(self) -> bool:
        return self.shield is not None

    @property
    def heard(self) -> Heard | None:
        return heard(self.shield, self.now) if self.shield is not None else None

    @property
    def lockdown_until(self) -> datetime | None:
        until = self.shield.lockdown_until if self.shield is not None else None
        return until if until is not None and until > self.now else None

    @property
    def lockdown_text(self) -> str:
        until = self.lockdown_until
        return until_text(until, self.now) if until is not None else ""


def device_rows(enrollment: Enrollment, now: datetime) -> list[DeviceRow]:
    """The devices of the client's plan (not retired), each with its Shield if it is on."""
    devices = (
        Device.objects.filter(enrollment=enrollment, retired_at__isnull=True)
        .select_related("shield")
        .order_by("created_at", "pk")
    )
    rows = []
    for device in devices:
        shield: ShieldDevice | None = getattr(device, "shield", None)
        if shield is not None and shield.revoked_at is not None:
            shield = None  # turned off: not on Shield
        rows.append(DeviceRow(device=device, shield=shield, now=now))
    return rows


def own_device(enrollment: Enrollment, pk: int) -> Device | None:
    """A device of the client's plan (not retired) by id; someone else's is None."""
    return (
        Device.objects.filter(enrollment=enrollment, pk=pk, retired_at__isnull=True)
        .select_related("enrollment")
        .first()
    )


def own_shield_device(enrollment: Enrollment, device_pk: int) -> ShieldDevice | None:
    """The Shield of a device of the client's plan (by the device's id), if it is on."""
    return (
        ShieldDevice.objects.filter(
            device__enrollment=enrollment,
            device__pk=device_pk,
            device__retired_at__isnull=True,
            revoked_at__isnull=True,
        )
        .select_related("device__enrollment")
        .first()
    )


# --- this week --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryCount:
    key: str
    label: StrOrPromise
    count: int


@dataclass(frozen=True)
class NameCount:
    name: str
    count: int
    last: datetime


@dataclass(frozen=True)
class Week:
    """The last seven days on Shield, across the client's devices."""

    since: datetime
    blocked: int
    allowed: int
    categories: list[CategoryCount] = field(default_factory=list)
    names: list[NameCount] = field(default_factory=list)
    more_names: bool = False


def week(enrollment: Enrollment, now: datetime) -> Week:
    """Blocked attempts by category with their names, and allowed lookups as a number.

    Three queries whatever the history: the counts by category, the newest
    ``NAMES_READ`` blocked names (decrypted here: they are encrypted at rest), and the
    sum of the hourly counts.
    """
    since = now - WEEK
    lookups = BlockedLookup.objects.filter(
        shield_device__device__enrollment=enrollment, at__gte=since, at__lte=now
    ).exclude(category__in=NOT_ATTEMPTS)
    by_category = {
        row["category"]: row["n"]
        for row in lookups.order_by().values("category").annotate(n=Count("pk"))
    }
    categories = [
        CategoryCount(key, category_label(key), n)
        for key, n in sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    newest = list(lookups.order_by("-at", "-pk").values_list("name", "at")[: NAMES_READ + 1])
    counted: Counter[str] = Counter()
    last: dict[str, datetime] = {}
    for name, at in newest[:NAMES_READ]:
        counted[name] += 1
        last.setdefault(name, at)
    names = [NameCount(name, n, last[name]) for name, n in counted.most_common(NAMES_SHOWN)]
    allowed = HourlyCount.objects.filter(
        shield_device__device__enrollment=enrollment, hour__gte=since - timedelta(hours=1)
    ).aggregate(n=Sum("allowed"))["n"]
    return Week(
        since=since,
        blocked=sum(by_category.values()),
        allowed=int(allowed or 0),
        categories=categories,
        names=names,
        more_names=len(counted) > NAMES_SHOWN or len(newest) > NAMES_READ,
    )


# --- the client's own lists -------------------------------------------------------------------


@dataclass(frozen=True)
class OwnLists:
    blocked: list[ListEntry]
    allowed: list[ListEntry]
    requests: list[WrongBlockRequest]


REQUESTS_SHOWN = 20


def own_lists(enrollment: Enrollment) -> OwnLists:
    """The client's own block-list, the names allowed for them, and their recent requests."""
    entries = list(ListEntry.objects.filter(enrollment=enrollment).order_by("name"))
    requests = list(
        WrongBlockRequest.objects.filter(enrollment=enrollment).order_by("-created_at", "-pk")[
            :REQUESTS_SHOWN
        ]
    )
    return OwnLists(
        blocked=[e for e in entries if not e.allow],
        allowed=[e for e in entries if e.allow],
        requests=requests,
    )


def request_status(request: WrongBlockRequest) -> StrOrPromise:
    if request.decided_at is None:
        return _("Waiting for your clinician")
    return _("Allowed") if request.allowed else _("Kept blocked")


# --- Today ------------------------------------------------------------------------------------

FACT = "shield.plan_devices"


def register_facts() -> None:
    """The devices in the plan, each with whether it is on Shield (one fact, for Today)."""
    facts.register(
        FACT,
        lambda enrollment, now: facts.Rows(
            Device.objects.filter(enrollment=OuterRef("pk"), retired_at__isnull=True),
            ["id", "name", "kind", "created_at"],
            extra={
                "on_shield": Exists(
                    ShieldDevice.objects.filter(device=OuterRef("pk"), revoked_at__isnull=True)
                )
            },
        ),
    )


def device_to_set_up(known: list[Device]) -> Device | None:
    """The device Today suggests while none of the plan's is on Shield: a phone first.

    ``known``: the fact's devices, each with ``on_shield`` set.
    """
    if not known or any(bool(getattr(d, "on_shield", False)) for d in known):
        return None
    order = {"phone": 0, "tablet": 1, "computer": 2}
    return min(known, key=lambda d: (order.get(d.kind, 3), d.created_at, d.pk))
