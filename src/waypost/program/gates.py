"""Gate criteria: what should be true before a client moves on from a stage.

A registry other apps extend: each criterion has a key, the stage it gates,
a label, default parameters and a function that evaluates it from data.
Clinics switch criteria on or off and tune their parameters in
``Clinic.gate_settings``. The clinician sees the result as a live checklist;
the gate informs the decision, it never blocks the clinician.

Register from an app's ``AppConfig.ready()``::

    gates.register(GateCriterion(key="baseline_measures", stage=1, label=..., evaluate=fn))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from waypost.program.models import Enrollment

# A criterion's parameters: whole numbers (days, allies, modules …), by name.
Params = dict[str, int]


@dataclass(frozen=True)
class GateResult:
    met: bool
    detail: StrOrPromise = ""


@dataclass(frozen=True)
class GateCriterion:
    key: str
    stage: int
    # A lazily translated label; ``{param}`` placeholders are filled from the parameters.
    label: StrOrPromise
    evaluate: Callable[[Enrollment, Params], GateResult]
    defaults: Params = field(default_factory=dict)
    enabled_by_default: bool = True


@dataclass(frozen=True)
class GateCheck:
    criterion: GateCriterion
    params: Params
    result: GateResult

    @property
    def label(self) -> str:
        return str(self.criterion.label).format(**self.params)


_registry: dict[str, GateCriterion] = {}


def register(criterion: GateCriterion) -> None:
    if criterion.key in _registry and _registry[criterion.key] is not criterion:
        raise ValueError(f"gate criterion {criterion.key!r} is already registered")
    if criterion.stage not in (1, 2, 3, 4):
        raise ValueError("a gate criterion belongs to stage 1, 2, 3 or 4")
    _registry[criterion.key] = criterion


def criteria_for(stage: int) -> list[GateCriterion]:
    return [c for c in _registry.values() if c.stage == stage]


def all_criteria() -> list[GateCriterion]:
    return sorted(_registry.values(), key=lambda c: (c.stage, c.key))


def settings_for(
    clinic_settings: Mapping[str, Any] | None, criterion: GateCriterion
) -> tuple[bool, Params]:
    """Whether the clinic uses the criterion, and its parameters."""
    own = (clinic_settings or {}).get(str(criterion.stage), {}).get(criterion.key, {})
    enabled = own.get("enabled", criterion.enabled_by_default)
    params = {**criterion.defaults, **{k: v for k, v in own.items() if k in criterion.defaults}}
    return bool(enabled), params


def checklist(enrollment: Enrollment, stage: int | None = None) -> list[GateCheck]:
    """Evaluate the clinic's enabled criteria for the enrollment's current stage."""
    stage = stage or enrollment.stage
    out = []
    for criterion in criteria_for(stage):
        enabled, params = settings_for(enrollment.clinic.gate_settings, criterion)
        if enabled:
            out.append(GateCheck(criterion, params, criterion.evaluate(enrollment, params)))
    return out


# --- criteria the foundation can evaluate -----------------------------------------


def _has_signed_in(enrollment: Enrollment, params: Params) -> GateResult:
    last = enrollment.client.last_login
    if last:
        date = date_format(timezone.localtime(last), "j M Y")
        return GateResult(True, _("Last signed in %(date)s") % {"date": date})
    return GateResult(False, _("Has not signed in yet"))


def _days_in_stage(enrollment: Enrollment, params: Params) -> GateResult:
    needed = int(params["days"])
    days = enrollment.days_in_stage
    detail = ngettext("%(n)d day in this stage", "%(n)d days in this stage", days) % {"n": days}
    return GateResult(days >= needed, detail)


for _stage, _days in ((1, 14), (2, 40), (3, 30), (4, 90)):
    register(
        GateCriterion(
            key=f"time_in_stage_{_stage}",
            stage=_stage,
            label=_("At least {days} days in this stage"),
            defaults={"days": _days},
            evaluate=_days_in_stage,
        )
    )
register(
    GateCriterion(
        key="signed_in",
        stage=1,
        label=_("Has signed in to Waypost"),
        evaluate=_has_signed_in,
    )
)


def days_since(moment: datetime, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return max(0, (now - moment) // timedelta(days=1))
