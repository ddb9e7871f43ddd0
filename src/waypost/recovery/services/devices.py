"""Writes of the device plan: add a device, settle its steps, take it off the plan.

Public API for other apps (``from waypost.recovery.services import devices``)
- ``add_device(*, enrollment, by, client_uuid, name, kind) -> Device``: a retry with
  the same ``client_uuid`` adds nothing and returns the first.
- ``set_device_step(*, device, by, step, state, done_on=None) -> DeviceStep``: a step
  done on a date, not needed for this device, or open again (undo). Setting the state
  a step already has changes nothing, so a retried submission is harmless.
- ``retire_device(*, device, by) -> Device``: the device leaves the plan, its history
  stays; retiring it again changes nothing.
- ``DeviceError``: why it cannot be done, kindly.

Only the client, from Stage 2 on (``Action.LOG_RECOVERY``).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require
from waypost.core import events as core_events
from waypost.core.errors import DomainError
from waypost.recovery import device_selectors, events, selectors
from waypost.recovery.models import Device, DeviceStep

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

    from waypost.program.models import Enrollment

NAME_MAX_LENGTH = 60
STATES = ("done", "not_needed", "open")
# A date a step was done on is no earlier than this (a typo guard, not a rule of the plan).
EARLIEST = date(2000, 1, 1)


class DeviceError(DomainError):
    """The device plan cannot be changed as asked; the message says why, kindly."""

    code = "device_plan_refused"


def add_device(
    *,
    enrollment: Enrollment,
    by: User,
    client_uuid: uuid.UUID,
    name: str,
    kind: str,
    path: str = "",
    at: datetime | None = None,
) -> Device:
    """Add one of the client's devices to their plan, with every step open."""
    require(by, Action.LOG_RECOVERY, enrollment)
    now = at or timezone.now()
    stored = Device.objects.filter(enrollment=enrollment, client_uuid=client_uuid).first()
    if stored is not None:
        return stored
    clean = " ".join(str(name or "").split())
    if not clean:
        raise DeviceError(_("Please give the device a name, such as “My phone”."))
    if len(clean) > NAME_MAX_LENGTH:
        raise DeviceError(
            _("Please keep the name under %(n)d characters.") % {"n": NAME_MAX_LENGTH}
        )
    if kind not in Device.Kind.values:
        raise DeviceError(_("Please choose what kind of device it is."))
    try:
        with transaction.atomic():
            device = Device.objects.create(
                enrollment=enrollment,
                client_uuid=client_uuid,
                name=clean,
                kind=kind,
                created_at=now,
            )
            core_events.record(
                enrollment=enrollment,
                kind=events.DEVICE_CHANGED,
                actor=by,
                data={"device": clean, "kind": kind},
                at=now,
                path=path,
            )
    except IntegrityError:
        stored = Device.objects.filter(enrollment=enrollment, client_uuid=client_uuid).first()
        if stored is None:
            raise
        return stored
    return device


def set_device_step(
    *,
    device: Device,
    by: User,
    step: str,
    state: str,
    done_on: date | None = None,
    path: str = "",
    at: datetime | None = None,
) -> DeviceStep:
    """Mark one step of a device: ``done`` (on ``done_on``), ``not_needed`` or ``open`` again.

    ``done_on`` is the client's local date the step was done, today if not given;
    never a day still to come. Steps of a device taken off the plan stay as they were.
    """
    enrollment = device.enrollment
    require(by, Action.LOG_RECOVERY, enrollment)
    now = at or timezone.now()
    if device.retired_at is not None:
        raise DeviceError(
            _("This device is no longer in your plan, so its steps stay as they were.")
        )
    if step not in device_selectors.applicable_steps(device.kind):
        raise DeviceError(_("This step is not part of the plan for this kind of device."))
    if state not in STATES:
        raise DeviceError(_("Please choose done, not needed, or undo."))
    today = selectors.client_today(enrollment, now, client=by)
    if state == "done":
        done_on = done_on or today
        if done_on > today:
            raise DeviceError(_("That day has not come yet. Please choose today or a day before."))
        if done_on < EARLIEST:
            raise DeviceError(_("Please check the date."))
    values = {
        "done_on": done_on if state == "done" else None,
        "not_needed": state == "not_needed",
    }
    with transaction.atomic():
        row = DeviceStep.objects.select_for_update().filter(device=device, step=step).first()
        if row is None:
            if state == "open":
                # Never marked: already open, nothing to write.
                return DeviceStep(device=device, step=step, updated_at=now, **values)
            row = DeviceStep.objects.create(device=device, step=step, updated_at=now, **values)
        elif all(getattr(row, name) == value for name, value in values.items()):
            return row  # already so: a retry, nothing to write
        else:
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at = now
            row.save(update_fields=[*values, "updated_at"])
        core_events.record(
            enrollment=enrollment,
            kind=events.DEVICE_STEP,
            actor=by,
            data={"device": device.name, "step": step, "state": state},
            at=now,
            path=path,
        )
    return row


def retire_device(
    *, device: Device, by: User, path: str = "", at: datetime | None = None
) -> Device:
    """Take a device off the plan (given away, no longer used); its steps and history stay."""
    require(by, Action.LOG_RECOVERY, device.enrollment)
    if device.retired_at is not None:
        return device
    now = at or timezone.now()
    with transaction.atomic():
        device.retired_at = now
        device.save(update_fields=["retired_at"])
        core_events.record(
            enrollment=device.enrollment,
            kind=events.DEVICE_CHANGED,
            actor=by,
            data={"device": device.name, "kind": device.kind, "retired": True},
            at=now,
            path=path,
        )
    return device
