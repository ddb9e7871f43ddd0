"""What allies, consent and family sessions write on a client's timeline, and what the
audit trail calls it.

Scope keys are stored; their labels are shown in the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils import formats
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
FAMILY_SESSION_RECORDED = "connect.family_session_recorded"

# audit-trail subject: an ally's page of what a client shares, asked for and refused
SHARED_PAGE = "shared with an ally"
# audit-trail subject: the family and partner sessions in a client's record
FAMILY_SESSIONS = "family sessions"


def _scope_words(data: Mapping[str, Any]) -> dict[str, Any]:
    return {"scopes": ", ".join(scope_registry.labels(data["scopes"])) or gettext("nothing")}


def _consent_words(data: Mapping[str, Any]) -> dict[str, Any]:
    # A change of consent stores what was shared before and after; the sentence names after.
    return _scope_words({"scopes": data["after"]})


def _session_words(data: Mapping[str, Any]) -> dict[str, Any]:
    held_on = date.fromisoformat(data["held_on"])
    return {"held_on": formats.date_format(held_on, "j M Y")}


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
            params=_consent_words,
        ),
        EventKind(ALLY_REMOVED, label=_("Sharing stopped"), text=_("Stopped sharing with an ally")),
        EventKind(
            FAMILY_SESSION_RECORDED,
            label=_("Family session recorded"),
            text=_("A family or partner session on %(held_on)s was recorded, with consent"),
            params=_session_words,
            audit=FAMILY_SESSIONS,
        ),
    ):
        events.register(kind)
    register_subject(SHARED_PAGE, _("What the client shares with an ally"))
    register_subject(FAMILY_SESSIONS, _("Family and partner sessions"))
