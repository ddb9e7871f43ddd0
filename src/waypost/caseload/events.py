"""What the audit trail calls the caseload's reads."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from waypost.core.audit import register_subject

# audit-trail subject: a client listed on the clinician's caseload (name, stage, columns)
CASELOAD = "caseload"


def register_all() -> None:
    """Declare the audit subjects (from ``AppConfig.ready()``)."""
    register_subject(CASELOAD, _("Listed on the clinician's caseload"))
