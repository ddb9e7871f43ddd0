"""Reads for the clinician's and allies' side of Shield.

- :func:`record_card`: the record's Shield card: each device on Shield with its status,
  blocked attempts per day and category for the last fortnight (the client's own days),
  and the "wrong block?" requests. Three queries, whatever the history.
- :func:`blocked_names`: the names behind those numbers, for the page a clinician opens on
  purpose (the view audits it). One query.
- :func:`caseload_devices`: devices on Shield and how many are silent, for every listed
  client in one query (the caseload column).
- :func:`ally_view`: what the "Shield alerts" scope shares: each device's status and the
  recent silences; never a blocked name, never a number of blocked attempts. Two queries.

Blocked *attempts* leave out what a person did not try: Firefox's automatic check
(``canary``) and everything a device looks up while in lockdown (``lockdown``: most of it
is apps working in the background).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from waypost.core.models import TimelineEvent
from waypost.recovery.selectors import client_time_zone
from waypost.shield import silence
from waypost.shield.models import (
    SILENCE_HOURS_MIN,
    BlockedLookup,
    ClientShield,
    ShieldDevice,
    WrongBlockRequest,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django_stubs_ext import StrOrPromise

    from waypost.program.models import Enrollment

#: The consent scope of an ally's "Shield alerts" section.
ALLY_SCOPE = "shield"
#: The record card's fortnight, and how far back an ally sees silences.
RECORD_DAYS = 14
ALLY_DAYS = 30
#: At most this many blocked lookups are read for the names page (newest first).
NAMES_READ = 2000
#: Requests shown on the card: every waiting one, and those decided within the fortnight.
REQUESTS_SHOWN = 20
NOT_ATTEMPTS = ("canary", "lockdown")
CATEGORY_LABELS: dict[str, StrOrPromise] = {
    "adult": _("Adult"),
    "dating": _("Dating"),
    "gambling": _("Gambling"),
    "bypass": _("Ways around the filter"),
    "social": _("Social media"),
    "custom": _("Names on a block-list"),
}
#: How dark each category's part of a day's column is (the chart's one colour).
SHADES = ("1", "0.7", "0.5", "0.35", "0.25", "0.18")
CHART_HEIGHT = 80
COLUMN_WIDTH = 20


def category_label(key: str) -> str:
    return str(CATEGORY_LABELS.get(key, key))


# --- device status ------------------------------------------------------------------------


@dataclass(frozen=True)
class DeviceStatus:
    """One device on Shield as the clinician (and, with consent, an ally) sees it."""

    shield: ShieldDevice
    silent: bool
    since: datetime  # since when it has been quiet: its last lookup, else when put on Shield
    hours: int  # the clinic's silence limit
    now: datetime

    @property
    def name(self) -> str:
        return self.shield.device.name

    @property
    def kind_label(self) -> str:
        return str(self.shield.device.get_kind_display())

    @property
    def heard(self) -> bool:
        return self.shield.last_seen_at is not None

    @property
    def last_seen_at(self) -> datetime | None:
        return self.shield.last_seen_at

    @property
    def locked_until(self) -> datetime | None:
        until = self.shield.lockdown_until
        return until if until is not None and until > self.now else None

    @property
    def quiet_for(self) -> str:
        """How long it has been silent, in words ("3 days")."""
        return silence.duration_words(int((self.now - self.since).total_seconds() // 3600))


def _statuses(devices: QuerySet[ShieldDevice], now: datetime) -> list[DeviceStatus]:
    out = []
    for shield_device in devices.select_related("device").annotate(
        silence_hours=silence.hours_expression()
    ):
        hours: int = shield_device.silence_hours
        out.append(
            DeviceStatus(
                shield=shield_device,
                silent=silence.is_silent(
                    last_seen_at=shield_device.last_seen_at,
                    created_at=shield_device.created_at,
                    hours=hours,
                    now=now,
                ),
                since=silence.quiet_since(
                    last_seen_at=shield_device.last_seen_at, created_at=shield_device.created_at
                ),
                hours=hours,
                now=now,
            )
        )
    return out


def _on_shield(enrollment: Enrollment) -> QuerySet[ShieldDevice]:
    """The client's devices on Shield (not revoked, still in the device plan), oldest first."""
    return ShieldDevice.objects.filter(
        device__enrollment=enrollment, revoked_at__isnull=True, device__retired_at__isnull=True
    ).order_by("created_at", "pk")


# --- the record card ----------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """One category's part of one day's column in the chart (SVG user units)."""

    y: int
    height: int
    shade: str


@dataclass(frozen=True)
class DayRow:
    day: date
    counts: list[int]  # in the order of ``ShieldCard.categories``
    total: int
    x: int
    segments: list[Segment]

    @property
    def label(self) -> str:
        return formats.date_format(self.day, "D j M")

    @property
    def short(self) -> str:
        return str(self.day.day)


