"""Stage 2's gate criterion for the check-ins: the client has checked in on N days.

The plans, lapses and device plan register their own criteria beside this one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from waypost.program import gates
from waypost.program.gates import GateCriterion, GateResult, Params
from waypost.recovery import selectors
from waypost.recovery.models import CheckIn

if TYPE_CHECKING:
    from waypost.program.models import Enrollment


def _checked_in_days(enrollment: Enrollment, params: Params) -> GateResult:
    """Days with a check-in since counting began (the plan's start, else the stage's)."""
    start = selectors.counting_start(enrollment)
    found = (
        CheckIn.objects.filter(enrollment=enrollment, local_date__gte=start).count()
        if start is not None
        else 0
    )
    detail = ngettext("Checked in on %(n)d day", "Checked in on %(n)d days", found) % {"n": found}
    return GateResult(found >= int(params["days"]), detail)


CHECK_IN_DAYS = GateCriterion(
    key="check_in_days",
    stage=2,
    label=_("Checked in on at least {days} days"),
    defaults={"days": 30},
    evaluate=_checked_in_days,
)


def register_all() -> None:
    gates.register(CHECK_IN_DAYS)
