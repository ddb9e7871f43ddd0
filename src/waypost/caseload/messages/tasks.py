"""Telling the other side about new messages: discreet, after the fact, never in quiet hours.

It goes through ``notifications.services.notify`` as the kind ``messages.new``
(registered here): in the recipient's list in Waypost, by e-mail and on their devices,
as they chose. The e-mail's subject is always "Waypost: you have a new message" and
its body only says where to read it, behind sign-in: no name of a client, nothing
clinical. In the recipient's quiet hours the news waits; the run every 15 minutes
sends what waits once they end. Several waiting messages of one thread make one
notification. A message read before its news went is not sent at all.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from waypost.accounts.models import User
from waypost.accounts.notifications import Decision
from waypost.caseload.messages.models import Message
from waypost.notifications import kinds
from waypost.notifications.services import decide, notify

logger = logging.getLogger(__name__)

NEW_MESSAGE = kinds.register(
    kinds.NotificationKind(
        key="messages.new",
        label=gettext_lazy("Messages"),
        description=gettext_lazy("When a new message is waiting for you in Waypost."),
        audience=frozenset({kinds.CLIENT, kinds.CLINICIAN}),
        order=10,
    )
)


def subject() -> str:
    """The subject of every new-message e-mail, to clients and clinicians alike."""
    return _("Waypost: you have a new message")


def _recipient(message: Message) -> User:
    enrollment = message.enrollment
    return enrollment.primary_clinician.user if message.from_client else enrollment.client


def deliver(*, message_id: int, now: datetime | None = None) -> bool:
    """Mail the other side about this message (and any other waiting in the thread for them).

    Returns whether a mail went. Claims the waiting messages with a conditional update
    first, so two runs never send the same news twice.
    """
    now = now or timezone.now()
    message = (
        Message.objects.filter(pk=message_id, mail=Message.Mail.WAITING)
        .select_related("enrollment__client", "enrollment__primary_clinician__user")
        .select_related("enrollment__clinic")
        .first()
    )
    if message is None:
        return False
    recipient = _recipient(message)
    waiting = Message.objects.filter(
        enrollment_id=message.enrollment_id,
        from_client=message.from_client,
        mail=Message.Mail.WAITING,
        read_at__isnull=True,
    )
    zone = message.enrollment.clinic.time_zone
    decision = decide(recipient, NEW_MESSAGE.key, now, fallback_time_zone=zone).decision
    if decision == Decision.NEVER:
        waiting.update(mail=Message.Mail.NOT_MAILED)
        return False
    if decision == Decision.LATER:
        return False
    if not waiting.update(mail=Message.Mail.SENT):
        return False  # read meanwhile, or another run took them
    claimed = Message.objects.filter(
        enrollment_id=message.enrollment_id,
        from_client=message.from_client,
        mail=Message.Mail.SENT,
        read_at__isnull=True,
    )
    if message.from_client:
        url = reverse("messaging:thread", args=[message.enrollment_id])
    else:
        url = reverse("messaging:mine")
    language = getattr(recipient, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        body = render_to_string(
            "messaging/email/new_message.txt",
            {"name": recipient.get_short_name(), "url": settings.SITE_URL + url},
        )
        mail_subject = subject()
    try:
        outcome = notify(
            user=recipient,
            kind=NEW_MESSAGE.key,
            title=gettext_lazy("You have a new message"),
            body=gettext_lazy("Read it in Waypost, behind your sign-in."),
            url=url,
            dedupe_key=f"messages.new:{message.pk}",
            now=now,
            fallback_time_zone=zone,
            email=lambda: send_mail(mail_subject, body, None, [recipient.email]),
        )
    except Exception:
        # Back to waiting: the next run tries again. Ids only in the log.
        claimed.update(mail=Message.Mail.WAITING)
        logger.exception("could not e-mail about message %s", message.pk)
        return False
    # ``SENT`` says the news went (in the list, by e-mail or push, as they chose).
    return outcome.emailed


def deliver_waiting(*, now: datetime | None = None) -> int:
    """Every thread with a mail still waiting: try each once. Returns the mails sent."""
    now = now or timezone.now()
    firsts: dict[tuple[int, bool], int] = {}
    rows = Message.objects.filter(mail=Message.Mail.WAITING).order_by("created_at", "pk")
    for pk, enrollment_id, from_client in rows.values_list("pk", "enrollment_id", "from_client"):
        firsts.setdefault((enrollment_id, from_client), pk)
    return sum(deliver(message_id=pk, now=now) for pk in firsts.values())


@db_task(retries=2, retry_delay=60)  # type: ignore[untyped-decorator]  # huey is untyped
def mail_about_message(message_id: int) -> bool:
    """Queued once a message is committed: mail the other side now, unless it must wait."""
    return deliver(message_id=message_id)


@db_periodic_task(crontab(minute="*/15"))  # type: ignore[untyped-decorator]  # huey is untyped
def mail_waiting_messages() -> int:
    """What quiet hours or a failed send held back."""
    return deliver_waiting()
