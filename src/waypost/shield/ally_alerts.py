"""Shield's alert for allies: one of the client's devices has gone quiet on Shield.

Raised by the silence check's timeline event (``silence.SILENT``) for the allies whose
link allows the ``shield`` scope, at the rhythm each chose. It names no device and
nothing that was blocked; the ally's Shield section (``views.clinician.ally_section``)
has the rest, within the same consent.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from waypost.connect.alerts import registry
from waypost.shield import silence
from waypost.shield.clinician_selectors import ALLY_SCOPE

SILENT_ALERT = registry.AlertKind(
    key="shield.silent",
    scope=ALLY_SCOPE,
    event_kind=silence.SILENT,
    label=gettext_lazy("A device goes quiet on Shield"),
    text=gettext_lazy("One of %(name)s’s devices has gone quiet on Shield."),
    hint=gettext_lazy(
        "Devices go quiet for ordinary reasons too: a flat battery, a laptop left closed, "
        "a trip. A calm question helps more than an accusation."
    ),
)


def register() -> None:
    """From ``ShieldConfig.ready()``."""
    registry.register(SILENT_ALERT)
