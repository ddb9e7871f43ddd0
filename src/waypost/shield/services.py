"""The client's writes to Shield: devices on it, their addresses, lockdown, their own lists.

Public API (``from waypost.shield import services``)
- ``turn_on(*, device, by) -> ShieldDevice``: the device of the plan gets Shield, with a
  fresh token; already on, nothing changes (a retried tap is harmless).
- ``new_token(*, shield_device, by) -> ShieldDevice``: a new address for the device; the
  old one stops working at once (a lost device, an address shared by mistake).
- ``link_address(*, shield_device, by, address) -> ShieldDevice``: the network the client
  is on now (its public address, as the web app sees it) is this device's (a home router).
  One address belongs to one device: taken by another, it is refused.
- ``lockdown_end(length, *, now, time_zone) -> datetime`` and
  ``start_lockdown(*, enrollment, by, length, shield_device=None) -> Lockdown``: only the
  allow-list resolves until then, on one device or on all. A lockdown is never shortened
  here: ending it early is the clinician's (``decisions``).
- ``block_name(*, enrollment, by, name) -> ListEntry``: a name on the client's own
  block-list; already there, nothing changes. Taking one off is the clinician's.
- ``ask_wrong_block(*, enrollment, by, name, note="") -> WrongBlockRequest``: "was this
  blocked by mistake?", for the clinician; asking again about a name still waiting
  returns the waiting request (no duplicate from a retried form).
- ``ShieldError``: why it cannot be done, kindly.

Each checks ``Action.MANAGE_SHIELD`` (the client from Stage 2, or their primary
clinician) first and records a timeline event (the device's name and the names asked
about are stored encrypted: they are private).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waypost.access.policy import Action, require
from waypost.core import events as core_events
from waypost.core.errors import DomainError
from waypost.recovery.days import zone_named
from waypost.shield import blocklist
from waypost.shield.models import ListEntry, ShieldDevice, WrongBlockRequest
from waypost.shield.models import new_token as token

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User
    from django_stubs_ext import StrOrPromise

    from waypost.program.models import Enrollment
    from waypost.recovery.models import Device

NOTE_MAX_LENGTH = 1000
# A client's own block-list is for a handful of names that matter to them, not a list.
OWN_LIST_MAX = 500
# How long each lockdown choice lasts; "morning" is until the next 7:00 where the client is.
LOCKDOWN_MINUTES = {"30m": 30, "1h": 60, "2h": 120}
MORNING = "morning"
MORNING_AT = time(7, 0)
LOCKDOWN_LENGTHS = (*LOCKDOWN_MINUTES, MORNING)
# A lockdown asked for again within this long of one already running is a retried tap.
_RETRY = timedelta(minutes=1)


# The timeline kinds these writes record (declared in ``event_kinds``, registered by
# ``views.client.register``). What a device is called and which names were asked about
# are private: stored encrypted, shown only to those who may read the record.
DEVICE_CHANGED = "shield.device_changed"
LOCKDOWN_STARTED = "shield.lockdown_started"
NAME_BLOCKED = "shield.name_blocked"
WRONG_BLOCK_ASKED = "shield.wrong_block_asked"
# The audit trail's subject when the clinician makes one of these changes for the client.
AUDIT_SUBJECT = "shield"


class ShieldError(DomainError):
    """Shield cannot be changed as asked; the message says why, kindly."""

    code = "shield_refused"


def _active(enrollment: Enrollment) -> Q:
    """The client's devices on Shield: not turned off, still in the device plan."""
    return Q(
        device__enrollment=enrollment, revoked_at__isnull=True, device__retired_at__isnull=True
    )


def clean_name(name: str) -> str:
    try:
        return blocklist.normalise(str(name or ""))
    except blocklist.BadLine:
        raise ShieldError(
            _("“%(name)s” is not a web address Shield can look at. Try a name like example.com.")
            % {"name": str(name or "").strip()[:80]}
        ) from None


# --- devices --------------------------------------------------------------------------------


