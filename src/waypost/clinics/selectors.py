"""Reads for the clinic pages: what the admin and the public directory see.

Callers check access first (views through ``access/policy.py``); these only
narrow and shape querysets. Nothing here reads a client's clinical record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from waypost.access.policy import roles_of
from waypost.accounts.models import Invitation, User
from waypost.clinics.models import Clinic, ClinicAdmin, ClinicianProfile
from waypost.core.models import AuditEvent
from waypost.program import gates
from waypost.program.models import Enrollment, Stage

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class GateRow:
    """One criterion as the clinic has set it up."""

    criterion: gates.GateCriterion
    enabled: bool
    params: gates.Params

    @property
    def label(self) -> str:
        return str(self.criterion.label).format(**self.params)


@dataclass(frozen=True)
class GateStage:
    stage: int
    label: StrOrPromise
    rows: list[GateRow]


def gate_stages(clinic: Clinic) -> list[GateStage]:
    """Every registered criterion, grouped by stage, with the clinic's choices."""
    out = []
    for stage in Stage:
        rows = []
        for criterion in gates.criteria_for(stage.value):
            enabled, params = gates.settings_for(clinic.gate_settings, criterion)
            rows.append(GateRow(criterion, enabled, params))
        rows.sort(key=lambda row: row.criterion.key)
        out.append(GateStage(stage.value, stage.label, rows))
    return out


def clinicians(clinic: Clinic) -> QuerySet[ClinicianProfile]:
    """All clinician profiles of the clinic, active first, with their active client count."""
    return (
        ClinicianProfile.objects.filter(clinic=clinic)
        .select_related("user")
        .annotate(
            active_clients=Count(
                "enrollments", filter=Q(enrollments__status=Enrollment.Status.ACTIVE)
            )
        )
        .order_by("-is_active", "user__name")
    )


def active_clinicians(clinic: Clinic) -> QuerySet[ClinicianProfile]:
    return ClinicianProfile.objects.filter(clinic=clinic, is_active=True).select_related("user")


def admins(clinic: Clinic) -> QuerySet[ClinicAdmin]:
    return ClinicAdmin.objects.filter(clinic=clinic).select_related("user").order_by("user__name")


def pending_staff_invitations(clinic: Clinic) -> QuerySet[Invitation]:
    """Clinician and admin invitations of the clinic not yet used, withdrawn or expired."""
    return Invitation.objects.filter(
        clinic=clinic,
        kind__in=[Invitation.Kind.CLINICIAN, Invitation.Kind.ADMIN],
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("invited_by")


def audit_events(
    clinic: Clinic,
    *,
    client_id: int | None = None,
    actor_id: int | None = None,
    action: str = "",
) -> QuerySet[AuditEvent]:
    """The clinic's audit trail, newest first, optionally for one client, actor and/or action."""
    events = AuditEvent.objects.filter(clinic=clinic).select_related("actor", "client")
    if client_id:
        events = events.filter(client_id=client_id)
    if actor_id:
        events = events.filter(actor_id=actor_id)
    if action:
        events = events.filter(action=action)
    return events.order_by("-created_at", "-id")


def audit_people(clinic: Clinic) -> tuple[QuerySet[User], QuerySet[User]]:
    """The clients and the actors who appear in the clinic's trail, for the filters."""
    trail = AuditEvent.objects.filter(clinic=clinic)
    clients = User.objects.filter(pk__in=trail.values("client_id")).order_by("name", "email")
    actors = User.objects.filter(pk__in=trail.values("actor_id")).order_by("name", "email")
    return clients, actors


# --- the public directory ----------------------------------------------------------


def listed_profiles(clinic: Clinic | None = None) -> QuerySet[ClinicianProfile]:
    """Profiles the public may see: active and opted in to the directory."""
    profiles = ClinicianProfile.objects.filter(listed=True, is_active=True).select_related(
        "user", "clinic"
    )
    return profiles.filter(clinic=clinic) if clinic else profiles


def directory_languages(profiles: list[ClinicianProfile]) -> list[str]:
    """Languages the listed specialists speak, each once, sorted."""
    found: dict[str, str] = {}
    for profile in profiles:
        for language in profile.language_list:
            found.setdefault(language.casefold(), language)
    return sorted(found.values(), key=str.casefold)


def speaking(profiles: list[ClinicianProfile], language: str) -> list[ClinicianProfile]:
    wanted = language.strip().casefold()
    return [p for p in profiles if wanted in {lang.casefold() for lang in p.language_list}]


def clinician_profiles_of(user: User) -> list[ClinicianProfile]:
    """The person's active clinician profiles: the access policy's ``clinician_profiles`` role."""
    return list(ClinicianProfile.objects.filter(user=user, is_active=True).select_related("clinic"))


def admin_seats_of(user: User) -> set[int]:
    """The clinics the person administers: the access policy's ``admin_clinic_ids`` role."""
    return set(ClinicAdmin.objects.filter(user=user).values_list("clinic_id", flat=True))


def admin_clinics(user: User | AnonymousUser | None) -> QuerySet[Clinic]:
    """The clinics ``user`` is an admin of."""
    return Clinic.objects.filter(pk__in=roles_of(user).admin_clinic_ids)
