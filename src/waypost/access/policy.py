"""The one access policy: may this person do this to this thing?

Every view and API endpoint asks here, and every queryset of client data is
narrowed by the ``visible_*`` selectors below, so a forgotten check shows
nothing rather than everything. ``tests/core/test_roles.py`` requests every
URL as every role against the expectations kept there.

Who may do what
- client: everything about their own enrollment.
- their primary clinician: view the record, change the stage, invite allies
  on the client's behalf is *not* allowed (consent is the client's).
- another clinician, even of the same clinic: nothing about the client.
- their primary clinician also assigns work (measures, reading), edits the
  safety plan with the client and acknowledges risk alerts.
- clinic admin: clinic settings, staff, invitations, the audit trail, the
  roster (name, stage, clinician) and the clinic-wide risk inbox (who needs a
  response and who is responsible), not the clinical record.
- ally: only the scopes the client consented to, while the link is open.
- anonymous: the public directory, crisis lines and sign-in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from waypost.clinics.models import ClinicianProfile
    from waypost.connect.models import AllyLink
    from waypost.program.models import Enrollment


class Action(StrEnum):
    VIEW_RECORD = "view_record"  # the clinical record of a client
    CHANGE_STAGE = "change_stage"
    VIEW_OWN = "view_own"  # a client's own program
    MANAGE_ALLIES = "manage_allies"  # invite allies, grant and withdraw consent
    VIEW_SHARED = "view_shared"  # an ally reading one consented scope
    VIEW_ROSTER = "view_roster"  # names, stages and clinicians of a clinic's clients
    MANAGE_CLINIC = "manage_clinic"
    VIEW_AUDIT = "view_audit"
    INVITE_CLINICIAN = "invite_clinician"
    INVITE_CLIENT = "invite_client"
    # Stage 1 onwards: clinical work with a client (obj: the enrollment)
    ASSIGN_WORK = "assign_work"  # measures, reading, homework, on a schedule or once
    EDIT_SAFETY_PLAN = "edit_safety_plan"  # the client, or their clinician with them
    ACKNOWLEDGE_ALERT = "acknowledge_alert"  # a risk alert raised for the client
    # (obj: the clinic)
    VIEW_CLINIC_RISK = "view_clinic_risk"  # the clinic-wide risk inbox, for cover and oversight


@dataclass
class Roles:
    """Everything a person is, loaded once per request."""

    clinician_profiles: list[ClinicianProfile] = field(default_factory=list)
    admin_clinic_ids: set[int] = field(default_factory=set)
    enrollments: list[Enrollment] = field(default_factory=list)
    ally_links: list[AllyLink] = field(default_factory=list)

    @property
    def is_clinician(self) -> bool:
        return bool(self.clinician_profiles)

    @property
    def is_admin(self) -> bool:
        return bool(self.admin_clinic_ids)

    @property
    def is_client(self) -> bool:
        return bool(self.enrollments)

    @property
    def is_ally(self) -> bool:
        return bool(self.ally_links)

    @property
    def names(self) -> list[str]:
        out = []
        if self.is_client:
            out.append("client")
        if self.is_clinician:
            out.append("clinician")
        if self.is_admin:
            out.append("clinic_admin")
        if self.is_ally:
            out.append("ally")
        return out

    def clinician_profile_at(self, clinic_id: int) -> ClinicianProfile | None:
        for profile in self.clinician_profiles:
            if profile.clinic_id == clinic_id:
                return profile
        return None

    @property
    def enrollment(self) -> Enrollment | None:
        """The client's current enrollment (the first, if in more than one clinic)."""
        return self.enrollments[0] if self.enrollments else None

    @property
    def clinic_ids(self) -> set[int]:
        ids = set(self.admin_clinic_ids)
        ids.update(p.clinic_id for p in self.clinician_profiles)
        ids.update(e.clinic_id for e in self.enrollments)
        return ids


# --- where roles come from ----------------------------------------------------------
#
# The policy imports no app: each app that holds a kind of relation registers, from
# its AppConfig.ready(), a loader that returns that relation for a user. Clinics load
# clinician profiles and admin seats, program loads enrollments, connect loads ally
# links. The rules below read them by their attributes only.

RoleLoader = Callable[[Any], Any]
_loaders: dict[str, RoleLoader] = {}
_ROLE_FIELDS = ("clinician_profiles", "admin_clinic_ids", "enrollments", "ally_links")


def register_role_loader(name: str, loader: RoleLoader) -> None:
    """Let an app fill one of the ``Roles`` fields for a signed-in, active user."""
    if name not in _ROLE_FIELDS:
        raise ValueError(f"unknown role field {name!r}; known: {', '.join(_ROLE_FIELDS)}")
    _loaders[name] = loader


def roles_of(user: Any) -> Roles:
    """The person's roles; cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Roles()
    cached = getattr(user, "_waypost_roles", None)
    if cached is not None:
        return cached
    roles = Roles(**{name: loader(user) for name, loader in _loaders.items()})
    user._waypost_roles = roles
    return roles


def forget_roles(user: Any) -> None:
    """Drop the cached roles after a change to them within the same request."""
    if hasattr(user, "_waypost_roles"):
        del user._waypost_roles


def can(user: Any, action: Action, obj: Any = None, *, scope: str | None = None) -> bool:
    """May ``user`` do ``action`` to ``obj``? The single answer for views, API and tasks."""
    roles = roles_of(user)
    if not user or not user.is_authenticated:
        return False
    match action:
        case (
            Action.VIEW_RECORD | Action.CHANGE_STAGE | Action.ASSIGN_WORK | Action.ACKNOWLEDGE_ALERT
        ):
            return _is_primary_clinician(user, obj)
        case Action.EDIT_SAFETY_PLAN:
            return obj is not None and (
                obj.client_id == user.pk or _is_primary_clinician(user, obj)
            )
        case Action.VIEW_OWN | Action.MANAGE_ALLIES:
            return obj is not None and obj.client_id == user.pk
        case Action.VIEW_SHARED:
            return (
                scope is not None
                and obj is not None
                and obj.ally_id == user.pk
                and obj.allows(scope)
            )
        case (
            Action.VIEW_ROSTER
            | Action.MANAGE_CLINIC
            | Action.VIEW_AUDIT
            | Action.INVITE_CLINICIAN
            | Action.VIEW_CLINIC_RISK
        ):
            return obj is not None and obj.pk in roles.admin_clinic_ids
        case Action.INVITE_CLIENT:
            return obj is not None and roles.clinician_profile_at(obj.pk) is not None
    return False


def require(user: Any, action: Action, obj: Any = None, *, scope: str | None = None) -> None:
    """Raise ``PermissionDenied`` unless ``can(...)``."""
    if not can(user, action, obj, scope=scope):
        raise PermissionDenied


def _is_primary_clinician(user: Any, enrollment: Enrollment | None) -> bool:
    if enrollment is None:
        return False
    profile = roles_of(user).clinician_profile_at(enrollment.clinic_id)
    return profile is not None and enrollment.primary_clinician_id == profile.pk


def own_enrollment(user: Any) -> Enrollment:
    """The signed-in client's own enrollment, for their pages; 403 for anyone else.

    The one way in for every client page: it reads the enrollment from the
    person's roles (never from the URL) and checks ``VIEW_OWN``.
    """
    enrollment = roles_of(user).enrollment
    if enrollment is None:
        raise PermissionDenied
    require(user, Action.VIEW_OWN, enrollment)
    return enrollment
