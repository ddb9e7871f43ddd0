"""Shield's early-warning rule: a device on Shield gone quiet (``shield.device_quiet``).

Gentler and earlier than "Shield silent" (``silence``, a risk alert after the clinic's
``silence_hours``, 24 by default): when any device on Shield has not been heard from for
more than ``quiet_hours`` (12 by default), the client gets a kind nudge and the clinician
sees the rule on the caseload. The numbers are counts and hours only: never a device's
name (it is private) nor anything looked up.

Registered into the early-warnings registry from ``ShieldConfig.ready()``: Shield sits
above recovery, so it plugs in rather than being named there. ``prepare`` reads the
devices of every evaluated client in one query.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from waypost.recovery.warnings.rules import Finding, Number, Param, Rule, register
from waypost.shield.models import ShieldDevice
from waypost.shield.silence import quiet_since

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from waypost.program.models import Enrollment

_ATTRIBUTE = "_early_warning_shield"


def prepare(enrollments: Sequence[Enrollment], now: datetime) -> None:
    """(last seen or start) of each device on Shield, for every client, in one query."""
    found: dict[int, list[datetime]] = {e.pk: [] for e in enrollments}
    for enrollment_id, last_seen_at, created_at in ShieldDevice.objects.filter(
        device__enrollment_id__in=list(found),
        revoked_at__isnull=True,
        device__retired_at__isnull=True,
    ).values_list("device__enrollment_id", "last_seen_at", "created_at"):
        found[enrollment_id].append(quiet_since(last_seen_at=last_seen_at, created_at=created_at))
    for e in enrollments:
        setattr(e, _ATTRIBUTE, found[e.pk])


def evaluate(enrollment: Enrollment, params: Mapping[str, float], now: datetime) -> Finding | None:
    """Any device on Shield quiet for more than ``quiet_hours`` (exactly that: not yet)."""
    if not hasattr(enrollment, _ATTRIBUTE):
        prepare([enrollment], now)
    since: list[datetime] = getattr(enrollment, _ATTRIBUTE)
    limit = params["quiet_hours"]
    quiet = [(now - moment).total_seconds() / 3600 for moment in since]
    over = [hours for hours in quiet if hours > limit]
    if not over:
        return None
    return Finding(
        {
            "quiet_devices": len(over),
            "devices_on_shield": len(since),
            "longest_quiet_hours": round(max(over), 1),
            "quiet_hours": limit,
        }
    )


def _nudge(numbers: Mapping[str, Any]) -> StrOrPromise:
    return _(
        "One of your devices has not been in touch with Shield for a while. If the filter "
        "came off, putting it back is a kind thing to do for yourself, and your plan can help."
    )


DEVICE_QUIET = Rule(
    key="shield.device_quiet",
    label=_("A Shield device gone quiet"),
    explanation=_(
        "Looks at each device the client has on Shield. The rule fires when any of them "
        "has not been heard from for more than the chosen hours (or, never heard from, "
        "was put on Shield longer ago than that). Gentler and earlier than the "
        "“Shield silent” alert."
    ),
    params=(Param("quiet_hours", _("Hours without a lookup"), 12, 2, 168),),
    numbers=(
        Number("quiet_devices", _("devices quiet")),
        Number("devices_on_shield", _("devices on Shield")),
        Number("longest_quiet_hours", _("longest quiet (hours)")),
        Number("quiet_hours", _("hours allowed")),
    ),
    evaluate=evaluate,
    nudge=_nudge,
    prepare=prepare,
    order=50,
)


def register_rule() -> None:
    register(DEVICE_QUIET)
