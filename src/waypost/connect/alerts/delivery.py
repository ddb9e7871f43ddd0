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
2. **The ally's choices** (``notifications.choices``, for the kinds ``ally.updates``
   and, for urgent alerts, ``ally.support``, registered here): nothing that can reach
   them (a closed account, every channel off), and the alerts are marked not mailed
   (they stay on the ally's Updates page); in the ally's quiet hours they wait, but
   for urgent kinds: a request for support goes at any hour, and the client is told so.
3. **A claim**: a conditional ``update`` from waiting to sent, with a token of this
   run; only what this run claimed goes into its e-mail, so two workers never send
   the same alert twice.
4. **One notification** (``notifications.services.notify``): in the ally's list in
   Waypost, on their devices, and a discreet e-mail: the subject is always "Waypost: an
   update from someone you support"; the body names the person and says there is an
   update (or that they asked for support), with a link behind sign-in. No clinical
   word, no detail.

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
from django.utils.translation import gettext_lazy, ngettext

from waypost.access.policy import Action, can
from waypost.accounts.notifications import Decision, zone_of
from waypost.connect.alerts import registry, rhythm, selectors
from waypost.connect.alerts.models import AllyAlert
from waypost.notifications import kinds
from waypost.notifications.services import Outcome, decide, notify

if TYPE_CHECKING:
    from waypost.accounts.models import User

logger = logging.getLogger(__name__)

UPDATES = kinds.register(
    kinds.NotificationKind(
        key="ally.updates",
        label=gettext_lazy("Updates from people you support"),
        description=gettext_lazy(
            "What someone you support chose to share with you, at the rhythm you chose for them."
        ),
        audience=frozenset({kinds.ALLY}),
        order=50,
    )
)
SUPPORT = kinds.register(
    kinds.NotificationKind(
        key="ally.support",
        label=gettext_lazy("Requests for support"),
        description=gettext_lazy(
            "When someone you support asks for you. These come at any hour, also in your quiet "
            "hours."
        ),
        audience=frozenset({kinds.ALLY}),
        ignores_quiet_hours=True,
        order=51,
    )
)

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
    zone = zone_of(alert.link.ally, alert.link.enrollment.clinic.time_zone)
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


def _is_urgent(alert: AllyAlert) -> bool:
    kind = registry.get(alert.kind)
    return kind is not None and kind.urgent


def _send(alerts: list[AllyAlert], *, now: datetime, result: DeliveryResult) -> None:
    """Claim one ally's due alerts, check consent once more, and notify them of what is left."""
    ally = alerts[0].link.ally
    zone = alerts[0].link.enrollment.clinic.time_zone
    decisions = {
        urgent: decide(ally, (SUPPORT if urgent else UPDATES).key, now, fallback_time_zone=zone)
        for urgent in {_is_urgent(alert) for alert in alerts}
    }
    ids, never = [], []
    for alert in alerts:
        decision = decisions[_is_urgent(alert)].decision
        if decision == Decision.NEVER:
            never.append(alert.pk)
        elif decision == Decision.LATER:
            result.waiting += 1
        else:
            ids.append(alert.pk)
    if never:
        result.not_mailed += AllyAlert.objects.filter(
            pk__in=never, status=AllyAlert.Status.PENDING
        ).update(status=AllyAlert.Status.NOT_MAILED, done_at=now)
    if not ids:
        return
    pending = AllyAlert.objects.filter(pk__in=ids, status=AllyAlert.Status.PENDING)
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
        outcome = _notify(ally, claimed, token=token, now=now, zone=zone)
    except Exception:
        # Back to waiting: the next run tries again.
        AllyAlert.objects.filter(batch=token, status=AllyAlert.Status.SENT).update(
            status=AllyAlert.Status.PENDING, batch=None, done_at=None
        )
        result.failed += len(claimed)
        logger.exception("could not e-mail ally %s their %d alerts", ally.pk, len(claimed))
        return
    if not outcome.delivered:
        result.not_mailed += AllyAlert.objects.filter(
            batch=token, status=AllyAlert.Status.SENT
        ).update(status=AllyAlert.Status.NOT_MAILED)
        return
    if outcome.emailed:
        result.mails += 1
    result.sent += len(claimed)
    result.allies.add(ally.pk)


def _notify(
    ally: User, alerts: list[AllyAlert], *, token: uuid.UUID, now: datetime, zone: str
) -> Outcome:
    """One notification for one ally's alerts: the e-mail of :func:`_mail`, the list, push."""
    urgent = any(_is_urgent(alert) for alert in alerts)
    links = {alert.link_id: alert.link for alert in alerts}
    clinic = alerts[0].link.enrollment.clinic
    with translation.override(ally.language or clinic.default_language or settings.LANGUAGE_CODE):
        # The title stays in the ally's list after the client may have ended their
        # consent: it names nobody (the page behind the link says who, while it may).
        if len(links) == 1:
            link = next(iter(links.values()))
            url = reverse("ally_alerts:updates", kwargs={"link_id": link.pk})
            if urgent:
                title = _("Someone you support would like your support")
            else:
                title = _("An update from someone you support")
        else:
            url = reverse("connect:ally_home")
            title = _("Updates from people you support")
    return notify(
        user=ally,
        kind=(SUPPORT if urgent else UPDATES).key,
        title=title,
        url=url,
        dedupe_key=f"ally.alerts:{token}",
        now=now,
        fallback_time_zone=zone,
        email=lambda: _mail(ally, alerts),
    )


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
