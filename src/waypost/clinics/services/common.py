"""What the clinic services share: the error they raise and their limits."""

from __future__ import annotations

from waypost.accounts.models import Invitation
from waypost.core.errors import DomainError

STAFF_KINDS = (Invitation.Kind.CLINICIAN, Invitation.Kind.ADMIN)
MAX_GATE_PARAMETER = 10_000


class ClinicError(DomainError):
    """The change cannot be made; ``message`` says why, for people."""

    code = "clinic_change_refused"
