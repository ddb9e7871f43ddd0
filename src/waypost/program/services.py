"""Operations on the program: enrolling clients and moving them between stages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require
from waypost.core import events
from waypost.core.errors import DomainError
from waypost.program import enrollment_hooks
from waypost.program import events as program_events
from waypost.program.models import Enrollment, Stage, StageChange

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from waypost.accounts.models import User
    from waypost.clinics.models import ClinicianProfile


class StageChangeError(DomainError):
    """The requested stage change cannot be made; the message says why, kindly."""

    code = "stage_change_refused"
    status = 409


@dataclass(frozen=True)
class JourneyStep:
    stage: int
    label: StrOrPromise
    state: str  # "done", "current" or "ahead"


def enroll_client(
    *,
    client: User,
    clinician_profile: ClinicianProfile,
    by: User,
    at: datetime | None = None,
) -> Enrollment:
    """Enroll ``client`` at the clinician's clinic, in stage 1, with them as primary clinician.

    Then runs the enrollment hooks (``program.enrollment_hooks``) in the same transaction.
    """
    now = at or timezone.now()
    with transaction.atomic():
        enrollment = Enrollment.objects.create(
            client=client,
            clinic_id=clinician_profile.clinic_id,
            primary_clinician=clinician_profile,
            stage=Stage.EDUCATION,
            stage_entered_at=now,
            created_at=now,
        )
        StageChange.objects.create(
            enrollment=enrollment,
            created_at=now,
            changed_by=by,
            from_stage=None,
            to_stage=Stage.EDUCATION,
            reason=_("Joined the program"),
        )
        events.record(enrollment=enrollment, kind=program_events.ENROLLED, actor=by, at=now)
        # what the apps above do for a new client (the baseline questionnaires …)
        enrollment_hooks.run_all(enrollment=enrollment, by=by, at=now)
    return enrollment


def change_stage(
    *, enrollment: Enrollment, to_stage: int, reason: str, by: User, at: datetime | None = None
) -> StageChange:
    """Move the client to ``to_stage`` (one step forward or back) and record why.

    Only the client's primary clinician may do it. The reason is required and
    stored encrypted; the timeline gets a non-sensitive summary.
    """
    require(by, Action.CHANGE_STAGE, enrollment)
    reason = (reason or "").strip()
    if not reason:
        raise StageChangeError(_("Please write a short reason for the change."))
    if to_stage not in Stage.values:
        raise StageChangeError(_("There is no such stage."))
    now = at or timezone.now()
    with transaction.atomic():
        # Lock the row (a no-op on SQLite, whose IMMEDIATE transactions
        # already serialise writers) so two clinicians cannot race.
        current = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        if current.status != Enrollment.Status.ACTIVE:
            raise StageChangeError(_("This enrollment is no longer active."))
        if to_stage == current.stage:
            raise StageChangeError(_("The client is already in this stage."))
        if abs(to_stage - current.stage) != 1:
            raise StageChangeError(_("Stages change one step at a time."))
        change = StageChange.objects.create(
            enrollment=current,
            created_at=now,
            changed_by=by,
            from_stage=current.stage,
            to_stage=to_stage,
            reason=reason,
        )
        current.stage = to_stage
        current.stage_entered_at = now
        current.save(update_fields=["stage", "stage_entered_at"])
        events.record(
            enrollment=current,
            kind=program_events.STAGE_CHANGED,
            actor=by,
            detail=reason,
            data={"from": change.from_stage, "to": to_stage},
            at=now,
        )
    enrollment.refresh_from_db(fields=["stage", "stage_entered_at"])
    return change


def journey(enrollment: Enrollment) -> list[JourneyStep]:
    """The four stages with where the client is, for the journey map."""
    steps = []
    for stage in Stage:
        if stage.value < enrollment.stage:
            state = "done"
        elif stage.value == enrollment.stage:
            state = "current"
        else:
            state = "ahead"
        steps.append(JourneyStep(stage.value, stage.label, state))
    return steps


def mark_welcomed(*, enrollment: Enrollment, by: User, at: datetime | None = None) -> None:
    """Note that the client has closed the welcome (read or skipped), so it is not offered again.

    Only the client; the first time counts, later calls change nothing. No
    timeline line and no audit row: it says nothing about the client's care.
    """
    require(by, Action.VIEW_OWN, enrollment)
    now = at or timezone.now()
    with transaction.atomic():
        Enrollment.objects.filter(pk=enrollment.pk, welcomed_at__isnull=True).update(
            welcomed_at=now
        )
    enrollment.refresh_from_db(fields=["welcomed_at"])
