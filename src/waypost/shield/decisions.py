"""The clinician's writes on Shield: deciding "wrong block?" requests, ending a lockdown early.

Public API (``from waypost.shield import decisions``)
- ``decide_request(*, wrong_block, by, allow, path="", at=None) -> WrongBlockRequest``:
  the primary clinician allows the name for the client (a ``ListEntry(allow=True)`` of
  the client's, in the resolver's next snapshot) or keeps it blocked, and the request is
  closed. The same decision again (a double click, a retry) changes nothing; the other
  decision on a request already decided is refused, kindly.
- ``end_lockdown(*, shield_device, by, path="", at=None) -> ShieldDevice``: the device's
  urge lockdown ends now. A device not (or no longer) in lockdown is left as it is.
- ``set_block_bypass(*, enrollment, by, on, path="", at=None) -> ClientShield``: block
  the usual ways around Shield (public DNS, VPN, proxies) for this client, or stop.
- ``DecisionError``: why it cannot be done.

Both are the clinician's only (``Action.ALLOW_SHIELD_NAME``: the primary clinician, from
Stage 2 on): a hard moment must not be able to open the filter, which is why the client
can ask for a name but not allow it, and can start a lockdown but not end it early. Each
writes a line on the client's timeline (names and devices encrypted) and the audit entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waypost.access.policy import Action, require
from waypost.core import events
from waypost.core.errors import DomainError
from waypost.core.events import EventKind
from waypost.shield import blocklist
from waypost.shield.models import ClientShield, ListEntry, ShieldDevice, WrongBlockRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

    from waypost.program.models import Enrollment

REQUEST_DECIDED = "shield.request_decided"
BYPASS_CHANGED = "shield.bypass_changed"
LOCKDOWN_ENDED = "shield.lockdown_ended"
# audit-trail subject of both (a change to what Shield lets through for the client)
AUDIT_SUBJECT = "shield decisions"


class DecisionError(DomainError):
    """The decision cannot be made as asked; the message says why."""

    code = "shield_decision_refused"


def decide_request(
    *,
    wrong_block: WrongBlockRequest,
    by: User,
    allow: bool,
    path: str = "",
    at: datetime | None = None,
) -> WrongBlockRequest:
    """Allow the asked-for name for the client, or keep it blocked; close the request."""
    enrollment = wrong_block.enrollment
    require(by, Action.ALLOW_SHIELD_NAME, enrollment)
    now = at or timezone.now()
    name = wrong_block.name
    if allow:
        try:
            name = blocklist.normalise(name)
        except blocklist.BadLine:
            raise DecisionError(
                _("“%(name)s” is not a name Shield can allow. Please keep it blocked.")
                % {"name": wrong_block.name}
            ) from None
    with transaction.atomic():
        claimed = WrongBlockRequest.objects.filter(
            pk=wrong_block.pk, decided_at__isnull=True
        ).update(decided_at=now, decided_by=by, allowed=allow)
        if not claimed:
            stored = WrongBlockRequest.objects.get(pk=wrong_block.pk)
            if stored.allowed is allow:
                return stored  # the same decision, made a moment ago: nothing to do
            raise DecisionError(
                _("This request was already decided: the name was %(what)s.")
                % {"what": _("allowed") if stored.allowed else _("kept blocked")}
            )
        if (
            allow
            and not ListEntry.objects.filter(enrollment=enrollment, name=name, allow=True).exists()
        ):
            ListEntry.objects.create(enrollment=enrollment, name=name, allow=True, created_at=now)
        events.record(
            enrollment=enrollment,
            kind=REQUEST_DECIDED,
            actor=by,
            data={"allowed": allow, "name": name},
            at=now,
            path=path,
        )
    wrong_block.decided_at, wrong_block.decided_by, wrong_block.allowed = now, by, allow
    return wrong_block


def end_lockdown(
    *, shield_device: ShieldDevice, by: User, path: str = "", at: datetime | None = None
) -> ShieldDevice:
    """End the device's urge lockdown now: Shield follows its usual lists again."""
    device = shield_device.device
    require(by, Action.ALLOW_SHIELD_NAME, device.enrollment)
    now = at or timezone.now()
    with transaction.atomic():
        ended = ShieldDevice.objects.filter(pk=shield_device.pk, lockdown_until__gt=now).update(
            lockdown_until=now
        )
        if not ended:
            return shield_device  # not in lockdown (any more): nothing to end
        events.record(
            enrollment=device.enrollment,
            kind=LOCKDOWN_ENDED,
            actor=by,
            data={"device": device.name},
            at=now,
            path=path,
        )
    shield_device.lockdown_until = now
    return shield_device


def set_block_bypass(
    *, enrollment: Enrollment, by: User, on: bool, path: str = "", at: datetime | None = None
) -> ClientShield:
    """Block, or stop blocking, the usual ways around Shield for this client.

    Public DNS, DoH/DoT resolvers, VPN and proxy services (the ``bypass`` category of the
    lists). Turning it on tightens the filter (``MANAGE_SHIELD``: the client or their
    clinician); turning it off loosens it, so only the clinician may
    (``ALLOW_SHIELD_NAME``). The same setting again changes nothing.
    """
    require(by, Action.MANAGE_SHIELD if on else Action.ALLOW_SHIELD_NAME, enrollment)
    now = at or timezone.now()
    with transaction.atomic():
        chosen, _created = ClientShield.objects.select_for_update().get_or_create(
            enrollment=enrollment, defaults={"block_bypass": False, "updated_at": now}
        )
        if chosen.block_bypass == on:
            return chosen
        chosen.block_bypass, chosen.updated_at = on, now
        chosen.save(update_fields=["block_bypass", "updated_at"])
        events.record(
            enrollment=enrollment, kind=BYPASS_CHANGED, actor=by, data={"on": on}, at=now, path=path
        )
    return chosen


# --- the timeline ------------------------------------------------------------------------


def _decided_text(data: Mapping[str, Any]) -> Any:
    if data.get("allowed"):
        return gettext_lazy("Shield: “%(name)s” allowed by the clinician, as the client asked")
    return gettext_lazy("Shield: “%(name)s” kept blocked after the client asked")


def _bypass_text(data: Mapping[str, Any]) -> Any:
    if data.get("on"):
        return gettext_lazy("Shield: the usual ways around the filter are blocked now")
    return gettext_lazy("Shield: the usual ways around the filter are no longer blocked")


KINDS = (
    EventKind(
        BYPASS_CHANGED,
        label=gettext_lazy("Shield: ways around the filter"),
        text=_bypass_text,
        audit=AUDIT_SUBJECT,
    ),
    EventKind(
        REQUEST_DECIDED,
        label=gettext_lazy("Shield: wrong-block request decided"),
        text=_decided_text,
        audit=AUDIT_SUBJECT,
        private=("name",),
    ),
    EventKind(
        LOCKDOWN_ENDED,
        label=gettext_lazy("Shield: lockdown ended early"),
        text=gettext_lazy("Shield: the lockdown of “%(device)s” ended early by the clinician"),
        audit=AUDIT_SUBJECT,
        private=("device",),
    ),
)
