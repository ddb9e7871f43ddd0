"""Writes of the maintenance plan: a lighter check-in rhythm, warning signs, what to do.

A versioned document, as the other plans are (``core.documents.save_version``): every
save is a new version; the primary clinician agrees a version with the client
(``Action.REVIEW_PLAN``), as they agree the recovery plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require
from waypost.core import documents
from waypost.core import events as core_events
from waypost.core.errors import DomainError
from waypost.flourish import events, maintenance_content
from waypost.flourish.models import MaintenanceAgreement, MaintenancePlan, Rhythm

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

    from waypost.program.models import Enrollment


class MaintenanceError(DomainError):
    """The maintenance plan cannot be saved or agreed as asked; the message says why."""

    code = "maintenance_refused"


def save_maintenance_plan(
    *,
    enrollment: Enrollment,
    by: User,
    rhythm: str,
    warning_signs: Iterable[str] | str,
    if_they_appear: Iterable[str] | str,
    path: str = "",
    at: datetime | None = None,
) -> MaintenancePlan:
    """Save the maintenance plan as a new version and return it.

    The client or their primary clinician with them, from Stage 4 on
    (``Action.EDIT_GOALS``). ``rhythm`` is a ``Rhythm``; at least one warning sign
    is needed; up to 12 lines per section. The same plan saved again by the same
    person makes no new version.
    """
    require(by, Action.EDIT_GOALS, enrollment)
    if rhythm not in Rhythm.values:
        raise MaintenanceError(_("Please choose how often you will check in."))
    try:
        clean = maintenance_content.normalise(
            {"warning_signs": warning_signs, "if_they_appear": if_they_appear},
            too_many=_("Please keep each list to %(n)d lines.")
            % {"n": maintenance_content.MAX_ITEMS},
            too_long=_("Please keep each line to %(n)d characters.")
            % {"n": maintenance_content.MAX_LENGTH},
            empty=_("Please write at least one sign to watch for."),
        )
    except maintenance_content.MaintenanceContentError as exc:
        raise MaintenanceError(str(exc)) from None
    text = maintenance_content.dumps(clean)
    try:
        plan, _created = documents.save_version(
            model=MaintenancePlan,
            enrollment=enrollment,
            content=text,
            by=by,
            in_session=by.pk != enrollment.client_id,
            event_kind=events.MAINTENANCE_SAVED,
            at=at,
            unchanged=lambda newest: newest.content == text and newest.rhythm == rhythm,
            fields={"rhythm": rhythm},
            path=path,
        )
    except documents.VersionConflict:
        raise MaintenanceError(
            _("Someone saved the plan at the same moment. Please open it again and retry.")
        ) from None
    return plan


def agree_maintenance_plan(
    *,
    enrollment: Enrollment,
    by: User,
    version: int,
    path: str = "",
    at: datetime | None = None,
) -> MaintenanceAgreement:
    """The primary clinician agrees the newest version of the plan with the client.

    ``Action.REVIEW_PLAN``. A version other than the newest is refused, kindly (nobody
    agrees what they have not read); agreeing again changes nothing.
    """
    require(by, Action.REVIEW_PLAN, enrollment)
    newest = MaintenancePlan.objects.filter(enrollment=enrollment).order_by("-version").first()
    if newest is None:
        raise MaintenanceError(_("There is no maintenance plan to agree yet."))
    if version != newest.version:
        raise MaintenanceError(
            _("The plan has changed since this page was opened: version %(n)d is the newest.")
            % {"n": newest.version}
        )
    existing = MaintenanceAgreement.objects.filter(enrollment=enrollment, version=version).first()
    if existing is not None:
        return existing
    now = at or timezone.now()
    try:
        with transaction.atomic():
            agreement = MaintenanceAgreement.objects.create(
                enrollment=enrollment, version=version, agreed_by=by, agreed_at=now
            )
            core_events.record(
                enrollment=enrollment,
                kind=events.MAINTENANCE_AGREED,
                actor=by,
                data={"version": version},
                at=now,
                path=path,
            )
    except IntegrityError:
        stored = MaintenanceAgreement.objects.filter(enrollment=enrollment, version=version).first()
        if stored is None:
            raise
        return stored
    return agreement
