"""Reads for the risk inboxes, scoped through the access policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from waypost.access.policy import Action, can, roles_of
from waypost.clinics.models import Clinic
from waypost.safety.models import RiskAlert

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.auth.models import _User as User

    from waypost.program.models import Enrollment

ACKNOWLEDGED_SHOWN = 50  # the inbox shows the latest acknowledged alerts, not all history


@dataclass(frozen=True)
class Inbox:
    open: list[RiskAlert]
    acknowledged: list[RiskAlert]

    @property
    def alerts(self) -> list[RiskAlert]:
        return [*self.open, *self.acknowledged]


def _split(alerts: QuerySet[RiskAlert]) -> Inbox:
    open_alerts = list(alerts.filter(status=RiskAlert.Status.OPEN).order_by("created_at", "id"))
    done = list(
        alerts.filter(status=RiskAlert.Status.ACKNOWLEDGED)
        .select_related("acknowledged_by")
        .order_by("-acknowledged_at", "-id")[:ACKNOWLEDGED_SHOWN]
    )
    return Inbox(open=open_alerts, acknowledged=done)


def visible_risk_alerts(user: User | AnonymousUser | None) -> QuerySet[RiskAlert]:
    """Risk alerts of the clients ``user`` is primary clinician for (the risk inbox)."""
    roles = roles_of(user)
    if not roles.clinician_profiles:
        return RiskAlert.objects.none()
    return RiskAlert.objects.filter(
        enrollment__primary_clinician__in=[p.pk for p in roles.clinician_profiles]
    ).select_related(
        "enrollment__client", "enrollment__clinic", "enrollment__primary_clinician__user"
    )


def clinician_inbox(user: User | AnonymousUser | None) -> Inbox:
    """The clinician's own clients' alerts: open ones oldest first, then recently acknowledged."""
    return _split(visible_risk_alerts(user))


def clinic_alerts(user: User | AnonymousUser | None, clinic: Clinic) -> QuerySet[RiskAlert]:
    """Every alert of the clinic for its admins; nothing for anyone else."""
    if not can(user, Action.VIEW_CLINIC_RISK, clinic):
        return RiskAlert.objects.none()
    return RiskAlert.objects.filter(enrollment__clinic=clinic).select_related(
        "enrollment__client", "enrollment__primary_clinician__user", "acknowledged_by"
    )


def clinic_inbox(user: User | AnonymousUser | None, clinic: Clinic) -> Inbox:
    return _split(clinic_alerts(user, clinic))


def open_alerts_for(enrollment: Enrollment) -> QuerySet[RiskAlert]:
    return (
        RiskAlert.objects.filter(enrollment=enrollment, status=RiskAlert.Status.OPEN)
        .select_related("enrollment__client")
        .order_by("created_at", "id")
    )