def turn_on(
    *, device: Device, by: User, path: str = "", at: datetime | None = None
) -> ShieldDevice:
    """Put a device of the client's plan on Shield, with a fresh token.

    A device turned off earlier (``revoked_at``) comes back with a new token: the old
    address may have been shared. Already on: returned as it is.
    """
    enrollment = device.enrollment
    require(by, Action.MANAGE_SHIELD, enrollment)
    if device.retired_at is not None:
        raise ShieldError(_("This device is no longer in your device plan."))
    now = at or timezone.now()
    with transaction.atomic():
        current = ShieldDevice.objects.select_for_update().filter(device=device).first()
        if current is not None and current.revoked_at is None:
            return current
        if current is None:
            try:
                with transaction.atomic():
                    current = ShieldDevice.objects.create(device=device, created_at=now)
            except IntegrityError:
                # Turned on by another request at the same moment: that one counts.
                return ShieldDevice.objects.get(device=device)
        else:
            current.revoked_at = None
            current.token = token()
            current.last_seen_at = None
            current.silence_raised_at = None
            current.created_at = now
            current.save(
                update_fields=[
                    "revoked_at",
                    "token",
                    "last_seen_at",
                    "silence_raised_at",
                    "created_at",
                ]
            )
        core_events.record(
            enrollment=enrollment,
            kind=DEVICE_CHANGED,
            actor=by,
            data={"device": device.name, "change": "on"},
            at=now,
            path=path,
        )
    return current


def _check(shield_device: ShieldDevice, by: User) -> Enrollment:
    enrollment = shield_device.device.enrollment
    require(by, Action.MANAGE_SHIELD, enrollment)
    if shield_device.revoked_at is not None or shield_device.device.retired_at is not None:
        raise ShieldError(_("Shield is not on for this device."))
    return enrollment


def new_token(
    *, shield_device: ShieldDevice, by: User, path: str = "", at: datetime | None = None
) -> ShieldDevice:
    """Give the device a new address; the old one stops working at the next refresh (30 s)."""
    enrollment = _check(shield_device, by)
    now = at or timezone.now()
    with transaction.atomic():
        shield_device.token = token()
        # A new identity: heard from under the old address, not yet under the new one, and
        # counted as new on Shield from now (the silence check waits its usual time).
        shield_device.last_seen_at = None
        shield_device.created_at = now
        shield_device.save(update_fields=["token", "last_seen_at", "created_at"])
        core_events.record(
            enrollment=enrollment,
            kind=DEVICE_CHANGED,
            actor=by,
            data={"device": shield_device.device.name, "change": "new_address"},
            at=now,
            path=path,
        )
    return shield_device


def link_address(
    *,
    shield_device: ShieldDevice,
    by: User,
    address: str,
    path: str = "",
    at: datetime | None = None,
) -> ShieldDevice:
    """This network's public address belongs to this device (a home router) from now on.

    Refused when the address is another device's: Shield could not tell them apart.
    """
    enrollment = _check(shield_device, by)
    try:
        clean = str(ipaddress.ip_address(str(address or "").strip()))
    except ValueError:
        raise ShieldError(_("We could not see this network's address. Please try again.")) from None
    if shield_device.linked_address == clean:
        return shield_device
    taken = (
        ShieldDevice.objects.filter(linked_address=clean)
        .exclude(pk=shield_device.pk)
        .select_related("device")
        .first()
    )
    if taken is not None:
        if taken.device.enrollment_id == enrollment.pk:
            raise ShieldError(
                _(
                    "This network is already linked to your device “%(name)s”. One network "
                    "address can belong to one device only."
                )
                % {"name": taken.device.name}
            )
        raise ShieldError(
            _(
                "This network's address is already linked to another device on Shield, "
                "perhaps someone else's on the same network. One address can belong to one "
                "device only; your clinician can help."
            )
        )
    now = at or timezone.now()
    try:
        with transaction.atomic():
            shield_device.linked_address = clean
            shield_device.save(update_fields=["linked_address"])
            core_events.record(
                enrollment=enrollment,
                kind=DEVICE_CHANGED,
                actor=by,
                data={"device": shield_device.device.name, "change": "linked"},
                at=now,
                path=path,
            )
    except IntegrityError:
        shield_device.refresh_from_db(fields=["linked_address"])
        raise ShieldError(_("This network's address was just linked to another device.")) from None
    return shield_device


