"""Reads of enrollments, scoped by the access policy.

Every queryset of client records starts here, so a forgotten check shows
nothing rather than everything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from waypost.access.policy import Action, can, roles_of
from waypost.core import events
from waypost.program.models import Enrollment

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from waypost.accounts.models import User
    from waypost.clinics.models import Clinic


def visible_enrollments(user: User | AnonymousUser | None) -> QuerySet[Enrollment]:
    """Enrollments whose clinical record ``user`` may open: their own clinical caseload."""
    roles = roles_of(user)
    if not roles.clinician_profiles:
        return Enrollment.objects.none()
    return Enrollment.objects.filter(
        primary_clinician__in=[p.pk for p in roles.clinician_profiles]
    ).select_related("client", "clinic", "primary_clinician__user")


# The audit subject of a refused attempt at any page of a client's record.
REFUSED = "client record"


def record_of_client(
    user: User | AnonymousUser | None,
    enrollment_id: int,
    *actions: Action,
    path: str = "",
) -> Enrollment:
    """One of the clinician's own clients, for their record pages: 404 for anyone else's.

    Checks ``VIEW_RECORD`` and any further ``actions`` (``ASSIGN_WORK`` for a write).
    Every refusal is recorded before it is raised (``path``: the page asked for): in
    the clinic's audit trail, as ``was refused`` the client record, when the
    enrollment exists; in the security log when it does not. Someone else's client and
    no client at all both answer 404, so the answer says nothing about which it was.
    """
    enrollment = visible_enrollments(user).filter(pk=enrollment_id).first()
    if enrollment is None:
        target = Enrollment.objects.filter(pk=enrollment_id).only("client_id", "clinic_id")
        events.record_refused(
            actor=user, enrollment=target.first(), what=REFUSED, asked_for=enrollment_id, path=path
        )
        raise Http404
    for action in (Action.VIEW_RECORD, *actions):
        if not can(user, action, enrollment):
            events.record_refused(
                actor=user, enrollment=enrollment, what=REFUSED, asked_for=enrollment_id, path=path
            )
            raise PermissionDenied
    return enrollment


def roster_enrollments(user: User | AnonymousUser | None, clinic: Clinic) -> QuerySet[Enrollment]:
    """A clinic's enrollments for its admins (names, stages, clinicians; no record)."""
    if not can(user, Action.VIEW_ROSTER, clinic):
        return Enrollment.objects.none()
    return Enrollment.objects.filter(clinic=clinic).select_related(
        "client", "primary_clinician__user"
    )


def active_enrollments_of(user: User) -> list[Enrollment]:
    """The client's active enrollments: the access policy's ``enrollments`` role."""
    return list(
        Enrollment.objects.filter(client=user, status=Enrollment.Status.ACTIVE).select_related(
            "clinic", "primary_clinician__user"
        )
    )
