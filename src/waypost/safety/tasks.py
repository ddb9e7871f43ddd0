"""Background work of the safety app (huey; immediate in tests, a worker in production)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from waypost.accounts import notifications


@db_task(retries=3, retry_delay=60)  # type: ignore[untyped-decorator]  # huey is untyped
def notify_clinician_of_alert(alert_id: int) -> bool:
    """E-mail the primary clinician that something needs their attention.

    Discreet on purpose: the subject and body name no client and nothing
    clinical, only a link to the risk inbox behind sign-in. Nothing is sent
    if the alert was acknowledged in the meantime. Returns whether a mail went.

    It is about someone's safety, so it goes at once, also in the clinician's quiet
    hours, and cannot be turned off (``accounts.notifications.ALWAYS``).
    """
    from waypost.safety.models import RiskAlert

    alert = (
        RiskAlert.objects.select_related(
            "enrollment__primary_clinician__user", "enrollment__clinic"
        )
        .filter(pk=alert_id, status=RiskAlert.Status.OPEN)
        .first()
    )
    if alert is None:
        return False
    clinician = alert.enrollment.primary_clinician.user
    if not notifications.may_email(
        clinician,
        notifications.Kind.RISK_ALERT,
        timezone.now(),
        fallback_time_zone=alert.enrollment.clinic.time_zone,
    ):
        return False
    language = getattr(clinician, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        body = render_to_string(
            "safety/email/alert.txt", {"url": settings.SITE_URL + reverse("safety:inbox")}
        )
        subject = _("Waypost: something needs your attention")
    send_mail(subject, body, None, [clinician.email])
    return True


@db_task(retries=3, retry_delay=60)  # type: ignore[untyped-decorator]  # huey is untyped
def notify_of_escalation(alert_id: int, user_id: int, level: int) -> bool:
    """E-mail someone an open alert was passed to: the clinician on call, or a clinic admin.

    As discreet as the first e-mail: no client, nothing clinical, only where to look
    (the risk inbox for the clinician, the clinic's risk overview for an admin). Sent
    also in quiet hours (``notifications.ALWAYS``); nothing if it was acknowledged
    meanwhile. Returns whether a mail went.
    """
    from waypost.accounts.models import User
    from waypost.safety.models import AlertEscalation, RiskAlert

    alert = (
        RiskAlert.objects.select_related("enrollment__clinic")
        .filter(pk=alert_id, status=RiskAlert.Status.OPEN)
        .first()
    )
    person = User.objects.filter(pk=user_id).first()
    if alert is None or person is None:
        return False
    clinic = alert.enrollment.clinic
    if not notifications.may_email(
        person, notifications.Kind.RISK_ALERT, timezone.now(), fallback_time_zone=clinic.time_zone
    ):
        return False
    if level == AlertEscalation.Level.ADMIN:
        url = reverse("safety:clinic_risk", args=[clinic.slug])
    else:
        url = reverse("safety:inbox")
    language = getattr(person, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        body = render_to_string(
            "safety/email/escalation.txt",
            {"url": settings.SITE_URL + url, "admin": level == AlertEscalation.Level.ADMIN},
        )
        subject = _("Waypost: something needs your attention")
    send_mail(subject, body, None, [person.email])
    return True


@db_periodic_task(crontab(minute="*/5"))  # type: ignore[untyped-decorator]  # huey is untyped
def escalate_open_alerts() -> dict[str, int]:
    """Every five minutes: pass on open alerts whose clinic's escalation time has come."""
    from waypost.safety import escalation

    return escalation.escalate_due().as_dict()
