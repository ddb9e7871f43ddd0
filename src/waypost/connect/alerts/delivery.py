"""Sending allies their alerts: at once, or grouped into one digest e-mail per ally.

Two ways out, both through :func:`_send`:

- :func:`deliver` sends one alert that is due at once (an urgent kind, or an ally who
  chose "straight away"); ``services.raise_alerts`` queues it when the alert is raised.
- :func:`send_due` runs every 15 minutes (``tasks.py``): every waiting alert whose time
  has come (``rhythm.py``), grouped into one e-mail per ally. It also sends what the
  first way held back (quiet hours, a failed send).

At send time, in this order:

1. **Consent, again.** An alert whose link has ended or whose scope the client has
   withdrawn is dropped, never sent (asked of the access policy, ``VIEW_SHARED``). It
   is asked once more after the claim, just before the e-mail, so a withdrawal a
   moment ago still wins.
2. **The ally's choices** (``accounts.notifications``): no address or a closed account,
   and the alerts are marked not mailed (they stay on the ally's Updates page); in the
   ally's quiet hours they wait, but for urgent kinds: a request for support goes at
   any hour, and the client is told so.
3. **A claim**: a conditional ``update`` from waiting to sent, with a token of this
   run; only what this run claimed goes into its e-mail, so two workers never send
   the same alert twice.
4. **A discreet e-mail**: the subject is always "Waypost: an update from someone you
   support"; the body names the person and says there is an update (or that they
   asked for support), with a link behind sign-in. No clinical word, no detail.

A send that fails puts its alerts back to waiting; the next run tries again.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypost.access.policy import Action, can
from waypost.accounts import notifications
from waypost.connect.alerts import registry, rhythm, selectors
from waypost.connect.alerts.models import AllyAlert

if TYPE_CHECKING:
    from waypost.accounts.models import User

logger = logging.getLogger(__name__)

_RELATED = (
    "event",
    "link__ally",
    "link__alert_preference",
    "link__enrollment__client",
    "link__enrollment__clinic",
)


@dataclass
class DeliveryResult:
    """What one run did, for the task's log."""

    mails: int = 0
    sent: int = 0
    dropped: int = 0
    not_mailed: int = 0
    waiting: int = 0
    failed: int = 0
    allies: set[int] = field(default_factory=set)

    def as_dict(self) -> dict[str, int]:
        return {
            "mails": self.mails,
            "sent": self.sent,
            "dropped": self.dropped,
            "not_mailed": self.not_mailed,
            "waiting": self.waiting,
            "failed": self.failed,
        }


def subject() -> str:
    """The subject of every e-mail to an ally: the same, whatever the news."""
    return _("Waypost: an update from someone you support")


def deliver(*, alert_id: int, now: datetime | None = None) -> DeliveryResult:
    """Send one alert that is due at once, if it still waits and may still be sent."""
    now = now or timezone.now()
    result = DeliveryResult()
    alert = (
        AllyAlert.objects.filter(pk=alert_id, status=AllyAlert.Status.PENDING)
        .select_related(*_RELATED)
        .first()
    )
    if alert is None:
        return result
    if not _allowed(alert):
        result.dropped += _drop([alert.pk], now)
        return result
    kind = registry.get(alert.kind)
    if kind is None or not (kind.urgent or selectors.rhythm_of(alert.link) == rhythm.IMMEDIATE):
        # The ally changed to a digest since it was raised: the digest takes it.
        return result
    _send([alert], now=now, result=result)
    return result


def send_due(*, now: datetime | None = None) -> DeliveryResult:
    """Send every waiting alert whose time has come, one e-mail per ally; drop the rest of
    what consent no longer allows."""
    now = now or timezone.now()
    result = DeliveryResult()
    waiting = AllyAlert.objects.filter(status=AllyAlert.Status.PENDING).select_related(*_RELATED)
    due: dict[int, list[AllyAlert]] = defaultdict(list)
    dropped: list[int] = []
    allies: dict[int, User] = {}
    for alert in waiting.order_by("raised_at", "pk"):
        # One object per ally, so the access policy loads each ally's roles once.
        alert.link.ally = allies.setdefault(alert.link.ally_id, alert.link.ally)
        if not _allowed(alert):
            dropped.append(alert.pk)
            continue
        if _is_due(alert, now):
            due[alert.link.ally_id].append(alert)
        else:
            result.waiting += 1
    result.dropped += _drop(dropped, now)
    for alerts in due.values():
        _send(alerts, now=now, result=result)
    return result


def _is_due(alert: AllyAlert, now: datetime) -> bool:
    kind = registry.get(alert.kind)
    if kind is None:
        return False  # its app is gone: it waits, shown nowhere, until the app is back
    chosen = rhythm.IMMEDIATE if kind.urgent else selectors.rhythm_of(alert.link)
    zone = notifications.zone_of(alert.link.ally, alert.link.enrollment.clinic.time_zone)
    return rhythm.is_due(chosen, alert.raised_at, zone, now)


