"""Writes of the two plans: the recovery plan, the relapse-prevention plan, and their reviews.

Public API for other apps
- ``save_recovery_plan(*, enrollment, by, start_date, period_days, circles, path="", at=None)``:
  a new version of the recovery plan (the period, its start and the three circles).
- ``save_prevention_plan(*, enrollment, by, content, path="", at=None)``: a new version of
  the relapse-prevention plan (``prevention_content``).
- ``review_plan(*, enrollment, by, document, version, path="", at=None)``: the clinician
  agrees a recovery plan version, or marks a relapse-prevention plan version reviewed.
- ``latest_recovery_plan``, ``latest_prevention_plan``, ``recovery_plan_versions``,
  ``prevention_plan_versions``: reads the writes need too.

Both plans are versioned documents (``core.documents.save_version``): every save is a
new version, earlier ones stay as they were. Saved by the primary clinician, a version
is marked as written together in session (and audited). Saving what the newest version
already says, by the same person, makes no new version: a double tap or a retry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require
from waypost.core import documents
from waypost.core import events as core_events
from waypost.core.errors import DomainError
from waypost.program.models import Enrollment
from waypost.recovery import events, plan_content, prevention_content, selectors
from waypost.recovery.models import (
    PERIOD_MAX_DAYS,
    PERIOD_MIN_DAYS,
    PlanReview,
    PreventionPlan,
    RecoveryPlan,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

# How far the start date may be from the client's today, either way.
START_DAYS_BACK = 365
START_DAYS_AHEAD = 30
# The periods offered first (any other from PERIOD_MIN_DAYS to PERIOD_MAX_DAYS is fine).
PERIOD_CHOICES = (40, 60, 90)


class PlanError(DomainError):
    """A plan cannot be saved or reviewed as asked; the message says why, kindly."""

    code = "plan_refused"


# --- reads the writes need ----------------------------------------------------------------


def latest_recovery_plan(enrollment: Enrollment) -> RecoveryPlan | None:
    """The newest version of the client's recovery plan, or None before the first."""
    return documents.latest_version(RecoveryPlan, enrollment)


def latest_prevention_plan(enrollment: Enrollment) -> PreventionPlan | None:
    """The newest version of the client's relapse-prevention plan, or None."""
    return documents.latest_version(PreventionPlan, enrollment)


def recovery_plan_versions(enrollment: Enrollment) -> QuerySet[RecoveryPlan]:
    """Every version, newest first (content is decrypted only when read)."""
    return (
        RecoveryPlan.objects.filter(enrollment=enrollment)
        .select_related("saved_by")
        .order_by("-version")
    )


def prevention_plan_versions(enrollment: Enrollment) -> QuerySet[PreventionPlan]:
    """Every version, newest first (content is decrypted only when read)."""
    return (
        PreventionPlan.objects.filter(enrollment=enrollment)
        .select_related("saved_by")
        .order_by("-version")
    )


def start_date_range(today: date) -> tuple[date, date]:
    """The earliest and latest start date a plan may be given, around the client's today."""
    return today - timedelta(days=START_DAYS_BACK), today + timedelta(days=START_DAYS_AHEAD)


# --- the recovery plan --------------------------------------------------------------------


def _period(value: object) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not PERIOD_MIN_DAYS <= value <= PERIOD_MAX_DAYS
    ):
        raise PlanError(
            _("Please choose a period from %(min)d to %(max)d days.")
            % {"min": PERIOD_MIN_DAYS, "max": PERIOD_MAX_DAYS}
        )
    return value


def _start(start_date: object, today: date, latest: RecoveryPlan | None) -> date:
    if not isinstance(start_date, date) or isinstance(start_date, datetime):
        raise PlanError(_("Please give the day your plan starts."))
    if latest is not None and latest.start_date == start_date:
        return start_date  # a plan begun long ago keeps its start when its circles change
    earliest, latest_day = start_date_range(today)
    if start_date < earliest:
        raise PlanError(_("The start can be at most a year ago. Please choose a later day."))
    if start_date > latest_day:
        raise PlanError(
            _("The start can be at most %(n)d days from today. Please choose an earlier day.")
            % {"n": START_DAYS_AHEAD}
        )
    return start_date


