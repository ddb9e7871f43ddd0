"""Recovery's entries in the clinic's risk inbox: a lapse the client logged, and a long
run of days without a check-in.

These are alerts, not early warnings: the clinician acknowledges each with a note,
and an unacknowledged one escalates like any other (``safety``). They sort after the
answers about someone's safety (``RiskAlert.severity``): a lapse is something to talk
about at the next contact, not a danger sign, and a silence is a question to ask.

- **A lapse** logged by the client raises one alert (a lapse the clinician wrote down
  themselves, in session, does not: they already know). It listens to the lapse's
  timeline event, so it runs once the lapse is committed.
- **Check-ins missed**: a client in Stage 2 or 3 (where a daily check-in is the
  rhythm) with no check-in for :data:`MISSED_DAYS` days, counted from their latest
  check-in or, when there is none yet, from the day they entered the stage, raises one
  alert per silence; the next check-in ends the silence. Stage 4 has its own, lighter
  rhythm and is left to the early-warning rules. Checked hourly with the early warnings.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from waypost.program.models import Enrollment
from waypost.safety.models import RiskAlert
from waypost.safety.services import raise_alert

if TYPE_CHECKING:
    from waypost.core.models import TimelineEvent

LAPSE_KIND = "lapse"
MISSED_KIND = "missed_check_ins"
# Where each sorts in the inbox (0–100; see safety.selectors.TRIAGE_ORDER): after every
# answer about safety, a lapse before a silence, both before a quiet Shield device (0).
LAPSE_SEVERITY = 40
MISSED_SEVERITY = 20
#: Days without a check-in, in Stage 2 or 3, before the clinician is told.
MISSED_DAYS = 7
DAILY_STAGES = (2, 3)


def _clinic_language(enrollment: Enrollment) -> str:
    return enrollment.clinic.default_language or settings.LANGUAGE_CODE


def alert_on_lapse(event: TimelineEvent) -> None:
    """Listens to ``recovery.lapse_logged``: the client's own lapse reaches the inbox once."""
    enrollment = event.enrollment
    if event.actor_id is None or event.actor_id != enrollment.client_id:
        return
    # The same event reaching the listener twice (a retry) raises one alert.
    if RiskAlert.objects.filter(
        enrollment=enrollment, kind=LAPSE_KIND, created_at=event.created_at
    ).exists():
        return
    day = parse_date(str(event.data.get("day", "")))
    with translation.override(_clinic_language(enrollment)):
        summary = (
            _("A lapse was logged for %(day)s.") % {"day": formats.date_format(day, "j F Y")}
            if day
            else _("A lapse was logged.")
        )
        raise_alert(
            enrollment=enrollment,
            kind=LAPSE_KIND,
            summary=summary,
            source_label=_("Lapse log"),
            source_url=reverse("recovery:client_lapses", args=[enrollment.pk]),
            at=event.created_at,
            severity=LAPSE_SEVERITY,
        )


def raise_missed_check_in_alerts(now: datetime | None = None) -> int:
    """One alert per silence of :data:`MISSED_DAYS` days or more; returns how many raised.

    Two queries whatever the number of clients, plus the alerts raised.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=MISSED_DAYS)
    candidates = [
        enrollment
        for enrollment in Enrollment.objects.filter(
            status=Enrollment.Status.ACTIVE, stage__in=DAILY_STAGES
        )
        .select_related("clinic")
        .annotate(last_check_in=Max("check_ins__created_at"))
        if max(enrollment.stage_entered_at, enrollment.last_check_in or enrollment.stage_entered_at)
        <= cutoff
    ]
    if not candidates:
        return 0
    latest_alert = dict(
        RiskAlert.objects.filter(enrollment__in=[e.pk for e in candidates], kind=MISSED_KIND)
        .values("enrollment_id")
        .annotate(latest=Max("created_at"))
        .values_list("enrollment_id", "latest")
    )
    raised = 0
    for enrollment in candidates:
        since = max(
            enrollment.stage_entered_at, enrollment.last_check_in or enrollment.stage_entered_at
        )
        told = latest_alert.get(enrollment.pk)
        if told is not None and told >= since:
            continue  # this silence is already in the inbox
        days = (now - since).days
        with translation.override(_clinic_language(enrollment)):
            raise_alert(
                enrollment=enrollment,
                kind=MISSED_KIND,
                summary=(
                    _("No check-in for %(days)d days.")
                    if enrollment.last_check_in
                    else _("No check-in yet, %(days)d days into the stage.")
                )
                % {"days": days},
                source_label=_("Check-ins"),
                source_url=reverse("caseload:record", args=[enrollment.pk]),
                at=now,
                severity=MISSED_SEVERITY,
            )
        raised += 1
    return raised
