"""The readiness ruler and stage of change: where the client stands, in a number or a stage."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.assessments import results as measure_results
from waypost.assessments import services as measures
from waypost.assessments.gates import READINESS_RULER
from waypost.assessments.models import Administration
from waypost.core import events as core_events
from waypost.motivation import events, tools
from waypost.motivation.models import StageOfChangeEntry
from waypost.motivation.services.common import acting_in_session, close_requests
from waypost.motivation.tools import MotivationContentError
from waypost.program.models import Enrollment

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User


def record_readiness(
    *, enrollment: Enrollment, value: Any, by: User, path: str = "", at: datetime | None = None
) -> Administration:
    """Keep a readiness number (0–10) as a completed readiness-ruler questionnaire.

    When the client answers and a readiness ruler their clinician assigned is
    open, that form is the one completed; otherwise a new completed form is
    recorded, marked as filled in together in session when the clinician saves
    (and audited; the questionnaire's own timeline line is the assessments app's).
    """
    in_session = acting_in_session(by, enrollment)
    number = tools.parse_readiness(value)
    now = at or timezone.now()
    with transaction.atomic():
        form = None
        if not in_session:
            form = (
                measure_results.open_forms(enrollment).filter(instrument_id=READINESS_RULER).first()
            )
        try:
            if form is not None:
                link_id = measures.entry_for(READINESS_RULER).instrument.items[0].link_id
                measures.record_answer(form=form, link_id=link_id, value=number, by=by, at=now)
                measures.submit(form=form, by=by, at=now)
                form.refresh_from_db()
            else:
                form = measures.record_completed(
                    enrollment=enrollment,
                    instrument_id=READINESS_RULER,
                    answers=[number],
                    at=now,
                    source=(
                        Administration.Source.SESSION
                        if in_session
                        else Administration.Source.CLIENT
                    ),
                )
        except measures.MeasureError as exc:
            raise MotivationContentError(exc.message) from None
        close_requests(enrollment, "readiness", now)
        if in_session:
            core_events.record_change(
                actor=by, enrollment=enrollment, what=events.READINESS, path=path, at=now
            )
    return form


def record_stage(
    *,
    enrollment: Enrollment,
    stage: str,
    by: User,
    note: str = "",
    view: str = StageOfChangeEntry.View.CLIENT,
    path: str = "",
    at: datetime | None = None,
) -> StageOfChangeEntry:
    """Keep where the client is with change today: their view, or the clinician's own."""
    in_session = acting_in_session(by, enrollment)
    if view not in StageOfChangeEntry.View.values or (
        view == StageOfChangeEntry.View.CLINICIAN and not in_session
    ):
        raise MotivationContentError(_("Please say whose view this is."))
    if tools.change_stage(stage) is None:
        raise MotivationContentError(_("Please choose the statement that fits best."))
    note = (note or "").strip()
    if len(note) > tools.NOTE_MAX_LENGTH:
        raise MotivationContentError(
            _("Please keep the note under %(n)d characters.") % {"n": tools.NOTE_MAX_LENGTH}
        )
    clinician_view = view == StageOfChangeEntry.View.CLINICIAN
    now = at or timezone.now()
    with transaction.atomic():
        entry = StageOfChangeEntry.objects.create(
            enrollment=enrollment,
            stage=stage,
            view=view,
            in_session=in_session and not clinician_view,
            note=note,
            recorded_at=now,
            recorded_by=by,
        )
        core_events.record(
            enrollment=enrollment,
            kind=events.STAGE_OF_CHANGE,
            actor=by,
            data={"stage": stage, "view": view, "in_session": entry.in_session},
            at=now,
            path=path,
        )
        if not clinician_view:
            close_requests(enrollment, "stage", now)
    return entry