# --- urge lockdown --------------------------------------------------------------------------


def lockdown_end(length: str, *, now: datetime, time_zone: str) -> datetime:
    """When a lockdown of ``length`` started at ``now`` ends (UTC).

    ``"30m"``, ``"1h"``, ``"2h"``, or ``"morning"``: the next 7:00 in ``time_zone`` (before
    7:00 that is this morning's, later the next day's).
    """
    if length in LOCKDOWN_MINUTES:
        return now + timedelta(minutes=LOCKDOWN_MINUTES[length])
    if length != MORNING:
        raise ShieldError(_("Please choose how long the lockdown lasts."))
    zone = zone_named(time_zone)
    local = now.astimezone(zone)
    end = datetime.combine(local.date(), MORNING_AT, tzinfo=zone)
    if end <= local:
        end = datetime.combine(local.date() + timedelta(days=1), MORNING_AT, tzinfo=zone)
    return end.astimezone(UTC)


@dataclass(frozen=True)
class Lockdown:
    """A lockdown started: until when, and on which devices (``changed``: False for a retry)."""

    until: datetime
    devices: list[ShieldDevice]
    changed: bool


def start_lockdown(
    *,
    enrollment: Enrollment,
    by: User,
    length: str,
    time_zone: str,
    shield_device: ShieldDevice | None = None,
    path: str = "",
    at: datetime | None = None,
) -> Lockdown:
    """Only the allow-list resolves on ``shield_device`` (or on every device) until the end.

    A lockdown already running longer is kept as it is: this never shortens one.
    """
    require(by, Action.MANAGE_SHIELD, enrollment)
    now = at or timezone.now()
    until = lockdown_end(length, now=now, time_zone=time_zone)
    if shield_device is not None:
        if shield_device.device.enrollment_id != enrollment.pk:
            raise ShieldError(_("Shield is not on for this device."))
        _check(shield_device, by)
    chosen = ShieldDevice.objects.filter(_active(enrollment)).select_related("device")
    if shield_device is not None:
        chosen = chosen.filter(pk=shield_device.pk)
    with transaction.atomic():
        devices = list(chosen.select_for_update(of=("self",)))
        if not devices:
            raise ShieldError(_("Turn Shield on for a device first; then it can be locked down."))
        # A device already locked down this long (or longer, or by a tap a moment ago)
        # keeps its time: the same choice tapped twice writes nothing twice.
        later = [
            d for d in devices if d.lockdown_until is None or d.lockdown_until < until - _RETRY
        ]
        if not later:
            earliest = min(d.lockdown_until or until for d in devices)
            return Lockdown(until=earliest, devices=devices, changed=False)
        ShieldDevice.objects.filter(pk__in=[d.pk for d in later]).update(lockdown_until=until)
        for device in later:
            device.lockdown_until = until
        core_events.record(
            enrollment=enrollment,
            kind=LOCKDOWN_STARTED,
            actor=by,
            data={
                "until": until.isoformat(),
                "device": shield_device.device.name if shield_device is not None else "",
            },
            at=now,
            path=path,
        )
    return Lockdown(until=until, devices=devices, changed=True)


# --- the client's own lists -------------------------------------------------------------------


