"""The invitations a clinic sends: clinicians, clinic admins and clients."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from waypost.access.policy import Action, require
from waypost.accounts import invitations
from waypost.accounts.invitations import InvitationKind, InvitationRequest
from waypost.accounts.models import Invitation
from waypost.clinics.models import ClinicAdmin, ClinicianProfile
from waypost.program.models import Enrollment
from waypost.program.services import enroll_client

if TYPE_CHECKING:
    from waypost.accounts.models import User


def _staff(request: InvitationRequest) -> dict[str, Any]:
    require(request.by, Action.INVITE_CLINICIAN, request.clinic)
    return {}


def _client(request: InvitationRequest) -> dict[str, Any]:
    require(request.by, Action.INVITE_CLIENT, request.clinic)
    # The clinician who invites becomes the client's primary clinician.
    primary = ClinicianProfile.objects.get(user=request.by, clinic=request.clinic, is_active=True)
    return {"primary_clinician": primary}


def _grant_clinician(invitation: Invitation, user: User) -> None:
    # A returning clinician's old profile is switched back on.
    ClinicianProfile.objects.update_or_create(
        user=user, clinic=invitation.clinic, defaults={"is_active": True}
    )


def _grant_admin(invitation: Invitation, user: User) -> None:
    ClinicAdmin.objects.get_or_create(user=user, clinic=invitation.clinic)


def _grant_client(invitation: Invitation, user: User) -> None:
    already = Enrollment.objects.filter(
        client=user, clinic=invitation.clinic, status=Enrollment.Status.ACTIVE
    ).exists()
    if not already:  # a second invitation to a client changes nothing
        # ``_client`` names the primary clinician on every client invitation.
        assert invitation.primary_clinician is not None
        enroll_client(
            client=user, clinician_profile=invitation.primary_clinician, by=invitation.invited_by
        )


def register_all() -> None:
    invitations.register(
        InvitationKind(Invitation.Kind.CLINICIAN, prepare=_staff, grant=_grant_clinician)
    )
    invitations.register(InvitationKind(Invitation.Kind.ADMIN, prepare=_staff, grant=_grant_admin))
    invitations.register(
        # A new client lands on the welcome (what Waypost is, who sees what, where help is).
        InvitationKind(
            Invitation.Kind.CLIENT,
            prepare=_client,
            grant=_grant_client,
            landing="program:welcome",
        )
    )
