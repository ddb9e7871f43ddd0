"""Stage 1 gate criteria: the history intake is complete, and the story is shared."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waypost.intake import services
from waypost.program import gates
from waypost.program.gates import GateCriterion, GateResult
from waypost.program.models import Enrollment


def _day(moment: datetime | None) -> str:
    return date_format(timezone.localtime(moment), "j M Y")


def intake_complete(enrollment: Enrollment, params: gates.Params) -> GateResult:
    progress = services.intake_progress(services.intake_of(enrollment))
    if progress.is_complete:
        return GateResult(True, _("Completed %(date)s") % {"date": _day(progress.completed_at)})
    return GateResult(
        False,
        _("%(n)d of %(total)d topics saved") % {"n": progress.count, "total": progress.total},
    )


def narrative_shared(enrollment: Enrollment, params: gates.Params) -> GateResult:
    story = services.story_of(enrollment)
    if story.is_shared:
        return GateResult(True, _("Shared %(date)s") % {"date": _day(story.shared_at)})
    return GateResult(False, _("Not shared yet"))


INTAKE_COMPLETE = GateCriterion(
    key="intake_complete",
    stage=1,
    label=gettext_lazy("History intake complete"),
    evaluate=intake_complete,
)
NARRATIVE_SHARED = GateCriterion(
    key="narrative_shared",
    stage=1,
    label=gettext_lazy("Narrative shared with the clinician"),
    evaluate=narrative_shared,
)


def register() -> None:
    gates.register(INTAKE_COMPLETE)
    gates.register(NARRATIVE_SHARED)
