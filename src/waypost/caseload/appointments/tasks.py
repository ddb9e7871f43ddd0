"""Background work: remind the client of each appointment the day before, once.

Each reminder goes through ``notifications.services.notify`` as the kind
``appointments.reminder`` (registered here): in the client's list in Waypost, by e-mail
and on their devices, as they chose. E-mail reminders turned off, the appointment is
claimed without a mail; in their quiet hours nothing is written, so a run after they
end sends it, if the session is still ahead. The claim is a conditional
update of ``reminded_at`` in the same transaction as the e-mail is handed over: a failed
send rolls it back and is tried on the next run, and a second worker's update matches no
row and sends nothing. The e-mail is discreet: a time, a link behind sign-in, no more.

The same sweep plans the assessments app's sessions for appointments that have come
within its planning window (``services.plan_sessions_ahead``).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from waypost.accounts.notifications import Decision, zone_of
from waypost.caseload.appointments import services
from waypost.caseload.appointments.models import Appointment
from waypost.notifications import kinds
from waypost.notifications.services import decide, notify
from waypost.program.models import Enrollment

log = logging.getLogger(__name__)

REMINDER = kinds.register(
    kinds.NotificationKind(
        key="appointments.reminder",
        label=gettext_lazy("Appointments"),
        description=gettext_lazy("The day before a session with your clinician."),
        audience=frozenset({kinds.CLIENT}),
        reminder=True,
        order=30,
    )
)


class _Held(Exception):
    """Quiet hours began between deciding and notifying: undo the claim."""


#: Clients hear about a session once it is less than this far ahead.
REMIND_BEFORE = timedelta(hours=24)


def send_reminders(now: datetime | None = None) -> dict[str, int]:
    """Remind each client of their appointments starting within the next day, once each."""
    now = now or timezone.now()
    counts = {"reminders": 0, "held": 0, "not_mailed": 0}
    due = Appointment.objects.filter(
        status=Appointment.Status.PLANNED,
        reminded_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + REMIND_BEFORE,
        enrollment__status=Enrollment.Status.ACTIVE,
    ).select_related("enrollment__client", "enrollment__clinic")
    for appointment in due:
        outcome = _remind(appointment, now)
        if outcome:
            counts[outcome] += 1
    return counts


def _remind(appointment: Appointment, now: datetime) -> str:
    enrollment = appointment.enrollment
    client = enrollment.client
    zone = enrollment.clinic.time_zone
    if decide(client, REMINDER.key, now, fallback_time_zone=zone).decision == Decision.LATER:
        return "held"  # quiet hours: a run after they end sends it
    try:
        with transaction.atomic():
            claimed = Appointment.objects.filter(
                pk=appointment.pk,
                reminded_at__isnull=True,
                status=Appointment.Status.PLANNED,
                starts_at=appointment.starts_at,  # not moved since it was read
            ).update(reminded_at=now)
            if not claimed:
                return ""  # another run has it, or it changed
            outcome = notify(
                user=client,
                kind=REMINDER.key,
                title=gettext_lazy("An appointment is coming up"),
                body=_when(appointment),
                url=reverse("appointments:mine"),
                dedupe_key=(
                    f"appointments.reminder:{appointment.pk}:{appointment.starts_at.isoformat()}"
                ),
                now=now,
                fallback_time_zone=zone,
                language=enrollment.clinic.default_language,
                email=lambda: _mail(appointment),
            )
            if outcome.held:
                raise _Held
    except _Held:
        return "held"
    except OSError:
        log.exception("appointment reminder %s could not be sent", appointment.pk)
        return ""
    return "reminders" if outcome.emailed else "not_mailed"


def _when(appointment: Appointment) -> str:
    """The session's day and time in the client's zone, in their language."""
    client = appointment.enrollment.client
    clinic = appointment.enrollment.clinic
    local = appointment.starts_at.astimezone(zone_of(client, clinic.time_zone))
    language = client.language or clinic.default_language or settings.LANGUAGE_CODE
    with translation.override(language):
        return _("%(day)s at %(time)s") % {
            "day": formats.date_format(local, "l j F"),
            "time": formats.time_format(local, "H:i"),
        }


def _mail(appointment: Appointment) -> None:
    client = appointment.enrollment.client
    clinic = appointment.enrollment.clinic
    zone = zone_of(client, clinic.time_zone)
    local = appointment.starts_at.astimezone(zone)
    language = client.language or clinic.default_language or settings.LANGUAGE_CODE
    with translation.override(language):
        when = _("%(day)s at %(time)s") % {
            "day": formats.date_format(local, "l j F"),
            "time": formats.time_format(local, "H:i"),
        }
        body = render_to_string(
            "appointments/email/reminder.txt",
            {
                "when": when,
                "zone": str(zone),
                "url": settings.SITE_URL + reverse("appointments:mine"),
            },
        )
        subject = _("Waypost: a reminder")
    send_mail(subject, body, None, [client.email])


@db_periodic_task(crontab(minute="*/15"))  # type: ignore[untyped-decorator]  # huey is untyped
def remind_appointments() -> dict[str, int]:
    counts = send_reminders()
    counts["sessions_planned"] = services.plan_sessions_ahead()
    return counts
