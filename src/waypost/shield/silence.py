"""The silence check: a device on Shield that has gone quiet raises "Shield silent".

A device *on Shield* is one in use: its Shield identity not revoked, the device still in
the client's device plan (``recovery.Device`` not retired) and the client's enrollment
active: the devices the resolver serves (``sync.build_snapshot``).

Rules (:func:`is_silent` and :func:`check`), each tested with explicit times
(``tests/shield/test_silence.py``):

* A device is *silent* when Shield last heard from it longer ago than its clinic's
  ``ClinicShield.silence_hours`` (24 unless the clinic chose otherwise), or, never heard
  from at all, when it was put on Shield longer ago than that. Exactly that long is not
  yet silent.
* A silent device whose silence is not raised yet (``silence_raised_at`` is None) raises
  it once: a line on the client's timeline (``shield.silent``: the device's name is
  stored encrypted), an open alert in the primary clinician's risk inbox
  (``safety.services.raise_alert``, kind ``shield_silent``, with the discreet e-mail that
  names nothing), and ``silence_raised_at`` set, so the next runs raise nothing more.
* When the device is heard from again (``last_seen_at`` newer than ``silence_raised_at``)
  the mark is cleared, so a later silence raises again. The alert stays in the inbox
  until the clinician acknowledges it: it happened.

:func:`check` runs every 15 minutes (``shield.tasks``). It reads every device in use in
one query and clears every mark in one more, whatever the number of devices; each device
that has newly gone silent then costs the same few writes (claimed first with a
conditional ``update``, so two workers never raise the same silence twice).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from waypost.core import events
from waypost.core.events import EventKind
from waypost.program.models import Enrollment
from waypost.safety.services import raise_alert
from waypost.shield.models import ClinicShield, ShieldDevice

if TYPE_CHECKING:
    from django.db.models import QuerySet

#: A clinic without its own ``ClinicShield`` row: silent after this many hours (the
#: model's own default, so a new row and no row agree).
DEFAULT_HOURS: int = ClinicShield._meta.get_field("silence_hours").default
#: The timeline kind and the risk alert's kind.
SILENT = "shield.silent"
ALERT_KIND = "shield_silent"
#: Where a silent device sorts in the risk inbox (``RiskAlert.severity``, 0–100): a
#: device that went quiet is a question to ask the client, not a danger sign, so it comes
#: after every answer about someone's safety rather than with the most severe (where an
#: alert without a severity would go).
SEVERITY = 0


# --- the rule itself (pure) -------------------------------------------------------------


def quiet_since(*, last_seen_at: datetime | None, created_at: datetime) -> datetime:
    """Since when Shield has not heard from the device: its last lookup, else its start."""
    return last_seen_at if last_seen_at is not None else created_at


def is_silent(
    *, last_seen_at: datetime | None, created_at: datetime, hours: int, now: datetime
) -> bool:
    """Not heard from for longer than ``hours`` (or never, and put on Shield longer ago)."""
    return now - quiet_since(last_seen_at=last_seen_at, created_at=created_at) > timedelta(
        hours=hours
    )


def duration_words(hours: int) -> str:
    """ "5 hours", "1 day", "3 days": how long a device has been quiet, in whole units."""
    if hours < 24:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    days = hours // 24
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


# --- what the database says -------------------------------------------------------------


def hours_expression() -> Coalesce:
    """The device's clinic's ``silence_hours`` (or the default), as an annotation."""
    chosen = ClinicShield.objects.filter(clinic_id=OuterRef("device__enrollment__clinic_id"))
    return Coalesce(
        Subquery(chosen.values("silence_hours")[:1], output_field=IntegerField()),
        Value(DEFAULT_HOURS),
        output_field=IntegerField(),
    )


def in_use() -> QuerySet[ShieldDevice]:
    """Devices on Shield: the ones the resolver serves (``sync.build_snapshot``)."""
    return ShieldDevice.objects.filter(
        revoked_at__isnull=True,
        device__retired_at__isnull=True,
        device__enrollment__status=Enrollment.Status.ACTIVE,
    )


@dataclass
class CheckResult:
    """What one run did: marks cleared (heard from again) and devices newly raised."""

    cleared: int = 0
    raised: list[int] = field(default_factory=list)


def check(
    now: datetime | None = None,
    *,
    notify: bool = True,
    enrollment_ids: Collection[int] | None = None,
) -> CheckResult:
    """Clear the marks of devices heard from again, then raise each newly silent device.

    ``notify=False`` raises the alerts without e-mailing the clinician (demo data,
    backdated). ``enrollment_ids`` limits the run to those clients' devices.
    """
    now = now or timezone.now()
    result = CheckResult()
    heard_again = ShieldDevice.objects.filter(
        silence_raised_at__isnull=False, last_seen_at__gt=F("silence_raised_at")
    )
    candidates = in_use().filter(silence_raised_at__isnull=True)
    if enrollment_ids is not None:
        heard_again = heard_again.filter(device__enrollment_id__in=enrollment_ids)
        candidates = candidates.filter(device__enrollment_id__in=enrollment_ids)
    result.cleared = heard_again.update(silence_raised_at=None)
    for shield_device in candidates.select_related("device__enrollment__clinic").annotate(
        silence_hours=hours_expression()
    ):
        hours: int = shield_device.silence_hours
        if not is_silent(
            last_seen_at=shield_device.last_seen_at,
            created_at=shield_device.created_at,
            hours=hours,
            now=now,
        ):
            continue
        if _raise(shield_device, now=now, notify=notify):
            result.raised.append(shield_device.pk)
    return result


def _raise(shield_device: ShieldDevice, *, now: datetime, notify: bool) -> bool:
    """Raise one device's silence, unless another run just did; returns whether it did."""
    device = shield_device.device
    enrollment = device.enrollment
    since = quiet_since(
        last_seen_at=shield_device.last_seen_at, created_at=shield_device.created_at
    )
    hours = max(0, int((now - since).total_seconds() // 3600))
    never = shield_device.last_seen_at is None
    with transaction.atomic():
        claimed = ShieldDevice.objects.filter(
            pk=shield_device.pk, silence_raised_at__isnull=True
        ).update(silence_raised_at=now)
        if not claimed:
            return False
        events.record(
            enrollment=enrollment,
            kind=SILENT,
            actor=None,
            data={"device": device.name, "hours": hours, "never": never},
            at=now,
        )
        # Stored as words for the clinician (encrypted), in the clinic's language.
        with translation.override(enrollment.clinic.default_language or settings.LANGUAGE_CODE):
            raise_alert(
                enrollment=enrollment,
                kind=ALERT_KIND,
                summary=_alert_summary(device.name, hours, never=never),
                source_label=_("Shield"),
                source_url=reverse("caseload:record", args=[enrollment.pk]) + "#shield",
                at=now,
                notify=notify,
                severity=SEVERITY,
            )
    shield_device.silence_raised_at = now
    return True


def _alert_summary(name: str, hours: int, *, never: bool) -> str:
    words = {"device": name, "duration": duration_words(hours)}
    if never:
        return (
            _(
                "A device (“%(device)s”) was put on Shield %(duration)s ago and has not used "
                "it yet: it may not be set up, or it may have been removed or bypassed."
            )
            % words
        )
    return (
        _(
            "A device (“%(device)s”) has not used Shield for %(duration)s: it may have been "
            "removed or bypassed."
        )
        % words
    )


# --- the timeline ------------------------------------------------------------------------


def _silent_text(data: Mapping[str, Any]) -> Any:
    if data.get("never"):
        return gettext_lazy("Shield silent: “%(device)s” has not used Shield since it was added")
    return gettext_lazy("Shield silent: “%(device)s” has not used Shield for %(duration)s")


def _silent_params(data: Mapping[str, Any]) -> dict[str, Any]:
    return {"duration": duration_words(int(data["hours"]))}


KINDS = (
    # Raised by the system: no one to audit. The device's name is private (encrypted).
    EventKind(
        SILENT,
        label=gettext_lazy("Shield silent"),
        text=_silent_text,
        params=_silent_params,
        private=("device",),
    ),
)
