"""Writes of the recovery app: the daily check-in.

Public API for other apps
- ``check_in(*, enrollment, by, day, client_uuid, sober, mood, urge, sleep_hours=None,
  mindfulness_minutes=0, note="", path="", at=None)``: keep how one local day went.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require
from waypost.core import events as core_events
from waypost.core.errors import DomainError
from waypost.program.models import Enrollment
from waypost.recovery import events, selectors
from waypost.recovery.models import (
    MINUTES_MAX,
    MOOD_MAX,
    MOOD_MIN,
    SLEEP_MAX,
    URGE_MAX,
    URGE_MIN,
    CheckIn,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

NOTE_MAX_LENGTH = 2000


class CheckInError(DomainError):
    """The check-in cannot be kept as given; the message says what to change, kindly."""

    code = "check_in_refused"


def _in_range(value: object, low: int, high: int, message: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise CheckInError(message)
    return value


def _sleep(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        hours = Decimal(str(value))
    except InvalidOperation:
        hours = Decimal(-1)
    if not hours.is_finite() or not 0 <= hours <= SLEEP_MAX or (hours * 2) % 1:
        raise CheckInError(
            _("Please give your sleep in hours, from 0 to %(n)d, in half hours.") % {"n": SLEEP_MAX}
        )
    return hours.quantize(Decimal("0.1"))


def check_in(
    *,
    enrollment: Enrollment,
    by: User,
    day: date,
    client_uuid: uuid.UUID,
    sober: bool,
    mood: int,
    urge: int,
    sleep_hours: Decimal | float | int | None = None,
    mindfulness_minutes: int = 0,
    note: str = "",
    path: str = "",
    at: datetime | None = None,
) -> CheckIn:
    """Keep how ``day`` (the client's local date) went, and return the check-in.

    Only the client, from Stage 2 on (``Action.CHECK_IN``). ``day`` must be one of the
    last ``selectors.EDIT_DAYS`` local days, today included. A second check-in for the
    same day changes the first. A submission whose ``client_uuid`` was already stored
    (a retry) changes nothing and returns the check-in it stored. Nothing is written
    when anything is refused.
    """
    require(by, Action.CHECK_IN, enrollment)
    now = at or timezone.now()
    if day not in selectors.editable_days(selectors.client_today(enrollment, now, client=by)):
        raise CheckInError(
            _("A check-in can be kept for today and the two days before, not for this day.")
        )
    if not isinstance(sober, bool):
        raise CheckInError(_("Please say whether you kept your inner circle today."))
    mood = _in_range(mood, MOOD_MIN, MOOD_MAX, _("Please choose how your mood was."))
    urge = _in_range(urge, URGE_MIN, URGE_MAX, _("Please choose your strongest urge, 0 to 10."))
    minutes = _in_range(
        mindfulness_minutes,
        0,
        MINUTES_MAX,
        _("Please give your minutes of mindfulness, from 0 to %(n)d.") % {"n": MINUTES_MAX},
    )
    hours = _sleep(sleep_hours)
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise CheckInError(
            _("Please keep the note under %(n)d characters.") % {"n": NOTE_MAX_LENGTH}
        )
    values: dict[str, Any] = {
        "sober": sober,
        "mood": mood,
        "urge": urge,
        "sleep_hours": hours,
        "mindfulness_minutes": minutes,
        "note": note,
    }
    try:
        with transaction.atomic():
            return _keep(enrollment, by, day, client_uuid, values, now, path)
    except IntegrityError:
        # The same submission arrived twice at once: the other one stored it.
        stored = CheckIn.objects.filter(enrollment=enrollment, client_uuid=client_uuid).first()
        if stored is None:
            raise
        return stored


def _keep(
    enrollment: Enrollment,
    by: User,
    day: date,
    client_uuid: uuid.UUID,
    values: dict[str, Any],
    now: datetime,
    path: str,
) -> CheckIn:
    stored = CheckIn.objects.filter(enrollment=enrollment, client_uuid=client_uuid).first()
    if stored is not None:
        return stored  # a retry of a submission already kept
    existing = (
        CheckIn.objects.select_for_update().filter(enrollment=enrollment, local_date=day).first()
    )
    if existing is None:
        entry = CheckIn.objects.create(
            enrollment=enrollment,
            local_date=day,
            client_uuid=client_uuid,
            created_at=now,
            updated_at=now,
            **values,
        )
    else:
        entry = existing
        for name, value in values.items():
            setattr(entry, name, value)
        entry.client_uuid = client_uuid
        entry.updated_at = now
        entry.save(update_fields=[*values, "client_uuid", "updated_at"])
    core_events.record(
        enrollment=enrollment,
        kind=events.CHECKED_IN,
        actor=by,
        data={"day": day.isoformat(), "updated": existing is not None},
        at=now,
        path=path,
    )
    return entry
