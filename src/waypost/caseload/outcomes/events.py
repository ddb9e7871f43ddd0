"""What the clinic's audit trail calls a look at the outcomes page.

The page names no client, but its figures are made from clients' records, so each
client counted gets a line in their clinic's trail (viewed · Clinic outcomes), as the
clinic's client list does.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from waypost.core.audit import register_subject

# audit-trail subject
OUTCOMES = "clinic outcomes"


def register_all() -> None:
    """Declare the audit subject (from ``AppConfig.ready()``)."""
    register_subject(OUTCOMES, _("Clinic outcomes (figures only, no client named)"))
