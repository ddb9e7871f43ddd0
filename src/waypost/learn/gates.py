"""The stage 1 gate criterion "core modules read"."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from waypost.learn.selectors import core_reading
from waypost.program import gates
from waypost.program.gates import GateCriterion, GateResult, Params
from waypost.program.models import Enrollment


def core_modules_read(enrollment: Enrollment, params: Params) -> GateResult:
    """Met when the client has read the required number of core modules (0 means all)."""
    reading = core_reading(enrollment.client_id)
    if reading.total == 0:
        return GateResult(True, str(_("The library has no core modules")))
    wanted = int(params.get("modules") or 0)
    needed = reading.total if wanted <= 0 else min(wanted, reading.total)
    detail = ngettext("%(read)d of %(total)d read", "%(read)d of %(total)d read", reading.total) % {
        "read": reading.read,
        "total": reading.total,
    }
    if needed < reading.total:
        detail += ngettext("; %(n)d needed", "; %(n)d needed", needed) % {"n": needed}
    return GateResult(reading.read >= needed, detail)


CORE_MODULES_READ = GateCriterion(
    key="core_modules_read",
    stage=1,
    label=_("Core modules read"),
    # modules: how many core modules must be read; 0 means all of them
    defaults={"modules": 0},
    evaluate=core_modules_read,
)

gates.register(CORE_MODULES_READ)