def _allowed(alert: AllyAlert) -> bool:
    """May the ally still hear this? Their link open, the scope still consented."""
    link = alert.link
    return link.ended_at is None and can(link.ally, Action.VIEW_SHARED, link, scope=alert.scope)


def _drop(alert_ids: list[int], now: datetime) -> int:
    if not alert_ids:
        return 0
    return AllyAlert.objects.filter(pk__in=alert_ids, status=AllyAlert.Status.PENDING).update(
        status=AllyAlert.Status.DROPPED, done_at=now
    )


def _decision(ally: User, now: datetime, fallback_zone: str) -> notifications.Decision:
    """The ally's notification choices: no address, quiet hours, or send."""
    if not ally.is_active or not ally.email:
        return notifications.Decision.NEVER
    if notifications.is_quiet(ally, now, fallback_time_zone=fallback_zone):
        return notifications.Decision.LATER
    return notifications.Decision.SEND


def _is_urgent(alert: AllyAlert) -> bool:
    kind = registry.get(alert.kind)
    return kind is not None and kind.urgent


def _send(alerts: list[AllyAlert], *, now: datetime, result: DeliveryResult) -> None:
    """Claim one ally's due alerts, check consent once more, and e-mail what is left."""
    ally = alerts[0].link.ally
    decision = _decision(ally, now, alerts[0].link.enrollment.clinic.time_zone)
    ids = [alert.pk for alert in alerts]
    pending = AllyAlert.objects.filter(pk__in=ids, status=AllyAlert.Status.PENDING)
    if decision == notifications.Decision.NEVER:
        result.not_mailed += pending.update(status=AllyAlert.Status.NOT_MAILED, done_at=now)
        return
    if decision == notifications.Decision.LATER:
        ids = [alert.pk for alert in alerts if _is_urgent(alert)]
        result.waiting += len(alerts) - len(ids)
        if not ids:
            return
        pending = pending.filter(pk__in=ids)
    token = uuid.uuid4()
    if not pending.update(status=AllyAlert.Status.SENT, batch=token, done_at=now):
        return  # another run took them
    claimed = list(
        AllyAlert.objects.filter(batch=token).select_related(*_RELATED).order_by("raised_at", "pk")
    )
    for alert in claimed:
        alert.link.ally = ally
    gone = [alert.pk for alert in claimed if not _allowed(alert)]
    if gone:
        result.dropped += AllyAlert.objects.filter(pk__in=gone).update(
            status=AllyAlert.Status.DROPPED, batch=None
        )
    claimed = [alert for alert in claimed if alert.pk not in gone]
    if not claimed:
        return
    try:
        _mail(ally, claimed)
    except Exception:
        # Back to waiting: the next run tries again.
        AllyAlert.objects.filter(batch=token, status=AllyAlert.Status.SENT).update(
            status=AllyAlert.Status.PENDING, batch=None, done_at=None
        )
        result.failed += len(claimed)
        logger.exception("could not e-mail ally %s their %d alerts", ally.pk, len(claimed))
        return
    result.mails += 1
    result.sent += len(claimed)
    result.allies.add(ally.pk)


def _mail(ally: User, alerts: list[AllyAlert]) -> None:
    """One discreet e-mail: who has news, and where to read it behind sign-in."""
    by_link: dict[int, list[AllyAlert]] = defaultdict(list)
    for alert in alerts:
        by_link[alert.link_id].append(alert)
    first_enrollment = alerts[0].link.enrollment
    language = ally.language or first_enrollment.clinic.default_language or settings.LANGUAGE_CODE
    with translation.override(language):
        groups = []
        for link_alerts in by_link.values():
            link = link_alerts[0].link
            name = link.enrollment.client.get_short_name()
            lines: list[str] = []
            plain = 0
            for alert in link_alerts:
                kind = registry.get(alert.kind)
                if kind is not None and kind.mail_text:
                    line = str(kind.mail_text) % {"name": name}
                    if line not in lines:
                        lines.append(line)
                else:
                    plain += 1
            if plain:
                lines.append(
                    ngettext(
                        "There is an update from %(name)s.",
                        "There are %(count)d updates from %(name)s.",
                        plain,
                    )
                    % {"name": name, "count": plain}
                )
            groups.append(
                {
                    "lines": lines,
                    "url": settings.SITE_URL
                    + reverse("ally_alerts:updates", kwargs={"link_id": link.pk}),
                }
            )
        body = render_to_string(
            "ally_alerts/email/updates.txt",
            {"ally_name": ally.get_short_name(), "groups": groups},
        )
        mail_subject = subject()
    send_mail(mail_subject, body, None, [ally.email])
