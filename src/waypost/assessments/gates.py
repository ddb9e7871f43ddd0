"""Stage 1 gate criteria from the measures: baseline questionnaires done, readiness recorded."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from waypost.assessments.models import Administration, Assignment
from waypost.program import gates
from waypost.program.gates import GateCriterion, GateResult

if TYPE_CHECKING:
    from waypost.program.models import Enrollment

READINESS_RULER = "readiness-ruler"


def baseline_measures_complete(enrollment: Enrollment, params: gates.Params) -> GateResult:
    """Every questionnaire assigned has been completed at least once."""
    done = set(
        Administration.objects.filter(
            enrollment=enrollment, status=Administration.Status.COMPLETED
        ).values_list("instrument_id", flat=True)
    )
    # A questionnaire withdrawn before it was done no longer counts as needed.
    assigned = set(
        Assignment.objects.filter(enrollment=enrollment, ended_at__isnull=True).values_list(
            "instrument_id", flat=True
        )
    ) | (
        done
        & set(
            Assignment.objects.filter(enrollment=enrollment).values_list("instrument_id", flat=True)
        )
    )
    if not assigned:
        return GateResult(False, _("No questionnaires assigned yet"))
    done &= assigned
    detail = ngettext(
        "%(done)d of %(total)d questionnaire done",
        "%(done)d of %(total)d questionnaires done",
        len(assigned),
    ) % {"done": len(done), "total": len(assigned)}
    return GateResult(done == assigned, detail)


def readiness_recorded(enrollment: Enrollment, params: gates.Params) -> GateResult:
    latest = (
        Administration.objects.filter(
            enrollment=enrollment,
            status=Administration.Status.COMPLETED,
            instrument_id=READINESS_RULER,
        )
        .order_by("-completed_at")
        .first()
    )
    if latest is None:
        return GateResult(False, _("Not recorded yet"))
    return GateResult(
        True,
        _("Latest %(score)s out of 10 on %(date)s")
        % {
            "score": latest.total_display,
            "date": formats.date_format(timezone.localtime(latest.completed_at), "j M Y"),
        },
    )


gates.register(
    GateCriterion(
        key="baseline_measures_complete",
        stage=1,
        label=gettext_lazy("Baseline questionnaires completed"),
        evaluate=baseline_measures_complete,
    )
)
gates.register(
    GateCriterion(
        key="readiness_recorded",
        stage=1,
        label=gettext_lazy("Readiness to change recorded"),
        evaluate=readiness_recorded,
    )
)
