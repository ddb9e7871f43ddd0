"""Escalation of risk alerts nobody has acknowledged: to the clinician on call, then admins.

Public API
- ``policy_for(clinic)``: the clinic's escalation times (unsaved defaults if none).
- ``save_policy(*, clinic, by, enabled, first_after_minutes, second_after_minutes)``.
- ``add_shift(*, clinic, by, clinician, starts_on, ends_on)`` / ``remove_shift(*, shift, by)``:
  the on-call rota.
- ``on_call(*, clinic, day, besides=None)``: who is the second clinician on ``day``.
- ``escalate_due(*, now=None)``: what the periodic task runs: every open alert past its
  clinic's first time goes to the clinician on call, past its second time to the clinic's
  admins, each level once.

The on-call clinician is told by a discreet e-mail (sent also in their quiet hours: it is
about someone's safety) and may then see and acknowledge that alert, and only that one
(``selectors.escalated_alerts``). Admins are told where to look, never what it says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require
from waypost.clinics.models import Clinic, ClinicAdmin, ClinicianProfile
from waypost.core import events as core_events
from waypost.core.errors import DomainError
from waypost.core.timezones import first_zone
from waypost.safety import events
from waypost.safety.models import AlertEscalation, EscalationPolicy, OnCallShift, RiskAlert

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

MAX_MINUTES = 7 * 24 * 60  # a week: anything later is no escalation


class EscalationError(DomainError):
    """The settings or the shift cannot be saved; the message says why, kindly."""

    code = "escalation_refused"


# --- settings and rota -------------------------------------------------------------------


def policy_for(clinic: Clinic) -> EscalationPolicy:
    """The clinic's policy; an unsaved, switched-off one with the defaults if none was set."""
    policy = EscalationPolicy.objects.filter(clinic=clinic).first()
    return policy or EscalationPolicy(clinic=clinic, enabled=False)


def save_policy(
    *,
    clinic: Clinic,
    by: User,
    enabled: bool,
    first_after_minutes: int,
    second_after_minutes: int,
) -> EscalationPolicy:
    """Set when the clinic's open alerts go to the clinician on call and then to its admins.

    Both times count from when the alert was raised; the second must be later than
    the first, and both at most a week.
    """
    require(by, Action.MANAGE_ESCALATION, clinic)
    if not 1 <= first_after_minutes <= MAX_MINUTES or not 1 <= second_after_minutes <= MAX_MINUTES:
        raise EscalationError(_("Please give times between 1 minute and one week."))
    if second_after_minutes <= first_after_minutes:
        raise EscalationError(
            _("The clinic admins are told after the clinician on call: give a later time.")
        )
    policy, _created = EscalationPolicy.objects.update_or_create(
        clinic=clinic,
        defaults={
            "enabled": enabled,
            "first_after_minutes": first_after_minutes,
            "second_after_minutes": second_after_minutes,
            "updated_by": by,
            "updated_at": timezone.now(),
        },
    )
    return policy


def add_shift(
    *, clinic: Clinic, by: User, clinician: ClinicianProfile, starts_on: date, ends_on: date
) -> OnCallShift:
    """Put ``clinician`` on call for the clinic from ``starts_on`` to ``ends_on`` (inclusive)."""
    require(by, Action.MANAGE_ESCALATION, clinic)
    if clinician.clinic_id != clinic.pk or not clinician.is_active:
        raise EscalationError(_("Please choose one of the clinic's active clinicians."))
    if ends_on < starts_on:
        raise EscalationError(_("The shift ends before it starts: please check the dates."))
    return OnCallShift.objects.create(
        clinic=clinic, clinician=clinician, starts_on=starts_on, ends_on=ends_on
    )


def remove_shift(*, shift: OnCallShift, by: User) -> None:
    """Take a shift off the rota (alerts already passed on stay with whoever was told)."""
    require(by, Action.MANAGE_ESCALATION, shift.clinic)
    shift.delete()


def local_today(clinic: Clinic, now: datetime | None = None) -> date:
    """The clinic's date now: the rota's dates are the clinic's."""
    return timezone.localtime(now or timezone.now(), first_zone(clinic.time_zone)).date()


