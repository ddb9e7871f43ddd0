"""Writes for the motivation tools: readiness, decisional balance, values, stage of change.

Every function takes keyword arguments and checks access itself: the client
may use their own tools (``Action.VIEW_OWN``); their primary clinician may
fill any of them with the client in session (``Action.ASSIGN_WORK``), which
marks the result as done in session and writes the audit trail. Each records
a discreet timeline event (nothing the client wrote goes into it, see
``motivation/events.py``) and closes the clinician's open request for that
tool, if there is one. The decisional balance and the values sort are
versioned documents, saved through ``core.documents.save_version``.
Bad input raises ``MotivationContentError`` with a message fit to show;
nothing is saved then.
"""

from waypost.motivation.services.balance import save_balance
from waypost.motivation.services.ratings import (
    record_readiness,
    record_stage,
)
from waypost.motivation.services.requests import (
    ask_client,
    withdraw_request,
)
from waypost.motivation.services.values import (
    save_sort,
    save_top,
    save_top_notes,
)
from waypost.motivation.tools import MotivationContentError

__all__ = [
    "MotivationContentError",
    "ask_client",
    "record_readiness",
    "record_stage",
    "save_balance",
    "save_sort",
    "save_top",
    "save_top_notes",
    "withdraw_request",
]
