"""Background work: open forms as they fall due, remind, and close the ones left unfinished."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from waypost.accounts import notifications
from waypost.assessments import services
from waypost.assessments.models import Administration
from waypost.program.models import Enrollment

LAST_CALL = timedelta(hours=24)


def send_reminders(now: datetime | None = None) -> dict[str, int]:
    """Open what is due; remind once when a form opens and once a day before it closes.

    The e-mail names no questionnaire and nothing clinical: only that something
    is waiting in Waypost, with a link behind sign-in.

    The client's notification choices decide (``accounts.notifications``): with
    reminders turned off the form is marked reminded and no mail goes; in their quiet
    hours nothing is marked, so a later run, after the quiet hours end, sends it.
    """
    now = now or timezone.now()
    opened = services.open_due_forms(now=now)
    expired = services.expire_closed_forms(now=now)
    sent = {"opened": len(opened), "expired": expired, "reminders": 0, "last_calls": 0}
    waiting = Administration.objects.filter(
        status__in=[Administration.Status.OPEN, Administration.Status.IN_PROGRESS],
        opens_at__lte=now,
        closes_at__gt=now,
        enrollment__status=Enrollment.Status.ACTIVE,
    ).select_related("enrollment__client", "enrollment__clinic")
    for form in waiting:
        first = form.reminded_at is None
        last_call_due = form.last_call_at is None and form.closes_at - now <= LAST_CALL
        if not first and not last_call_due:
            continue
        decision = notifications.decide(
            form.enrollment.client,
            notifications.Kind.REMINDER,
            now,
            fallback_time_zone=form.enrollment.clinic.time_zone,
        )
        if decision == notifications.Decision.LATER:
            continue  # quiet hours: a run after they end sends it
        mail = decision == notifications.Decision.SEND
        if first:
            if mail and _mail(form, last_call=False):
                sent["reminders"] += 1
            # A form that opens with less than a day to go gets one e-mail, not two.
            last_call = now if form.closes_at - now <= LAST_CALL else None
            Administration.objects.filter(pk=form.pk).update(
                reminded_at=now, last_call_at=last_call
            )
        else:
            if mail and _mail(form, last_call=True):
                sent["last_calls"] += 1
            Administration.objects.filter(pk=form.pk).update(last_call_at=now)
    return sent


def _mail(form: Administration, *, last_call: bool) -> bool:
    client = form.enrollment.client
    if not client.is_active or not client.email:
        return False
    language = client.language or form.enrollment.clinic.default_language or settings.LANGUAGE_CODE
    with translation.override(language):
        body = render_to_string(
            "assessments/email/reminder.txt",
            {
                "url": settings.SITE_URL + reverse("assessments:measures"),
                "last_call": last_call,
            },
        )
        subject = _("Waypost: something is waiting for you")
    send_mail(subject, body, None, [client.email])
    return True


@db_periodic_task(crontab(minute="*/15"))  # type: ignore[untyped-decorator]  # huey is untyped
def remind_and_close() -> dict[str, int]:
    return send_reminders()