def block_name(
    *, enrollment: Enrollment, by: User, name: str, path: str = "", at: datetime | None = None
) -> ListEntry:
    """Add a name (and every name below it) to the client's own block-list."""
    require(by, Action.MANAGE_SHIELD, enrollment)
    clean = clean_name(name)
    now = at or timezone.now()
    own = ListEntry.objects.filter(enrollment=enrollment, name=clean)
    with transaction.atomic():
        stored = own.select_for_update().filter(allow=False).first()
        if stored is not None:
            return stored
        if own.filter(allow=True).exists():
            raise ShieldError(
                _(
                    "Your clinician allowed %(name)s for you, so Shield lets it through. "
                    "If you would like it blocked again, tell them."
                )
                % {"name": clean}
            )
        if ListEntry.objects.filter(enrollment=enrollment, allow=False).count() >= OWN_LIST_MAX:
            raise ShieldError(
                _("Your list is full (%(n)d names). Your clinician can help tidy it.")
                % {"n": OWN_LIST_MAX}
            )
        entry = ListEntry.objects.create(
            enrollment=enrollment, name=clean, allow=False, created_at=now
        )
        core_events.record(
            enrollment=enrollment,
            kind=NAME_BLOCKED,
            actor=by,
            data={"name": clean},
            at=now,
            path=path,
        )
    return entry


def ask_wrong_block(
    *,
    enrollment: Enrollment,
    by: User,
    name: str,
    note: str = "",
    path: str = "",
    at: datetime | None = None,
) -> WrongBlockRequest:
    """Ask the clinician whether a blocked name may be allowed; they decide."""
    require(by, Action.MANAGE_SHIELD, enrollment)
    clean = clean_name(name)
    text = str(note or "").strip()
    if len(text) > NOTE_MAX_LENGTH:
        raise ShieldError(
            _("Please keep the note under %(n)d characters.") % {"n": NOTE_MAX_LENGTH}
        )
    now = at or timezone.now()
    with transaction.atomic():
        waiting = (
            WrongBlockRequest.objects.select_for_update()
            .filter(enrollment=enrollment, name=clean, decided_at__isnull=True)
            .first()
        )
        if waiting is not None:
            return waiting
        request = WrongBlockRequest.objects.create(
            enrollment=enrollment, name=clean, note=text, created_at=now
        )
        core_events.record(
            enrollment=enrollment,
            kind=WRONG_BLOCK_ASKED,
            actor=by,
            data={"name": clean},
            at=now,
            path=path,
        )
    return request


# --- the timeline's words for these writes ----------------------------------------------------


def _device_text(data: Mapping[str, Any]) -> StrOrPromise:
    return {
        "new_address": gettext_lazy("Shield: a new address for “%(device)s”"),
        "linked": gettext_lazy("Shield: “%(device)s” linked to a network"),
    }.get(data.get("change", ""), gettext_lazy("Shield turned on for “%(device)s”"))


def _lockdown_text(data: Mapping[str, Any]) -> StrOrPromise:
    if data.get("device"):
        return gettext_lazy("Shield locked down on “%(device)s” until %(until)s")
    return gettext_lazy("Shield locked down on every device until %(until)s")


def _until(data: Mapping[str, Any]) -> dict[str, Any]:
    moment = timezone.localtime(datetime.fromisoformat(data["until"]))
    return {"until": formats.date_format(moment, "j M Y, H:i")}


def event_kinds() -> tuple[core_events.EventKind, ...]:
    return (
        core_events.EventKind(
            DEVICE_CHANGED,
            label=gettext_lazy("Shield device"),
            text=_device_text,
            audit=AUDIT_SUBJECT,
            private=("device",),
        ),
        core_events.EventKind(
            LOCKDOWN_STARTED,
            label=gettext_lazy("Shield lockdown"),
            text=_lockdown_text,
            params=_until,
            audit=AUDIT_SUBJECT,
            private=("device",),
        ),
        core_events.EventKind(
            NAME_BLOCKED,
            label=gettext_lazy("Shield block-list"),
            text=gettext_lazy("A name added to the Shield block-list"),
            audit=AUDIT_SUBJECT,
            private=("name",),
        ),
        core_events.EventKind(
            WRONG_BLOCK_ASKED,
            label=gettext_lazy("Shield: wrong block?"),
            text=gettext_lazy("Asked whether a name Shield blocked may be allowed"),
            audit=AUDIT_SUBJECT,
            private=("name",),
        ),
    )
