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

from waypost.assessments import services
from waypost.assessments.models import Administration
from waypost.program.models import Enrollment

LAST_CALL = timedelta(hours=24)


def send_reminders(now: datetime | None = None) -> dict[str, int]:
    """Open what is due; remind once when a form opens and once a day before it closes.

    The e-mail names no questionnaire and nothing clinical: only that something
    is waiting in Waypost, with a link behind sign-in.
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
        if form.reminded_at is None:
            if _mail(form, last_call=False):
                sent["reminders"] += 1
            # A form that opens with less than a day to go gets one e-mail, not two.
            last_call = now if form.closes_at - now <= LAST_CALL else None
            Administration.objects.filter(pk=form.pk).update(
                reminded_at=now, last_call_at=last_call
            )
        elif form.last_call_at is None and form.closes_at - now <= LAST_CALL:
            if _mail(form, last_call=True):
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
