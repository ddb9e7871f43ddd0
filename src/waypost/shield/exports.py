"""Shield in "download my data": the client's devices on Shield and what Shield kept about them.

Across all the client's enrollments: each device on Shield (its name and kind from the
device plan, when it was turned on and off, last heard from, the last lockdown, a home
network's address), the lookups counted per device and hour, the blocked lookups with
their names (decrypted), the client's own allow- and block-lists, their "wrong block?"
requests with the clinician's decisions, and whether the usual ways around the filter
are blocked for them.

The device's token is left out: it is the device's key to Shield (the DoH path and DoT
name), and a download may be kept or sent somewhere less safe than the account. The
linked home address stays in: it is the person's own network, not a key.

Size: a device heard from every hour of a year has 8,760 hourly rows, so those are one
flat list of small rows read with ``values_list`` (no model per row), and each part of
the section is one query however many rows it has (six in all, four when there is no
device on Shield).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from waypost.core import exports
from waypost.shield.models import (
    BlockedLookup,
    ClientShield,
    HourlyCount,
    ListEntry,
    ShieldDevice,
    WrongBlockRequest,
)
from waypost.shield.selectors import CATEGORY_LABELS, request_status

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from waypost.accounts.models import User

#: A blocked lookup's category in words; beyond the pages' words, the browser's own check.
CATEGORY_WORDS: dict[str, StrOrPromise] = {
    **CATEGORY_LABELS,
    "canary": _("Your browser checking for a filter (not an attempt)"),
}


def _decision_key(request: WrongBlockRequest) -> str:
    if request.decided_at is None:
        return "waiting"
    return "allowed" if request.allowed else "kept_blocked"


def shield(user: User) -> dict[str, Any]:
    """Everything Shield keeps about ``user`` as a client, across their enrollments."""
    shield_devices = list(
        ShieldDevice.objects.filter(device__enrollment__client=user)
        .select_related("device")
        .order_by("device__created_at", "device__pk")
    )
    device_names = {s.pk: s.device.name for s in shield_devices}
    hours: list[tuple[int, Any, int, int]] = []
    blocked: list[tuple[int, Any, str, str]] = []
    if shield_devices:
        hours = list(
            HourlyCount.objects.filter(shield_device_id__in=device_names)
            .order_by("hour", "shield_device_id")
            .values_list("shield_device_id", "hour", "allowed", "blocked")
        )
        blocked = list(
            BlockedLookup.objects.filter(shield_device_id__in=device_names)
            .order_by("at", "pk")
            .values_list("shield_device_id", "at", "name", "category")
        )
    entries = list(
        ListEntry.objects.filter(enrollment__client=user)
        .order_by("created_at", "pk")
        .values_list("name", "allow", "created_at")
    )
    requests = list(
        WrongBlockRequest.objects.filter(enrollment__client=user)
        .select_related("decided_by")
        .order_by("created_at", "pk")
    )
    settings = list(
        ClientShield.objects.filter(enrollment__client=user)
        .select_related("enrollment__clinic")
        .order_by("enrollment__created_at", "enrollment__pk")
    )
    return {
        "devices": [
            {
                "device": s.device.name,
                "kind": s.device.get_kind_display(),
                "turned_on_at": s.created_at,
                "turned_off_at": s.revoked_at,
                "last_seen_at": s.last_seen_at,
                "lockdown_until": s.lockdown_until,
                "silence_noted_at": s.silence_raised_at,
                "linked_address": s.linked_address,
            }
            for s in shield_devices
        ],
        "hourly_counts": [
            {"device": device_names[pk], "hour": hour, "allowed": allowed, "blocked": blocks}
            for pk, hour, allowed, blocks in hours
        ],
        # the same counts a day at a time (UTC days), for people: a year of hours is
        # thousands of rows, so the readable copy shows these and the JSON has both
        "daily_counts": _days(device_names, hours),
        "blocked_lookups": [
            {
                "device": device_names[pk],
                "at": at,
                "name": name,
                "category": CATEGORY_WORDS.get(category, category),
                "category_key": category,
            }
            for pk, at, name, category in blocked
        ],
        "allow_list": [
            {"name": name, "created_at": created_at} for name, allow, created_at in entries if allow
        ],
        "block_list": [
            {"name": name, "created_at": created_at}
            for name, allow, created_at in entries
            if not allow
        ],
        "wrong_block_requests": [
            {
                "name": request.name,
                "note": request.note,
                "asked_at": request.created_at,
                "decision": request_status(request),
                "decision_key": _decision_key(request),
                "decided_at": request.decided_at,
                "decided_by": request.decided_by.name if request.decided_by else None,
            }
            for request in requests
        ],
        "settings": [
            {
                "clinic": setting.enrollment.clinic.name,
                "block_bypass": setting.block_bypass,
                "updated_at": setting.updated_at,
            }
            for setting in settings
        ],
    }


def _days(
    device_names: dict[int, str], hours: list[tuple[int, Any, int, int]]
) -> list[dict[str, Any]]:
    totals: dict[tuple[Any, int], list[int]] = {}
    for pk, hour, allowed, blocks in hours:  # ordered by hour, so days come in order
        day = totals.setdefault((hour.date(), pk), [0, 0])
        day[0] += allowed
        day[1] += blocks
    return [
        {"device": device_names[pk], "day": day, "allowed": allowed, "blocked": blocks}
        for (day, pk), (allowed, blocks) in totals.items()
    ]


SECTION = exports.Section(
    key="shield",
    title=_("Shield"),
    # Right after the device plan (78, "devices"): same order, and "devices" < "shield".
    order=78,
    collect=shield,
    description=_(
        "Your devices on Shield, the lookups it counted each hour, the names it blocked, "
        "your own lists and your “wrong block?” requests. A home network's address is "
        "included; each device's private Shield address is not, because it works like a key."
    ),
    machine_only=frozenset({"category_key", "decision_key", "hourly_counts"}),
    labels={
        "devices": _("Your devices on Shield"),
        "device": _("Device"),
        "kind": _("Kind"),
        "turned_on_at": _("On Shield since"),
        "turned_off_at": _("Turned off"),
        "last_seen_at": _("Last heard from"),
        "lockdown_until": _("Last lockdown until"),
        "silence_noted_at": _("Noted as not heard from (“Shield silent”)"),
        "linked_address": _("Linked home network address"),
        "hourly_counts": _("Lookups each hour"),
        "hour": _("Hour starting"),
        "daily_counts": _("Lookups each day (UTC)"),
        "day": _("Day"),
        "allowed": _("Let through"),
        "blocked": _("Blocked"),
        "blocked_lookups": _("Blocked lookups"),
        "name": _("Web address"),
        "category": _("Kind of site"),
        "category_key": _("Kind of site (for programs)"),
        "allow_list": _("Names your clinician allowed for you"),
        "block_list": _("Your own block-list"),
        "created_at": _("Added"),
        "wrong_block_requests": _("Your “wrong block?” requests"),
        "note": _("Your note"),
        "asked_at": _("Asked"),
        "decision": _("Decision"),
        "decision_key": _("Decision (for programs)"),
        "decided_at": _("Decided"),
        "decided_by": _("Decided by"),
        "settings": _("Your Shield settings"),
        "clinic": _("Clinic"),
        "block_bypass": _("Ways around the filter blocked (VPNs, proxies, other DNS)"),
        "updated_at": _("Last changed"),
    },
)


def register() -> None:
    exports.register(SECTION)
