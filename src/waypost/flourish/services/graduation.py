"""Graduation to alumni, and stepping back in.

The primary clinician graduates a Stage 4 client (``Action.CHANGE_STAGE``) with a short
note. The enrollment stays active and in Stage 4: an alumnus keeps signing in, with
their totals, toolbox, safety plan and goals. Stepping back in (more support again) is
the clinician's too, and is an ordinary, welcome thing.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require
from waypost.core import documents
from waypost.core import events as core_events
from waypost.core.errors import DomainError
from waypost.flourish import events
from waypost.flourish.models import Graduation
from waypost.program.models import Stage

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

    from waypost.core.models import TimelineEvent
    from waypost.program.models import Enrollment

NOTE_MAX = 1000


class GraduationError(DomainError):
    """The client cannot graduate or step back in as asked; the message says why."""

    code = "graduation_refused"


def graduate(
    *, enrollment: Enrollment, by: User, note: str, path: str = "", at: datetime | None = None
) -> Graduation:
    """Graduate a Stage 4 client to alumni with a short note (kept encrypted).

    The primary clinician only (``Action.CHANGE_STAGE``); the client must be in Stage 4
    and not an alumnus already.
    """
    require(by, Action.CHANGE_STAGE, enrollment)
    clean = str(note or "").strip()
    if not clean:
        raise GraduationError(_("Please write a short note for the graduation."))
    if len(clean) > NOTE_MAX:
        raise GraduationError(_("Please keep the note to %(n)d characters.") % {"n": NOTE_MAX})
    now = at or timezone.now()
    with transaction.atomic():
        documents.lock_enrollment(enrollment)
        enrollment.refresh_from_db(fields=["stage"])
        if enrollment.stage != Stage.FLOURISHING:
            raise GraduationError(_("Only a client in Stage 4 can graduate."))
        graduation = Graduation.objects.filter(enrollment=enrollment).first()
        if graduation is not None and graduation.is_alumni:
            raise GraduationError(_("This client has already graduated."))
        if graduation is None:
            graduation = Graduation(enrollment=enrollment)
        graduation.graduated_at, graduation.graduated_by, graduation.note = now, by, clean
        graduation.stepped_back_at = graduation.stepped_back_by = None
        graduation.step_back_note = ""
        graduation.save()
        core_events.record(
            enrollment=enrollment,
            kind=events.GRADUATED,
            actor=by,
            detail=clean,
            at=now,
            path=path,
        )
    return graduation


def step_back_in(
    *, enrollment: Enrollment, by: User, note: str = "", path: str = "", at: datetime | None = None
) -> Graduation:
    """End an alumnus's graduation: they are a Stage 4 client with full support again.

    The primary clinician only (``Action.CHANGE_STAGE``). ``note`` is optional.
    """
    require(by, Action.CHANGE_STAGE, enrollment)
    clean = str(note or "").strip()[:NOTE_MAX]
    now = at or timezone.now()
    with transaction.atomic():
        documents.lock_enrollment(enrollment)
        graduation = Graduation.objects.filter(enrollment=enrollment).first()
        if graduation is None or not graduation.is_alumni:
            raise GraduationError(_("This client is not an alumnus now."))
        graduation.stepped_back_at, graduation.stepped_back_by = now, by
        graduation.step_back_note = clean
        graduation.save(update_fields=["stepped_back_at", "stepped_back_by", "step_back_note"])
        core_events.record(
            enrollment=enrollment,
            kind=events.STEPPED_BACK_IN,
            actor=by,
            detail=clean,
            at=now,
            path=path,
        )
    return graduation


def step_back_when_moved_back(event: TimelineEvent) -> None:
    """An alumnus moved back to an earlier stage is an alumnus no longer.

    Listens to the program's stage changes (``core.events.listen``): the graduation
    ends with the move, by the clinician who made it, so the alumni card never shows
    beside a stage that is not the last one.
    """
    if event.actor is None or int(event.data.get("to", Stage.FLOURISHING)) >= Stage.FLOURISHING:
        return
    graduation = Graduation.objects.filter(enrollment_id=event.enrollment_id).first()
    if graduation is None or not graduation.is_alumni:
        return
    step_back_in(enrollment=event.enrollment, by=event.actor, at=event.created_at)
