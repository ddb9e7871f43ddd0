"""Background work: remind each member of a group session the day before, once.

A cancelled session sends a short notice instead (also once, and also to a member
already reminded before it was called off). The e-mails are discreet: no group name,
nothing clinical, only the time in the member's own zone and a link behind sign-in.

Each reminder goes through ``notifications.services.notify`` as the kind
``groups.session`` (registered here): in the member's list in Waypost, by e-mail and
on their devices, as they chose. E-mail reminders turned off, the row is kept as
"decided, not mailed"; in their quiet hours nothing is written, so a run after they
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
from django.utils.translation import gettext_lazy
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from waypost.accounts.notifications import Decision, zone_of
from waypost.connect.groups import schedule
from waypost.connect.groups.models import GroupMember, GroupProgramme, SessionReminder
from waypost.connect.groups.selectors import changes_by_programme
from waypost.notifications import kinds
from waypost.notifications.services import decide, notify
from waypost.program.models import Enrollment

log = logging.getLogger(__name__)

SESSION = kinds.register(
    kinds.NotificationKind(
        key="groups.session",
        label=gettext_lazy("Group sessions"),
        description=gettext_lazy(
            "The day before a session of your group, and when a session is called off."
        ),
        audience=frozenset({kinds.CLIENT}),
        reminder=True,
        order=40,
    )
)


class _Held(Exception):
    """Quiet hours began between deciding and notifying: undo the claim."""


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
    zone = enrollment.clinic.time_zone
    if decide(client, SESSION.key, now, fallback_time_zone=zone).decision == Decision.LATER:
        return "held"  # quiet hours: a run after they end sends it
    cancelled = kind == SessionReminder.Kind.CANCELLED
    try:
        with transaction.atomic():
            claim = SessionReminder.objects.create(
                programme=programme,
                original_start=occurrence.original,
                enrollment=enrollment,
                kind=kind,
                mailed=False,
                created_at=now,
            )
            outcome = notify(
                user=client,
                kind=SESSION.key,
                title=(
                    gettext_lazy("A group session is called off")
                    if cancelled
                    else gettext_lazy("Your group meets soon")
                ),
                body=_when(enrollment, occurrence),
                url=reverse("group_therapy:mine"),
                dedupe_key=f"groups.session:{claim.pk}",
                now=now,
                fallback_time_zone=zone,
                language=enrollment.clinic.default_language,
                email=lambda: _mail(enrollment, occurrence, cancelled=cancelled),
            )
            if outcome.held:
                raise _Held
            if outcome.emailed:
                SessionReminder.objects.filter(pk=claim.pk).update(mailed=True)
    except _Held:
        return "held"
    except IntegrityError:
        return ""  # another run has claimed it
    except OSError:
        # The row went with the transaction: the next run tries again.
        log.exception("group reminder to enrollment %s could not be sent", enrollment.pk)
        return ""
    if not outcome.emailed:
        return "not_mailed"
    return "notices" if cancelled else "reminders"


def _when(enrollment: Enrollment, occurrence: schedule.Occurrence) -> str:
    """The session's day and time in the member's zone, in their language."""
    client = enrollment.client
    clinic = enrollment.clinic
    local = occurrence.start.astimezone(zone_of(client, clinic.time_zone))
    language = client.language or clinic.default_language or settings.LANGUAGE_CODE
    with translation.override(language):
        return _("%(day)s at %(time)s") % {
            "day": formats.date_format(local, "l j F"),
            "time": formats.time_format(local, "H:i"),
        }


def _mail(enrollment: Enrollment, occurrence: schedule.Occurrence, *, cancelled: bool) -> None:
    client = enrollment.client
    clinic = enrollment.clinic
    zone = zone_of(client, clinic.time_zone)
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
