"""Reads for the caseload's pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from waypost.access.policy import roles_of
from waypost.accounts.models import Invitation

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from waypost.accounts.models import User


def pending_client_invitations(user: User) -> QuerySet[Invitation]:
    """Client invitations ``user`` sent from a clinic where they still work, not yet used
    or withdrawn: waiting ones first, then expired ones (which can be sent again), oldest
    first within each."""
    clinic_ids = [profile.clinic_id for profile in roles_of(user).clinician_profiles]
    return (
        Invitation.objects.filter(
            kind=Invitation.Kind.CLIENT,
            invited_by=user,
            clinic_id__in=clinic_ids,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        )
        .select_related("clinic")
        .order_by("-expires_at", "pk")
    )
