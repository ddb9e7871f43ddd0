"""Reads of the device plan: which steps apply to which device, and how far each device is.

Which steps apply (``STEPS_BY_KIND``) is kept simple: every device gets a filter,
its apps and sites cleared and its subscriptions cancelled; what people carry and
message from (phones, tablets, computers, and "something else" to be safe) also
gets contacts, social apps and a place away from the bed at night; only a phone can
be swapped for a simple one. A step that does not fit a particular device is marked
"not needed" by the client, and counts as settled.

A device is *hardened* when each of its steps is done or not needed. The Stage 2
gate criterion "every device hardened" is met when the client has at least one
device in the plan and every device still in use is hardened.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from waypost.core import facts
from waypost.program import gates
from waypost.program.gates import GateCriterion, GateResult, Params
from waypost.recovery.models import Device, DeviceStep

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User
    from django_stubs_ext import StrOrPromise

    from waypost.program.models import Enrollment

Kind = Device.Kind
Step = DeviceStep.Step

_EVERY_DEVICE = (Step.FILTER, Step.APPS_SITES, Step.SUBSCRIPTIONS)
_PERSONAL = (*_EVERY_DEVICE, Step.CONTACTS, Step.SOCIAL, Step.NIGHT)

#: The steps of the plan for each kind of device, in the order they are shown.
STEPS_BY_KIND: dict[str, tuple[str, ...]] = {
    Kind.PHONE: (*_PERSONAL, Step.DUMB_PHONE),
    Kind.TABLET: _PERSONAL,
    Kind.COMPUTER: _PERSONAL,
    Kind.OTHER: _PERSONAL,
    Kind.CONSOLE: _EVERY_DEVICE,
    Kind.TV: _EVERY_DEVICE,
}

#: Why each step helps, in a sentence or two, for the client's checklist.
WHY: dict[str, StrOrPromise] = {
    Step.FILTER: _(
        "A filter puts a pause between an urge and what it reaches for, and a pause is "
        "often enough to choose again. Waypost's own filter, Shield, is under Journey; any "
        "filter you trust counts."
    ),
    Step.APPS_SITES: _(
        "Delete the apps, bookmarks, saved logins and browsing history that lead back. "
        "Every extra step between you and them gives the urge time to pass."
    ),
    Step.SUBSCRIPTIONS: _(
        "Cancel paid sites and services, and remove saved cards from them. Paying keeps "
        "a door open and keeps reminders coming."
    ),
    Step.CONTACTS: _(
        "Unfriend, block or delete the contacts and accounts that have been part of it. "
        "Fewer messages out of the blue means fewer hard moments."
    ),
    Step.SOCIAL: _(
        "Social apps can slide from scrolling to something else. Removing them, or keeping "
        "them only on a computer in a shared room, takes away an easy path."
    ),
    Step.NIGHT: _(
        "Late at night, alone with a screen, is when many urges come. Keep the device out "
        "of the bedroom: in a lock-box, another room, or with someone you trust."
    ),
    Step.DUMB_PHONE: _(
        "A simple phone that calls and texts but has no browser can be a relief for a "
        "while, especially early on. Keep the smartphone for when you need it, or put it away."
    ),
}


def applicable_steps(kind: str) -> tuple[str, ...]:
    """The plan's steps for a kind of device (an unknown kind gets the full personal list)."""
    return STEPS_BY_KIND.get(kind, _PERSONAL)


@dataclass(frozen=True)
class StepRow:
    """One step of one device's checklist, as the pages show it."""

    step: str
    label: StrOrPromise
    why: StrOrPromise
    done_on: date | None = None
    not_needed: bool = False

    @property
    def settled(self) -> bool:
        return self.done_on is not None or self.not_needed

    @property
    def state(self) -> str:
        if self.done_on is not None:
            return "done"
        return "not_needed" if self.not_needed else "open"


@dataclass(frozen=True)
class DevicePlan:
    """One device and its checklist."""

    device: Device
    rows: list[StepRow]

    @property
    def settled(self) -> int:
        return sum(1 for row in self.rows if row.settled)

    @property
    def done(self) -> int:
        return sum(1 for row in self.rows if row.done_on is not None)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def hardened(self) -> bool:
        return self.settled == self.total

    @property
    def percent(self) -> int:
        return round(100 * self.settled / self.total) if self.total else 100

    @property
    def retired(self) -> bool:
        return self.device.retired_at is not None


def plan_for(device: Device, steps: list[DeviceStep]) -> DevicePlan:
    """A device's checklist from its stored step rows (steps no longer applying: left out)."""
    stored = {s.step: s for s in steps}
    rows = []
    for step in applicable_steps(device.kind):
        row = stored.get(step)
        rows.append(
            StepRow(
                step=step,
                label=Step(step).label,
                why=WHY[step],
                done_on=row.done_on if row else None,
                not_needed=bool(row and row.not_needed),
            )
        )
    return DevicePlan(device, rows)