def save_recovery_plan(
    *,
    enrollment: Enrollment,
    by: User,
    start_date: date,
    period_days: int,
    circles: Mapping[str, Iterable[Any]],
    path: str = "",
    at: datetime | None = None,
) -> RecoveryPlan:
    """Save the recovery plan as a new version and return it.

    The client, or their primary clinician with them in session, from Stage 2 on
    (``Action.EDIT_RECOVERY_PLAN``). ``period_days`` is from 7 to 365 (40, 60 and 90
    are usual; 90 the default). ``start_date`` is a day on the client's calendar, at
    most a year before their today and at most 30 days after it (a plan that keeps
    the start it already had may keep it, however long ago). ``circles`` maps
    ``inner``, ``middle`` and ``outer`` to lines; the inner circle must say something.
    Nothing is written when anything is refused; the same plan saved again by the same
    person makes no new version.
    """
    require(by, Action.EDIT_RECOVERY_PLAN, enrollment)
    now = at or timezone.now()
    today = selectors.client_today(enrollment, now)
    latest = latest_recovery_plan(enrollment)
    period = _period(period_days)
    start = _start(start_date, today, latest)
    try:
        clean = plan_content.normalise(circles)
    except plan_content.CirclesError as exc:
        raise PlanError(str(exc)) from None
    text = plan_content.dumps(clean)

    def unchanged(newest: RecoveryPlan) -> bool:
        return (
            newest.content == text and newest.start_date == start and newest.period_days == period
        )

    try:
        plan, _created = documents.save_version(
            model=RecoveryPlan,
            enrollment=enrollment,
            content=text,
            by=by,
            in_session=by.pk != enrollment.client_id,
            event_kind=events.RECOVERY_PLAN_SAVED,
            at=now,
            unchanged=unchanged,
            fields={"start_date": start, "period_days": period},
            path=path,
        )
    except documents.VersionConflict:
        raise PlanError(
            _("Someone saved the plan at the same moment. Please open it again and retry.")
        ) from None
    return plan


# --- the relapse-prevention plan ----------------------------------------------------------


def save_prevention_plan(
    *,
    enrollment: Enrollment,
    by: User,
    content: Mapping[str, Iterable[Any]],
    path: str = "",
    at: datetime | None = None,
) -> PreventionPlan:
    """Save the relapse-prevention plan as a new version and return it.

    Who may: as for the recovery plan (``Action.EDIT_RECOVERY_PLAN``). ``content`` maps
    section keys (``prevention_content.SECTION_KEYS``) to items: lines, ``IfThen`` or
    ``{"if", "then"}`` for the if–then plans, ``Contact`` or ``{"name", "phone"}`` for
    people. An empty plan is refused; the same plan saved again by the same person
    makes no new version.
    """
    require(by, Action.EDIT_RECOVERY_PLAN, enrollment)
    try:
        clean = prevention_content.normalise(content)
    except prevention_content.PreventionContentError as exc:
        raise PlanError(str(exc)) from None
    try:
        plan, _created = documents.save_version(
            model=PreventionPlan,
            enrollment=enrollment,
            content=prevention_content.dumps(clean),
            by=by,
            in_session=by.pk != enrollment.client_id,
            event_kind=events.PREVENTION_PLAN_SAVED,
            at=at,
            path=path,
        )
    except documents.VersionConflict:
        raise PlanError(
            _("Someone saved the plan at the same moment. Please open it again and retry.")
        ) from None
    return plan


# --- the clinician agrees or reviews a version --------------------------------------------


def review_plan(
    *,
    enrollment: Enrollment,
    by: User,
    document: str,
    version: int,
    path: str = "",
    at: datetime | None = None,
) -> PlanReview:
    """The primary clinician agrees (recovery plan) or reviews (relapse-prevention plan) a version.

    Only the primary clinician, from Stage 2 on (``Action.REVIEW_PLAN``). ``document`` is a
    ``PlanReview.Document``; ``version`` must be the newest version of that plan (one
    saved since the page was opened is refused, kindly, so nobody agrees what they have
    not read). Doing it again for the same version changes nothing and returns the
    review already kept. The timeline says so, and the audit trail.
    """
    require(by, Action.REVIEW_PLAN, enrollment)
    if document not in PlanReview.Document.values:
        raise PlanError(_("Please choose which plan to review."))
    model: type[RecoveryPlan] | type[PreventionPlan] = (
        RecoveryPlan if document == PlanReview.Document.RECOVERY else PreventionPlan
    )
    newest = model.objects.filter(enrollment=enrollment).order_by("-version").first()
    if newest is None:
        raise PlanError(_("There is no plan to review yet."))
    if version != newest.version:
        raise PlanError(
            _(
                "The plan has changed since this page was opened: version %(n)d is the newest. "
                "Please read it, then agree or review that one."
            )
            % {"n": newest.version}
        )
    existing = PlanReview.objects.filter(
        enrollment=enrollment, document=document, version=version
    ).first()
    if existing is not None:
        return existing
    now = at or timezone.now()
    kind = (
        events.RECOVERY_PLAN_AGREED
        if document == PlanReview.Document.RECOVERY
        else events.PREVENTION_PLAN_REVIEWED
    )
    try:
        with transaction.atomic():
            review = PlanReview.objects.create(
                enrollment=enrollment,
                document=document,
                version=version,
                reviewed_by=by,
                reviewed_at=now,
            )
            core_events.record(
                enrollment=enrollment,
                kind=kind,
                actor=by,
                data={"version": version},
                at=now,
                path=path,
            )
    except IntegrityError:
        # The same review arrived twice at once: the other one kept it.
        stored = PlanReview.objects.filter(
            enrollment=enrollment, document=document, version=version
        ).first()
        if stored is None:
            raise
        return stored
    return review
