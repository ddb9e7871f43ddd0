"""What the clinic's own work writes on a client's timeline, and what the audit trail calls it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from waypost.core import events
from waypost.core.audit import register_subject
from waypost.core.events import EventKind

# The key predates this app owning it; stored rows keep it.
CLINICIAN_CHANGED = "program.clinician_changed"

# audit-trail subject: a client listed on the admin's client list (name, stage, clinician)
CLIENT_LIST = "clinic client list"


def register_all() -> None:
    events.register(
        EventKind(
            CLINICIAN_CHANGED,
            label=_("Clinician changed"),
            text=_("New clinician: %(name)s"),
            audit="primary clinician",
        )
    )
    register_subject(CLIENT_LIST, _("Listed on the clinic's client list"))
