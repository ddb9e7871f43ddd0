"""What allies and consent write on a client's timeline, and what the audit trail calls it.

Scope keys are stored; their labels are shown in the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from waypost.connect import scopes as scope_registry
from waypost.core import events
from waypost.core.audit import register_subject
from waypost.core.events import EventKind

ALLY_INVITED = "connect.ally_invited"
INVITATION_WITHDRAWN = "connect.invitation_withdrawn"
ALLY_JOINED = "connect.ally_joined"
CONSENT_CHANGED = "connect.consent_changed"
ALLY_REMOVED = "connect.ally_removed"

# audit-trail subject: an ally's page of what a client shares, asked for and refused
SHARED_PAGE = "shared with an ally"


def _scope_words(data: Mapping[str, Any]) -> dict[str, Any]:
    return {"scopes": ", ".join(scope_registry.labels(data["scopes"])) or gettext("nothing")}


def register_all() -> None:
    for kind in (
        EventKind(
            ALLY_INVITED,
            label=_("Ally invited"),
            text=_("Invited an ally; would share: %(scopes)s"),
            params=_scope_words,
        ),
        EventKind(
            INVITATION_WITHDRAWN,
            label=_("Ally invitation withdrawn"),
            text=_("Withdrew an ally invitation"),
        ),
        EventKind(
            ALLY_JOINED,
            label=_("Ally joined"),
            text=_("An ally joined; shared: %(scopes)s"),
            params=_scope_words,
        ),
        EventKind(
            CONSENT_CHANGED,
            label=_("Sharing changed"),
            text=_("Sharing with an ally changed to: %(scopes)s"),
            params=_scope_words,
        ),
        EventKind(ALLY_REMOVED, label=_("Sharing stopped"), text=_("Stopped sharing with an ally")),
    ):
        events.register(kind)
    register_subject(SHARED_PAGE, _("What the client shares with an ally"))