@dataclass(frozen=True)
class CategoryTotal:
    key: str
    label: str
    total: int
    shade: str


@dataclass(frozen=True)
class ShieldCard:
    devices: list[DeviceStatus]
    days: list[DayRow]  # oldest first
    categories: list[CategoryTotal]  # those with any attempt in the fortnight
    total: int
    blocked_by_device: dict[int, int]
    waiting: list[WrongBlockRequest]
    decided: list[WrongBlockRequest]
    zone: str
    block_bypass: bool = False  # the ways around Shield are blocked for this client

    @property
    def silent(self) -> int:
        return sum(1 for status in self.devices if status.silent)

    @property
    def device_rows(self) -> list[tuple[DeviceStatus, int]]:
        """Each device with its blocked attempts in the fortnight."""
        return [(s, self.blocked_by_device.get(s.shield.pk, 0)) for s in self.devices]

    @property
    def chart_width(self) -> int:
        return COLUMN_WIDTH * len(self.days)

    @property
    def chart_height(self) -> int:
        return CHART_HEIGHT + 14  # the bars, then a line for the day numbers

    @property
    def label_y(self) -> int:
        return CHART_HEIGHT + 11


def fortnight(today: date, zone: str) -> tuple[list[date], datetime]:
    """The card's days, oldest first, and the moment the first began (client's zone)."""
    days = [today - timedelta(days=n) for n in range(RECORD_DAYS - 1, -1, -1)]
    return days, datetime.combine(days[0], time(), tzinfo=ZoneInfo(zone))


def record_card(enrollment: Enrollment, now: datetime) -> ShieldCard:
    """Everything the record's Shield card shows, in four queries whatever the history.

    ``enrollment`` must come with its client and clinic (``record_of_client`` loads them):
    the days are the client's own.
    """
    zone = client_time_zone(enrollment)
    today = now.astimezone(ZoneInfo(zone)).date()
    days, start = fortnight(today, zone)
    devices = _statuses(_on_shield(enrollment), now)
    counted = (
        BlockedLookup.objects.filter(shield_device__device__enrollment=enrollment, at__gte=start)
        .exclude(category__in=NOT_ATTEMPTS)
        .annotate(day=TruncDate("at", tzinfo=ZoneInfo(zone)))
        .order_by()
        .values_list("shield_device_id", "day", "category")
        .annotate(n=Count("id"))
    )
    per_day: dict[tuple[date, str], int] = {}
    per_device: dict[int, int] = {}
    per_category: dict[str, int] = {}
    for device_id, day, category, n in counted:
        per_day[(day, category)] = per_day.get((day, category), 0) + n
        per_device[device_id] = per_device.get(device_id, 0) + n
        per_category[category] = per_category.get(category, 0) + n
    order = [key for key in CATEGORY_LABELS if key in per_category] + sorted(
        key for key in per_category if key not in CATEGORY_LABELS
    )
    categories = [
        CategoryTotal(key, category_label(key), per_category[key], SHADES[min(i, len(SHADES) - 1)])
        for i, key in enumerate(order)
    ]
    rows = _day_rows(days, categories, per_day)
    requests = list(
        WrongBlockRequest.objects.filter(enrollment=enrollment)
        .filter(Q(decided_at__isnull=True) | Q(decided_at__gte=start))
        .select_related("decided_by")
        .order_by(F("decided_at").desc(nulls_first=True), "-created_at", "-pk")[:REQUESTS_SHOWN]
    )
    return ShieldCard(
        devices=devices,
        days=rows,
        categories=categories,
        total=sum(per_category.values()),
        blocked_by_device=per_device,
        waiting=[r for r in requests if r.decided_at is None],
        decided=[r for r in requests if r.decided_at is not None],
        zone=zone,
        block_bypass=ClientShield.objects.filter(enrollment=enrollment, block_bypass=True).exists(),
    )


def _day_rows(
    days: list[date], categories: list[CategoryTotal], per_day: dict[tuple[date, str], int]
) -> list[DayRow]:
    """Each day's counts and its stacked column, scaled to the fortnight's busiest day."""
    totals = [sum(per_day.get((day, c.key), 0) for c in categories) for day in days]
    busiest = max(totals, default=0) or 1
    rows = []
    for i, day in enumerate(days):
        counts = [per_day.get((day, c.key), 0) for c in categories]
        segments = []
        top = CHART_HEIGHT
        for category, n in zip(categories, counts, strict=True):
            if not n:
                continue
            height = max(2, round(CHART_HEIGHT * n / busiest))
            top -= height
            segments.append(Segment(y=max(top, 0), height=height, shade=category.shade))
        rows.append(
            DayRow(
                day=day,
                counts=counts,
                total=totals[i],
                x=i * COLUMN_WIDTH + 3,
                segments=segments,
            )
        )
    return rows


# --- the blocked names --------------------------------------------------------------------


