"""Background work of the safety app (huey; immediate in tests, a worker in production).

Alerts and escalations go through ``notifications.services.notify`` as the kinds
``safety.risk_alert`` and ``safety.escalation`` (registered here): locked (always on,
every channel) and sent at any hour, because they are about someone's safety.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from waypost.notifications import kinds
from waypost.notifications.services import notify

_SAFETY = gettext_lazy(
    "They are about someone's safety, so they always come, at any hour, on every way you "
    "can be reached."
)
RISK_ALERT = kinds.register(
    kinds.NotificationKind(
        key="safety.risk_alert",
        label=gettext_lazy("Risk alerts"),
        description=gettext_lazy("When something a client wrote or answered needs your attention."),
        audience=frozenset({kinds.CLINICIAN}),
        locked=True,
        locked_reason=_SAFETY,
        ignores_quiet_hours=True,
        order=1,
    )
)
ESCALATION = kinds.register(
    kinds.NotificationKind(
        key="safety.escalation",
        label=gettext_lazy("Alerts passed on to you"),
        description=gettext_lazy(
            "When a risk alert was not acknowledged in time and comes to you: on call, or as "
            "the clinic's admin."
        ),
        audience=frozenset({kinds.CLINICIAN, kinds.ADMIN}),
        locked=True,
        locked_reason=_SAFETY,
        ignores_quiet_hours=True,
        order=2,
    )
)


@db_task(retries=3, retry_delay=60)  # type: ignore[untyped-decorator]  # huey is untyped
def notify_clinician_of_alert(alert_id: int) -> bool:
    """E-mail the primary clinician that something needs their attention.

    Discreet on purpose: the subject and body name no client and nothing
    clinical, only a link to the risk inbox behind sign-in. Nothing is sent
    if the alert was acknowledged in the meantime. Returns whether a mail went.

    It is about someone's safety, so it goes at once, also in the clinician's quiet
    hours, and cannot be turned off (``RISK_ALERT`` is locked). Also in their list in
    Waypost and on their devices.
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
    url = reverse("safety:inbox")

    def mail() -> None:
        language = getattr(clinician, "language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            body = render_to_string("safety/email/alert.txt", {"url": settings.SITE_URL + url})
            subject = _("Waypost: something needs your attention")
        send_mail(subject, body, None, [clinician.email])

    outcome = notify(
        user=clinician,
        kind=RISK_ALERT.key,
        title=gettext_lazy("Something needs your attention"),
        body=gettext_lazy("A risk alert is open in your risk inbox."),
        url=url,
        dedupe_key=f"safety.alert:{alert.pk}",
        fallback_time_zone=alert.enrollment.clinic.time_zone,
        email=mail,
    )
    return outcome.emailed


@db_task(retries=3, retry_delay=60)  # type: ignore[untyped-decorator]  # huey is untyped
def notify_of_escalation(alert_id: int, user_id: int, level: int) -> bool:
    """E-mail someone an open alert was passed to: the clinician on call, or a clinic admin.

    As discreet as the first e-mail: no client, nothing clinical, only where to look
    (the risk inbox for the clinician, the clinic's risk overview for an admin). Sent
    also in quiet hours (``ESCALATION`` is locked); nothing if it was acknowledged
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
    admin = level == AlertEscalation.Level.ADMIN
    url = reverse("safety:clinic_risk", args=[clinic.slug]) if admin else reverse("safety:inbox")

    def mail() -> None:
        language = getattr(person, "language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            body = render_to_string(
                "safety/email/escalation.txt", {"url": settings.SITE_URL + url, "admin": admin}
            )
            subject = _("Waypost: something needs your attention")
        send_mail(subject, body, None, [person.email])

    outcome = notify(
        user=person,
        kind=ESCALATION.key,
        title=gettext_lazy("Something needs your attention"),
        body=gettext_lazy("A risk alert that is still open has been passed on to you."),
        url=url,
        dedupe_key=f"safety.escalation:{alert.pk}:{level}",
        fallback_time_zone=clinic.time_zone,
        email=mail,
    )
    return outcome.emailed


@db_periodic_task(crontab(minute="*/5"))  # type: ignore[untyped-decorator]  # huey is untyped
def escalate_open_alerts() -> dict[str, int]:
    """Every five minutes: pass on open alerts whose clinic's escalation time has come."""
    from waypost.safety import escalation

    return escalation.escalate_due().as_dict()
