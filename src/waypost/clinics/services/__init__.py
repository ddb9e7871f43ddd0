"""Operations on a clinic: its settings, crisis lines, gate criteria, staff and roster.

Each function takes keyword-only arguments, checks access through the one
policy (``access/policy.py``), runs in a transaction and raises ``ClinicError``
with a kind, plain message when the request cannot be carried out. Reads for
the pages live in ``selectors.py``. ``configuration`` and ``people`` hold the two
halves; callers use the names below.
"""

from waypost.clinics.services.common import (
    MAX_GATE_PARAMETER,
    STAFF_KINDS,
    ClinicError,
)
from waypost.clinics.services.configuration import (
    CRISIS_LINE_FIELDS,
    add_crisis_line,
    delete_crisis_line,
    move_crisis_line,
    update_clinic_settings,
    update_crisis_line,
    update_gate_settings,
)
from waypost.clinics.services.people import (
    deactivate_clinician,
    invite_staff,
    reactivate_clinician,
    reassign_primary_clinician,
    revoke_staff_invitation,
    update_own_profile,
)

__all__ = [
    "CRISIS_LINE_FIELDS",
    "ClinicError",
    "MAX_GATE_PARAMETER",
    "STAFF_KINDS",
    "add_crisis_line",
    "deactivate_clinician",
    "delete_crisis_line",
    "invite_staff",
    "move_crisis_line",
    "reactivate_clinician",
    "reassign_primary_clinician",
    "revoke_staff_invitation",
    "update_clinic_settings",
    "update_crisis_line",
    "update_gate_settings",
    "update_own_profile",
]
