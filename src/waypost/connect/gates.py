"""Stage 3's gate: someone stands beside the client, and they take part in groups or meetings.

Two criteria, evaluated from data the clinician can open on the record's
Connections card:

* ``ally_connected``: at least N allies connected in Waypost, or support documented
  by the clinician (a sponsor, a partner or friend who is not on Waypost, or the
  reason there is none for now — some clients have nobody safe to ask, and the gate
  must not push them into an unsafe disclosure). The key is the one clinics already
  stored when this criterion was the program's own.
* ``meetings_attended``: at least N peer meetings or group sessions attended since the
  client entered Stage 3, from every registered attendance source
  (``connect.attendance``: the self-reported meeting log, the facilitator's register).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from waypost.connect import attendance
from waypost.core import events
from waypost.core.models import TimelineEvent
from waypost.program import gates
from waypost.program.gates import GateCriterion, GateResult, Params

if TYPE_CHECKING:
    from waypost.program.models import Enrollment

# The timeline kind the clinician's note of support arrangements is kept as
# (``connect.support``); the latest one counts.
SUPPORT_DOCUMENTED = "connect.support_documented"


def support_documented(enrollment: Enrollment) -> TimelineEvent | None:
    """The clinician's latest note of the client's support arrangements, if any."""
    return (
        TimelineEvent.objects.filter(enrollment=enrollment, kind=SUPPORT_DOCUMENTED)
        .order_by("-created_at", "-pk")
        .first()
    )


def _support_in_place(enrollment: Enrollment, params: Params) -> GateResult:
    count = enrollment.ally_links.filter(ended_at__isnull=True).count()
    allies = ngettext("%(n)d ally connected", "%(n)d allies connected", count) % {"n": count}
    if count >= int(params["allies"]):
        return GateResult(True, allies)
    note = support_documented(enrollment)
    if note is not None:
        when = date_format(localtime(note.created_at), "j M Y")
        detail = _("%(allies)s; support documented %(date)s") % {"allies": allies, "date": when}
        return GateResult(True, detail)
    return GateResult(False, allies)


def _attended(enrollment: Enrollment, params: Params) -> GateResult:
    since = enrollment.stage_entered_at if enrollment.stage == 3 else None
    count = attendance.attended(enrollment, since)
    detail = ngettext(
        "%(n)d meeting or group session attended in this stage",
        "%(n)d meetings or group sessions attended in this stage",
        count,
    ) % {"n": count}
    return GateResult(count >= int(params["sessions"]), detail)


def register() -> None:
    events.register(
        events.EventKind(
            SUPPORT_DOCUMENTED,
            label=gettext_lazy("Support documented"),
            text=gettext_lazy("Support arrangements documented"),
            audit="support arrangements",
        )
    )
    gates.register(
        GateCriterion(
            key="ally_connected",
            stage=3,
            label=gettext_lazy(
                "Support in place: allies connected (at least {allies}) or support documented"
            ),
            defaults={"allies": 1},
            evaluate=_support_in_place,
        )
    )
    gates.register(
        GateCriterion(
            key="meetings_attended",
            stage=3,
            label=gettext_lazy("Peer meetings or group sessions attended: at least {sessions}"),
            defaults={"sessions": 6},
            evaluate=_attended,
        )
    )
