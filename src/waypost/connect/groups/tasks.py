"""Background work: remind each member of a group session the day before, once.

A cancelled session sends a short notice instead (also once, and also to a member
already reminded before it was called off). The e-mails are discreet: no group name,
nothing clinical, only the time in the member's own zone and a link behind sign-in.

The member's choices decide, exactly as for questionnaire reminders
(``accounts.notifications``): reminders turned off, the row is kept as "decided, not
mailed" and nothing goes; in their quiet hours nothing is written, so a run after they
end sends it, if the session is still ahead. The unique ``SessionReminder`` row is the
claim: written in the same transaction as the e-mail is handed over, so a failed send
is tried again on the next run, and a second worker finds the row and sends nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from waypost.accounts import notifications
from waypost.connect.groups import schedule
from waypost.connect.groups.models import GroupMember, GroupProgramme, SessionReminder
from waypost.connect.groups.selectors import changes_by_programme
from waypost.program.models import Enrollment

log = logging.getLogger(__name__)

#: Members hear about a session once it is less than this far ahead.
REMIND_BEFORE = timedelta(hours=24)


def send_reminders(now: datetime | None = None) -> dict[str, int]:
    """Remind the members of every session starting in the next day; notices for cancelled ones."""
    now = now or timezone.now()
    sent = {"reminders": 0, "notices": 0, "held": 0, "not_mailed": 0}
    programmes = list(
        GroupProgramme.objects.filter(members__left_at__isnull=True)
        .distinct()
        .select_related("clinic")
    )
    changes = changes_by_programme(p.pk for p in programmes)
    for programme in programmes:
        soon = schedule.occurrences(
            programme.series,
            now,
            now + REMIND_BEFORE,
            changes.get(programme.pk, []),
            include_cancelled=True,
        )
        if not soon:
            continue
        members = list(
            GroupMember.objects.filter(
                programme=programme,
                left_at__isnull=True,
                joined_at__lte=now,
                enrollment__status=Enrollment.Status.ACTIVE,
            ).select_related("enrollment__client", "enrollment__clinic")
        )
        for occurrence in soon:
            kind = (
                SessionReminder.Kind.CANCELLED
                if occurrence.cancelled
                else SessionReminder.Kind.REMINDER
            )
            done = set(
                SessionReminder.objects.filter(
                    programme=programme, original_start=occurrence.original, kind=kind
                ).values_list("enrollment_id", flat=True)
            )
            for member in members:
                if member.enrollment_id in done:
                    continue
                outcome = _remind(programme, occurrence, member.enrollment, kind, now)
                if outcome:
                    sent[outcome] += 1
    return sent


def _remind(
    programme: GroupProgramme,
    occurrence: schedule.Occurrence,
    enrollment: Enrollment,
    kind: str,
    now: datetime,
) -> str:
    client = enrollment.client
    decision = notifications.decide(
        client, notifications.Kind.REMINDER, now, fallback_time_zone=enrollment.clinic.time_zone
    )
    if decision == notifications.Decision.LATER:
        return "held"  # quiet hours: a run after they end sends it
    mail = decision == notifications.Decision.SEND
    try:
        with transaction.atomic():
            SessionReminder.objects.create(
                programme=programme,
                original_start=occurrence.original,
                enrollment=enrollment,
                kind=kind,
                mailed=mail,
                created_at=now,
            )
            if mail:
                _mail(enrollment, occurrence, cancelled=kind == SessionReminder.Kind.CANCELLED)
    except IntegrityError:
        return ""  # another run has claimed it
    except OSError:
        # The row went with the transaction: the next run tries again.
        log.exception("group reminder to enrollment %s could not be sent", enrollment.pk)
        return ""
    if not mail:
        return "not_mailed"
    return "notices" if kind == SessionReminder.Kind.CANCELLED else "reminders"


def _mail(enrollment: Enrollment, occurrence: schedule.Occurrence, *, cancelled: bool) -> None:
    client = enrollment.client
    clinic = enrollment.clinic
    zone = notifications.zone_of(client, clinic.time_zone)
    local = occurrence.start.astimezone(zone)
    language = client.language or clinic.default_language or settings.LANGUAGE_CODE
    with translation.override(language):
        when = _("%(day)s at %(time)s") % {
            "day": formats.date_format(local, "l j F"),
            "time": formats.time_format(local, "H:i"),
        }
        body = render_to_string(
            "group_therapy/email/cancelled.txt"
            if cancelled
            else "group_therapy/email/reminder.txt",
            {
                "when": when,
                "zone": str(zone),
                "url": settings.SITE_URL + reverse("group_therapy:mine"),
            },
        )
        subject = _("Waypost: a change of plan") if cancelled else _("Waypost: a reminder")
    send_mail(subject, body, None, [client.email])


@db_periodic_task(crontab(minute="*/15"))  # type: ignore[untyped-decorator]  # huey is untyped
def remind_group_members() -> dict[str, int]:
    return send_reminders()
