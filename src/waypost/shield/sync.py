"""The web app's side of Shield: the snapshot the resolver reads, the counts it sends back.

``build_snapshot`` reads the devices in use and their policies (clinic settings, the
clinic's and the client's lists, urge lockdown) for ``snapshot.write``; ``record`` stores
what a resolver counted since its last flush. Both run in the resolver process, on a thread
beside its event loop, every ``FLUSH_SECONDS``: if the database is down they fail, the
resolver keeps its last snapshot and its counts, and tries again next time.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from waypost.program.models import Enrollment
from waypost.shield import blocklist, rules, snapshot
from waypost.shield.models import (
    BlockedLookup,
    ClientShield,
    ClinicShield,
    HourlyCount,
    ListEntry,
    ShieldDevice,
)

FLUSH_SECONDS = 30
DEFAULT_CATEGORIES = ("adult",)
BYPASS = "bypass"  # public DNS, DoH/DoT, VPN and proxy services (blocklist.CATEGORIES)


def clinic_categories(chosen: ClinicShield | None) -> list[str]:
    """The categories a clinic blocks: its own choice, or the default set when it has none."""
    return list((chosen.categories if chosen else None) or DEFAULT_CATEGORIES)


def clinic_safesearch(chosen: ClinicShield | None) -> str:
    """The clinic's SafeSearch level: its own choice, or strict."""
    return chosen.safesearch if chosen else rules.SafeSearch.STRICT.value


def build_snapshot(now: datetime | None = None) -> dict[str, Any]:
    """Every device in use, with its identity and policy (a fixed number of queries)."""
    now = now or timezone.now()
    devices = list(
        ShieldDevice.objects.filter(
            revoked_at__isnull=True,
            device__retired_at__isnull=True,
            device__enrollment__status=Enrollment.Status.ACTIVE,
        ).select_related("device__enrollment")
    )
    clinic_ids = {d.device.enrollment.clinic_id for d in devices}
    enrollment_ids = {d.device.enrollment_id for d in devices}
    by_clinic = {s.clinic_id: s for s in ClinicShield.objects.filter(clinic_id__in=clinic_ids)}
    bypass_blocked = set(
        ClientShield.objects.filter(
            enrollment_id__in=enrollment_ids, block_bypass=True
        ).values_list("enrollment_id", flat=True)
    )
    lists: defaultdict[tuple[str, int], dict[bool, list[str]]] = defaultdict(
        lambda: {True: [], False: []}
    )
    for entry in ListEntry.objects.filter(clinic_id__in=clinic_ids):
        assert entry.clinic_id is not None  # noqa: S101 — the query says so
        lists[("clinic", entry.clinic_id)][entry.allow].append(entry.name)
    for entry in ListEntry.objects.filter(enrollment_id__in=enrollment_ids):
        assert entry.enrollment_id is not None  # noqa: S101
        lists[("client", entry.enrollment_id)][entry.allow].append(entry.name)
    essentials = _essentials()
    out: dict[str, Any] = {}
    for shield_device in devices:
        enrollment = shield_device.device.enrollment
        chosen = by_clinic.get(enrollment.clinic_id)
        clinic_lists = lists[("clinic", enrollment.clinic_id)]
        client_lists = lists[("client", enrollment.pk)]
        until = shield_device.lockdown_until
        out[str(shield_device.pk)] = {
            "token": shield_device.token,
            "address": shield_device.linked_address,
            "categories": _categories(chosen, enrollment.pk in bypass_blocked),
            "safesearch": clinic_safesearch(chosen),
            "allow": sorted({*clinic_lists[True], *client_lists[True]}),
            "block": sorted({*clinic_lists[False], *client_lists[False]}),
            "lockdown_until": until.timestamp() if until and until > now else None,
            "essentials": essentials,
        }
    return {"version": snapshot.VERSION, "written_at": now.timestamp(), "devices": out}


def _categories(chosen: ClinicShield | None, block_bypass: bool) -> list[str]:
    """The clinic's categories, and the ways around Shield when the client's say so."""
    categories = clinic_categories(chosen)
    if block_bypass and BYPASS not in categories:
        categories.append(BYPASS)
    return categories


def _essentials() -> list[str]:
    """What resolves even in urge lockdown: Waypost itself (Get help now, the toolbox, the
    safety plan) and Shield's own name."""
    names = {urlsplit(settings.SITE_URL).hostname or "", settings.SHIELD_HOST}
    names |= {host.lstrip(".") for host in settings.ALLOWED_HOSTS if host not in ("*", "")}
    return sorted(
        name.lower() for name in names if name and not blocklist.is_address(name.strip("[]"))
    )


def record(
    allowed: dict[tuple[str, int], int],
    blocked: list[tuple[str, str, str, float]],
    last_seen: dict[str, float],
) -> None:
    """Store what a resolver counted: hourly counts, blocked lookups, last seen.

    ``allowed``: (device, hour number since the epoch) → lookups; ``blocked``: (device,
    name, category, unix time). Devices no longer known (revoked since) are skipped.
    """
    known = set(
        ShieldDevice.objects.filter(
            pk__in={int(d) for d in (*last_seen, *(d for d, _h in allowed)) if d.isdigit()}
        ).values_list("pk", flat=True)
    )
    hours: defaultdict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for (device, hour), n in allowed.items():
        if device.isdigit() and int(device) in known:
            hours[(int(device), hour)][0] += n
    lookups = []
    for device, name, category, at in blocked:
        if device.isdigit() and int(device) in known:
            hours[(int(device), int(at // 3600))][1] += 1
            lookups.append(
                BlockedLookup(
                    shield_device_id=int(device),
                    at=datetime.fromtimestamp(at, UTC),
                    name=name,
                    category=category,
                )
            )
    with transaction.atomic():
        for (device_id, hour), (n_allowed, n_blocked) in hours.items():
            start = datetime.fromtimestamp(hour * 3600, UTC)
            updated = HourlyCount.objects.filter(shield_device_id=device_id, hour=start).update(
                allowed=F("allowed") + n_allowed, blocked=F("blocked") + n_blocked
            )
            if updated:
                continue
            try:
                with transaction.atomic():  # another worker may create the same hour first
                    HourlyCount.objects.create(
                        shield_device_id=device_id,
                        hour=start,
                        allowed=n_allowed,
                        blocked=n_blocked,
                    )
            except IntegrityError:
                HourlyCount.objects.filter(shield_device_id=device_id, hour=start).update(
                    allowed=F("allowed") + n_allowed, blocked=F("blocked") + n_blocked
                )
        BlockedLookup.objects.bulk_create(lookups, batch_size=500)
        for device, seen in last_seen.items():
            if device.isdigit() and int(device) in known:
                ShieldDevice.objects.filter(pk=int(device)).update(
                    last_seen_at=datetime.fromtimestamp(seen, UTC)
                )