def on_call(*, clinic: Clinic, day: date, besides: int | None = None) -> ClinicianProfile | None:
    """The clinician on call for ``clinic`` on its local date ``day``, or None.

    Shifts covering the day are asked in rota order (earliest start first); a
    clinician switched off, or the alert's own clinician (``besides``, a profile
    id), is skipped: the second clinician is someone else.
    """
    shifts = (
        OnCallShift.objects.filter(
            clinic=clinic,
            starts_on__lte=day,
            ends_on__gte=day,
            clinician__is_active=True,
            clinician__user__is_active=True,
        )
        .select_related("clinician__user")
        .order_by("starts_on", "id")
    )
    for shift in shifts:
        if shift.clinician_id != besides:
            return shift.clinician
    return None


# --- the periodic run ----------------------------------------------------------------------


@dataclass
class EscalationRun:
    """What one run did (the task returns it as a dict for the worker's log)."""

    on_call: int = 0  # alerts passed to the clinician on call
    admins: int = 0  # alerts passed to the clinic admins
    nobody: int = 0  # levels reached with no one to tell (no one on call, no admin)

    def as_dict(self) -> dict[str, int]:
        return {"on_call": self.on_call, "admins": self.admins, "nobody": self.nobody}


def _claim(alert: RiskAlert, level: int) -> bool:
    """Move the alert to ``level`` if it is still open one level below; True if this run did."""
    claimed = RiskAlert.objects.filter(
        pk=alert.pk, status=RiskAlert.Status.OPEN, escalation_level=level - 1
    ).update(escalation_level=level)
    return claimed == 1


def _escalate(
    alert: RiskAlert, level: int, people: list[User], now: datetime, *, notify: bool
) -> None:
    """Record who is told at ``level`` and, once committed, e-mail them (if ``notify``)."""
    from waypost.safety import tasks

    if people:
        rows = [
            AlertEscalation(alert=alert, level=level, notified=person, created_at=now)
            for person in people
        ]
    else:
        rows = [AlertEscalation(alert=alert, level=level, notified=None, created_at=now)]
    AlertEscalation.objects.bulk_create(rows)
    core_events.record(
        enrollment=alert.enrollment,
        kind=events.ALERT_ESCALATED,
        actor=None,
        data={"alert": alert.pk, "level": level},
        at=now,
    )
    for person in people if notify else []:
        transaction.on_commit(partial(tasks.notify_of_escalation, alert.pk, person.pk, level))


def escalate_due(*, now: datetime | None = None, notify: bool = True) -> EscalationRun:
    """Pass on every open alert whose clinic's escalation time has come; each level once.

    Run by the periodic task every few minutes (``notify=False``: record without
    e-mail, for backdated demo data); safe to run twice at once (each
    level is claimed with a conditional update). An alert past both times (the
    task was down) goes to both levels in the same run. Acknowledged alerts never
    escalate, nor alerts of a clinic without a switched-on policy.
    """
    now = now or timezone.now()
    run = EscalationRun()
    for policy in EscalationPolicy.objects.filter(enabled=True).select_related("clinic"):
        clinic = policy.clinic
        first_cut = now - timedelta(minutes=policy.first_after_minutes)
        second_cut = now - timedelta(minutes=policy.second_after_minutes)
        due = (
            RiskAlert.objects.filter(
                enrollment__clinic=clinic,
                status=RiskAlert.Status.OPEN,
                escalation_level__lt=AlertEscalation.Level.ADMIN,
                created_at__lte=first_cut,
            )
            .select_related("enrollment")
            .order_by("created_at", "id")
        )
        admins: list[User] | None = None
        for alert in due:
            with transaction.atomic():
                if alert.escalation_level < AlertEscalation.Level.ON_CALL and _claim(
                    alert, AlertEscalation.Level.ON_CALL
                ):
                    alert.escalation_level = AlertEscalation.Level.ON_CALL
                    second = on_call(
                        clinic=clinic,
                        day=local_today(clinic, now),
                        besides=alert.enrollment.primary_clinician_id,
                    )
                    people = [second.user] if second is not None else []
                    _escalate(alert, AlertEscalation.Level.ON_CALL, people, now, notify=notify)
                    run.on_call += 1 if people else 0
                    run.nobody += 0 if people else 1
            if alert.created_at > second_cut:
                continue
            with transaction.atomic():
                if alert.escalation_level == AlertEscalation.Level.ON_CALL and _claim(
                    alert, AlertEscalation.Level.ADMIN
                ):
                    if admins is None:
                        admins = [
                            seat.user
                            for seat in ClinicAdmin.objects.filter(
                                clinic=clinic, user__is_active=True
                            ).select_related("user")
                        ]
                    _escalate(alert, AlertEscalation.Level.ADMIN, admins, now, notify=notify)
                    run.admins += 1 if admins else 0
                    run.nobody += 0 if admins else 1
    return run
