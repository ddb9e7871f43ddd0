"""Background work: open forms as they fall due, remind, and close the ones left unfinished.

Reminders go through ``notifications.services.notify`` as the kind ``assessments.due``
(registered here): in the client's list in Waypost, by e-mail (the same discreet
e-mail as ever) and on their devices, as they chose.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from waypost.assessments import services
from waypost.assessments.models import Administration
from waypost.notifications import kinds
from waypost.notifications.services import Outcome, notify
from waypost.program.models import Enrollment

LAST_CALL = timedelta(hours=24)

DUE = kinds.register(
    kinds.NotificationKind(
        key="assessments.due",
        label=gettext_lazy("Questionnaires"),
        description=gettext_lazy(
            "When a questionnaire is waiting for you, and the day before it closes."
        ),
        audience=frozenset({kinds.CLIENT}),
        reminder=True,
        order=20,
    )
)


def send_reminders(now: datetime | None = None) -> dict[str, int]:
    """Open what is due; remind once when a form opens and once a day before it closes.

    The e-mail names no questionnaire and nothing clinical: only that something
    is waiting in Waypost, with a link behind sign-in.

    The client's notification choices decide (``notifications.choices``): with
    e-mail reminders turned off the form is marked reminded and no mail goes; in their
    quiet hours nothing is marked, so a later run, after the quiet hours end, sends it.
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
        outcome = _notify(form, now, last_call=not first)
        if outcome.held:
            continue  # quiet hours: a run after they end sends it
        if first:
            if outcome.emailed:
                sent["reminders"] += 1
            # A form that opens with less than a day to go gets one e-mail, not two.
            last_call = now if form.closes_at - now <= LAST_CALL else None
            Administration.objects.filter(pk=form.pk).update(
                reminded_at=now, last_call_at=last_call
            )
        else:
            if outcome.emailed:
                sent["last_calls"] += 1
            Administration.objects.filter(pk=form.pk).update(last_call_at=now)
    return sent


def _notify(form: Administration, now: datetime, *, last_call: bool) -> Outcome:
    enrollment = form.enrollment
    if last_call:
        title = gettext_lazy("A questionnaire closes soon")
        body = gettext_lazy("It is open for one more day. Answer it when you are ready.")
    else:
        title = gettext_lazy("A questionnaire is waiting for you")
        body = gettext_lazy("It takes a few minutes. Answer it when you are ready.")
    return notify(
        user=enrollment.client,
        kind=DUE.key,
        title=title,
        body=body,
        url=reverse("assessments:measures"),
        dedupe_key=f"assessments.form:{form.pk}:{'last_call' if last_call else 'opened'}",
        now=now,
        fallback_time_zone=enrollment.clinic.time_zone,
        language=enrollment.clinic.default_language,
        email=lambda: _mail(form, last_call=last_call),
    )


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