@dataclass
class BlockedName:
    name: str
    category: str
    times: int
    last_at: datetime
    devices: list[str]


@dataclass(frozen=True)
class BlockedNames:
    names: list[BlockedName]  # the most recent first
    lookups: int  # blocked lookups read
    complete: bool  # False: there were more than NAMES_READ; the oldest are left out
    since: datetime


def blocked_names(enrollment: Enrollment, now: datetime) -> BlockedNames:
    """The names blocked for the client in the card's fortnight, one line per name.

    Names are stored encrypted, so they are grouped here rather than in the database; at
    most ``NAMES_READ`` lookups are read, the newest. One query.
    """
    zone = client_time_zone(enrollment)
    _days, since = fortnight(now.astimezone(ZoneInfo(zone)).date(), zone)
    lookups = list(
        BlockedLookup.objects.filter(shield_device__device__enrollment=enrollment, at__gte=since)
        .exclude(category__in=NOT_ATTEMPTS)
        .select_related("shield_device__device")
        .order_by("-at", "-pk")[: NAMES_READ + 1]
    )
    complete = len(lookups) <= NAMES_READ
    grouped: dict[tuple[str, str], BlockedName] = {}
    for lookup in lookups[:NAMES_READ]:
        key = (lookup.name, lookup.category)
        device = lookup.shield_device.device.name
        found = grouped.get(key)
        if found is None:
            grouped[key] = BlockedName(
                lookup.name, category_label(lookup.category), 1, lookup.at, [device]
            )
            continue
        found.times += 1
        if device not in found.devices:
            found.devices.append(device)
    return BlockedNames(list(grouped.values()), min(len(lookups), NAMES_READ), complete, since)


# --- the caseload -------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseloadShield:
    on_shield: int
    silent: int


def caseload_devices(enrollments: Sequence[Enrollment], now: datetime) -> dict[int, CaseloadShield]:
    """For each listed client with devices on Shield: how many, and how many are silent.

    One query for the whole list.
    """
    found: dict[int, list[int]] = {}
    rows = (
        ShieldDevice.objects.filter(
            device__enrollment_id__in=[e.pk for e in enrollments],
            revoked_at__isnull=True,
            device__retired_at__isnull=True,
        )
        .annotate(silence_hours=silence.hours_expression())
        .values_list("device__enrollment_id", "last_seen_at", "created_at", "silence_hours")
    )
    for enrollment_id, last_seen_at, created_at, hours in rows:
        counts = found.setdefault(enrollment_id, [0, 0])
        counts[0] += 1
        if silence.is_silent(
            last_seen_at=last_seen_at, created_at=created_at, hours=hours, now=now
        ):
            counts[1] += 1
    return {pk: CaseloadShield(n, silent) for pk, (n, silent) in found.items()}


def with_silent_device(listed: QuerySet[Enrollment], now: datetime) -> set[int]:
    """The listed clients with a device on Shield gone silent (as ``caseload_devices``
    counts it), in one query: a few fields per device, no model."""
    rows = (
        ShieldDevice.objects.filter(
            device__enrollment__in=listed,
            revoked_at__isnull=True,
            device__retired_at__isnull=True,
        )
        # Heard from within the shortest silence a clinic may choose: not silent, and
        # passed over in the database (most devices, most of the time).
        .annotate(quiet_since=Coalesce("last_seen_at", "created_at"))
        .filter(quiet_since__lt=now - timedelta(hours=SILENCE_HOURS_MIN))
        .annotate(silence_hours=silence.hours_expression())
        .values_list("device__enrollment_id", "last_seen_at", "created_at", "silence_hours")
    )
    return {
        enrollment_id
        for enrollment_id, last_seen_at, created_at, hours in rows
        if silence.is_silent(last_seen_at=last_seen_at, created_at=created_at, hours=hours, now=now)
    }


# --- an ally's section ----------------------------------------------------------------------


@dataclass(frozen=True)
class Silence:
    """One raised silence: since when the device was quiet (or put on Shield, if never heard)."""

    since: datetime
    device: str
    never: bool


@dataclass(frozen=True)
class AllyView:
    devices: list[DeviceStatus]
    silences: list[Silence]  # newest first
    days: int = ALLY_DAYS


def ally_view(enrollment: Enrollment, now: datetime) -> AllyView:
    """Each device's status and the silences of the last ``ALLY_DAYS`` days: two queries."""
    events = TimelineEvent.objects.filter(
        enrollment=enrollment,
        kind=silence.SILENT,
        created_at__gte=now - timedelta(days=ALLY_DAYS),
    ).order_by("-created_at", "-id")
    return AllyView(
        devices=_statuses(_on_shield(enrollment), now),
        silences=[
            Silence(
                since=event.created_at - timedelta(hours=int(event.data.get("hours", 0))),
                device=str(event.private_data.get("device", "")),
                never=bool(event.data.get("never")),
            )
            for event in events
        ],
    )
