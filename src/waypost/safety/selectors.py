"""Reads for the risk inboxes, scoped through the access policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, F, OrderBy, Prefetch, Q, QuerySet
from django.utils import timezone

from waypost.access.policy import Action, can, roles_of
from waypost.clinics.models import Clinic
from waypost.safety.models import AlertEscalation, RiskAlert

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.auth.models import _User as User

    from waypost.program.models import Enrollment

ACKNOWLEDGED_SHOWN = 50  # the inbox shows the latest acknowledged alerts, not all history

# Triage: the most severe answer first, then the one that has waited longest.
# ``RiskAlert.severity`` is where the answer lies between the question's mildest and
# most severe answers (100: the most severe); an alert without one (not raised by a
# scored answer) counts as the most severe, so nothing unknown sinks to the bottom.
TRIAGE_ORDER: tuple[OrderBy | str, ...] = (
    F("severity").desc(nulls_first=True),
    "created_at",
    "id",
)


_ESCALATIONS = Prefetch("escalations", queryset=AlertEscalation.objects.select_related("notified"))


@dataclass(frozen=True)
class Inbox:
    open: list[RiskAlert]
    acknowledged: list[RiskAlert]
    # open alerts past their clinic's ``alert_overdue_hours``
    overdue_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def alerts(self) -> list[RiskAlert]:
        return [*self.open, *self.acknowledged]

    @property
    def overdue_count(self) -> int:
        return len(self.overdue_ids)


def _split(
    alerts: QuerySet[RiskAlert],
    overdue_hours: int | None = None,
    order: tuple[OrderBy | str, ...] = TRIAGE_ORDER,
) -> Inbox:
    """Open alerts in ``order`` (triage by default), then the latest acknowledged ones.

    ``overdue_hours`` is the clinic's limit when all alerts are of one clinic;
    otherwise each alert's own clinic says (it must be loaded with the alert).
    """
    # Who each alert was passed on to, and when (one query per list).
    alerts = alerts.prefetch_related(_ESCALATIONS)
    open_alerts = list(alerts.filter(status=RiskAlert.Status.OPEN).order_by(*order))
    done = list(
        alerts.filter(status=RiskAlert.Status.ACKNOWLEDGED)
        .select_related("acknowledged_by")
        .order_by("-acknowledged_at", "-id")[:ACKNOWLEDGED_SHOWN]
    )
    now = timezone.now()

    def limit(alert: RiskAlert) -> int:
        if overdue_hours is not None:
            return overdue_hours
        return alert.enrollment.clinic.alert_overdue_hours

    overdue = frozenset(alert.pk for alert in open_alerts if alert.overdue(limit(alert), now))
    return Inbox(open=open_alerts, acknowledged=done, overdue_ids=overdue)


def _escalated_ids(user: User | AnonymousUser | None) -> QuerySet[AlertEscalation]:
    """Alerts passed to ``user`` as the clinician on call, at clinics they still work at.

    The access policy knows no escalation (it imports no app and answers per client,
    not per alert), so the safety app grants this one narrow thing itself: the
    on-call clinician sees and acknowledges the alerts passed to them, and nothing
    else of those clients (not the record, not other alerts).
    """
    roles = roles_of(user)
    if user is None or not roles.clinician_profiles:
        return AlertEscalation.objects.none()
    return AlertEscalation.objects.filter(
        notified_id=user.pk,
        level=AlertEscalation.Level.ON_CALL,
        alert__enrollment__clinic_id__in=[p.clinic_id for p in roles.clinician_profiles],
    )


def escalated_alerts(user: User | AnonymousUser | None) -> QuerySet[RiskAlert]:
    """Alerts of other clinicians' clients passed to ``user`` while they were on call."""
    return RiskAlert.objects.filter(pk__in=_escalated_ids(user).values("alert_id"))


def is_escalated_to(user: User | AnonymousUser | None, alert: RiskAlert) -> bool:
    """Was ``alert`` passed to ``user`` as the clinician on call (and do they still work there)?"""
    return _escalated_ids(user).filter(alert_id=alert.pk).exists()


def may_acknowledge(user: User | AnonymousUser | None, alert: RiskAlert) -> bool:
    """The client's primary clinician, or the clinician on call the alert was passed to."""
    return can(user, Action.ACKNOWLEDGE_ALERT, alert.enrollment) or is_escalated_to(user, alert)


def visible_risk_alerts(user: User | AnonymousUser | None) -> QuerySet[RiskAlert]:
    """The risk inbox: alerts of ``user``'s own clients, and those passed to them on call."""
    roles = roles_of(user)
    if not roles.clinician_profiles:
        return RiskAlert.objects.none()
    own = Q(enrollment__primary_clinician__in=[p.pk for p in roles.clinician_profiles])
    passed = Q(pk__in=_escalated_ids(user).values("alert_id"))
    return RiskAlert.objects.filter(own | passed).select_related(
        "enrollment__client", "enrollment__clinic", "enrollment__primary_clinician__user"
    )


def clinician_inbox(user: User | AnonymousUser | None) -> Inbox:
    """The clinician's own clients' alerts: open ones in triage order, then the acknowledged."""
    return _split(visible_risk_alerts(user))


def clinic_alerts(user: User | AnonymousUser | None, clinic: Clinic) -> QuerySet[RiskAlert]:
    """Every alert of the clinic for its admins; nothing for anyone else."""
    if not can(user, Action.VIEW_CLINIC_RISK, clinic):
        return RiskAlert.objects.none()
    return RiskAlert.objects.filter(enrollment__clinic=clinic).select_related(
        "enrollment__client", "enrollment__primary_clinician__user", "acknowledged_by"
    )


def clinic_inbox(user: User | AnonymousUser | None, clinic: Clinic) -> Inbox:
    """The clinic's alerts for its admins, open ones oldest first.

    Not in triage order: how severe an answer was is clinical, and the admins'
    page shows only who is waiting and for how long.
    """
    return _split(clinic_alerts(user, clinic), clinic.alert_overdue_hours, ("created_at", "id"))


@dataclass(frozen=True)
class AlertCounts:
    open: int
    overdue: int


def clinic_alert_counts(user: User | AnonymousUser | None, clinic: Clinic) -> AlertCounts:
    """How many of the clinic's alerts are open, and how many of those are overdue.

    One query, numbers only, for the admin's overview: no one's record is looked
    at, so nothing is audited. Nothing for anyone but the clinic's admins.
    """
    if not can(user, Action.VIEW_CLINIC_RISK, clinic):
        return AlertCounts(open=0, overdue=0)
    limit = timezone.now() - timedelta(hours=clinic.alert_overdue_hours)
    counts = RiskAlert.objects.filter(
        enrollment__clinic=clinic, status=RiskAlert.Status.OPEN
    ).aggregate(
        open=Count("id"),
        overdue=Count("id", filter=Q(created_at__lt=limit)),
    )
    return AlertCounts(open=counts["open"], overdue=counts["overdue"])


def open_alerts_for(enrollment: Enrollment) -> QuerySet[RiskAlert]:
    """One client's open alerts, in triage order (the record's panel)."""
    return (
        RiskAlert.objects.filter(enrollment=enrollment, status=RiskAlert.Status.OPEN)
        .select_related("enrollment__client")
        .order_by(*TRIAGE_ORDER)
    )