def device_plans(enrollment: Enrollment, *, retired: bool = False) -> list[DevicePlan]:
    """The client's devices in use (or, with ``retired``, those taken off the plan); one query."""
    rows = (
        Device.objects.filter(enrollment=enrollment, retired_at__isnull=not retired)
        .order_by("created_at", "pk")
        .values_list(
            "pk",
            "name",
            "kind",
            "created_at",
            "retired_at",
            "steps__step",
            "steps__done_on",
            "steps__not_needed",
        )
    )
    devices: dict[int, Device] = {}
    steps: dict[int, list[DeviceStep]] = {}
    for pk, name, kind, created_at, retired_at, step, done_on, not_needed in rows:
        if pk not in devices:
            devices[pk] = Device(
                pk=pk,
                enrollment=enrollment,
                name=name,
                kind=kind,
                created_at=created_at,
                retired_at=retired_at,
            )
            steps[pk] = []
        if step:
            steps[pk].append(DeviceStep(step=step, done_on=done_on, not_needed=bool(not_needed)))
    return [plan_for(device, steps[pk]) for pk, device in devices.items()]


def own_device(enrollment: Enrollment, pk: int) -> Device | None:
    """One of the client's devices by id, or None (someone else's is None too)."""
    return Device.objects.filter(enrollment=enrollment, pk=pk).first()


@dataclass(frozen=True)
class Progress:
    """The devices in use and how many are hardened, in one query (Today's next step)."""

    devices: int
    hardened: int

    @property
    def complete(self) -> bool:
        return self.devices > 0 and self.hardened == self.devices


def progress(
    enrollment: Enrollment,
    known: tuple[Iterable[Device], Iterable[DeviceStep]] | None = None,
) -> Progress:
    """How far the device plan is, in one query whatever the number of devices.

    ``known``: the devices in use and their settled steps, already read (Today's facts).
    """
    kinds: dict[int, str] = {}
    settled: dict[int, set[str]] = {}
    rows: Iterable[tuple[int, str | None, str | None, date | None, bool]]
    if known is None:
        rows = Device.objects.filter(enrollment=enrollment, retired_at__isnull=True).values_list(
            "pk", "kind", "steps__step", "steps__done_on", "steps__not_needed"
        )
    else:
        devices, steps = known
        rows = [(device.pk, device.kind, None, None, False) for device in devices] + [
            (step.device_id, None, step.step, step.done_on, step.not_needed) for step in steps
        ]
    for pk, kind, step, done_on, not_needed in rows:
        if kind is not None:
            kinds[pk] = kind
        settled.setdefault(pk, set())
        if step and (done_on is not None or not_needed):
            settled[pk].add(step)
    hardened = sum(1 for pk, kind in kinds.items() if set(applicable_steps(kind)) <= settled[pk])
    return Progress(devices=len(kinds), hardened=hardened)


def register_facts() -> None:
    """The devices in use and their settled steps, as Today's facts (for ``progress``)."""
    facts.register(
        "recovery.devices",
        lambda enrollment, now: facts.Rows(
            Device.objects.filter(enrollment=OuterRef("pk"), retired_at__isnull=True),
            ["id", "kind"],
        ),
    )
    facts.register(
        "recovery.device_steps",
        lambda enrollment, now: facts.Rows(
            DeviceStep.objects.filter(
                device__enrollment=OuterRef("pk"), device__retired_at__isnull=True
            ).filter(Q(done_on__isnull=False) | Q(not_needed=True)),
            ["device_id", "step", "done_on", "not_needed"],
        ),
    )


# --- the Stage 2 gate ----------------------------------------------------------------


def devices_hardened(enrollment: Enrollment, params: Params) -> GateResult:
    """Met when there is at least one device and each device in use has every step settled."""
    done = progress(enrollment)
    if done.devices == 0:
        return GateResult(False, _("No devices in the plan yet"))
    detail = ngettext(
        "%(done)d of %(n)d device hardened", "%(done)d of %(n)d devices hardened", done.devices
    ) % {"done": done.hardened, "n": done.devices}
    return GateResult(done.complete, detail)


DEVICES_HARDENED = GateCriterion(
    key="devices_hardened",
    stage=2,
    label=_("Every device hardened"),
    evaluate=devices_hardened,
)


def register_gate() -> None:
    gates.register(DEVICES_HARDENED)


# --- "download my data" --------------------------------------------------------------


def export_devices(user: User) -> dict[str, Any]:
    """The client's devices, in use and retired, with each step of their plan."""
    devices = (
        Device.objects.filter(enrollment__client=user)
        .prefetch_related("steps")
        .order_by("created_at", "pk")
    )
    out = []
    for device in devices:
        plan = plan_for(device, list(device.steps.all()))
        out.append(
            {
                "name": device.name,
                "kind": device.get_kind_display(),
                "created_at": device.created_at,
                "retired_at": device.retired_at,
                "steps": [
                    {
                        "step": str(row.label),
                        "done_on": row.done_on,
                        "not_needed": row.not_needed,
                    }
                    for row in plan.rows
                ],
            }
        )
    return {"devices": out}
