"""Operations on secure messages: what views, tasks and the demo call.

Public API
- ``send_message(*, enrollment, by, body, client_uuid, at=None, notify=True)``: keep a
  message (once per ``client_uuid``); crisis words raise a risk alert.
- ``mark_read(*, enrollment, reader, at=None)``: the reader opened the thread.
- ``set_enabled(*, clinic, enabled, by)``: a clinic offers messages or not.
- ``is_enabled(clinic_id)``: read the switch.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require
from waypost.caseload.messages import crisis, events
from waypost.caseload.messages.models import BODY_MAX_LENGTH, Message, MessagingSettings
from waypost.core import events as core_events
from waypost.core.errors import DomainError
from waypost.safety.services import raise_alert

if TYPE_CHECKING:
    from waypost.accounts.models import User
    from waypost.clinics.models import Clinic
    from waypost.program.models import Enrollment

#: The kind of risk alert a message with crisis words raises.
ALERT_KIND = "message_crisis"


class MessageErrorCode(StrEnum):
    EMPTY = "message_empty"
    TOO_LONG = "message_too_long"
    TURNED_OFF = "messaging_turned_off"
    BAD_UUID = "message_bad_uuid"


class MessageError(DomainError):
    """A message cannot be sent; ``code`` is one of :class:`MessageErrorCode`."""

    def __init__(self, code: MessageErrorCode, message: str):
        super().__init__(message, code=code)


@dataclass(frozen=True)
class Sent:
    """What a send led to: the message, whether it is new, and crisis words found."""

    message: Message
    created: bool
    crisis_phrases: tuple[str, ...] = ()

    @property
    def crisis(self) -> bool:
        return self.message.crisis


def is_enabled(clinic_id: int) -> bool:
    """Does the clinic offer secure messages? On unless an admin turned it off."""
    return not MessagingSettings.objects.filter(clinic_id=clinic_id, enabled=False).exists()


def set_enabled(*, clinic: Clinic, enabled: bool, by: User) -> MessagingSettings:
    """Turn secure messages on or off for the clinic. Messages already sent stay readable."""
    require(by, Action.MANAGE_CLINIC, clinic)
    row, _created = MessagingSettings.objects.update_or_create(
        clinic=clinic,
        defaults={"enabled": enabled, "updated_at": timezone.now(), "updated_by": by},
    )
    return row


def clean_body(body: str) -> str:
    """The message as it will be kept, or a kind ``MessageError`` saying what to change."""
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise MessageError(MessageErrorCode.EMPTY, _("Please write your message first."))
    if len(body) > BODY_MAX_LENGTH:
        raise MessageError(
            MessageErrorCode.TOO_LONG,
            _(
                "Please keep a message under %(max)d characters (this one has %(n)d). "
                "You can send the rest in a second message."
            )
            % {"max": BODY_MAX_LENGTH, "n": len(body)},
        )
    return body


def send_message(
    *,
    enrollment: Enrollment,
    by: User,
    body: str,
    client_uuid: uuid.UUID | str,
    at: datetime | None = None,
    notify: bool = True,
) -> Sent:
    """Keep a message from the client or their primary clinician in the enrollment's thread.

    The same ``client_uuid`` twice (a double tap, a retry on a slow network) keeps
    the message once and returns the first. A message from the client that holds
    crisis words (``crisis.find``) is marked, and a risk alert goes to the clinician
    through the safety app (its inbox and its e-mail); the page then shows the client
    the crisis lines. The other side is e-mailed discreetly once the message is
    committed (``notify=False``: not at all, e.g. back-dated demo data).
    """
    require(by, Action.SEND_MESSAGE, enrollment)
    try:
        key = client_uuid if isinstance(client_uuid, uuid.UUID) else uuid.UUID(str(client_uuid))
    except ValueError:
        raise MessageError(
            MessageErrorCode.BAD_UUID, _("The page was out of date. Please try again.")
        ) from None
    existing = Message.objects.filter(enrollment=enrollment, client_uuid=key).first()
    if existing is not None:
        return Sent(existing, created=False)
    if not is_enabled(enrollment.clinic_id):
        raise MessageError(
            MessageErrorCode.TURNED_OFF,
            _("Your clinic does not offer messages here at the moment. Nothing was sent."),
        )
    text = clean_body(body)
    from_client = by.pk == enrollment.client_id
    found = tuple(crisis.find(text)) if from_client else ()
    now = at or timezone.now()
    try:
        with transaction.atomic():
            message = Message.objects.create(
                enrollment=enrollment,
                sender=by,
                from_client=from_client,
                body=text,
                created_at=now,
                client_uuid=key,
                crisis=bool(found),
                mail=Message.Mail.WAITING if notify else Message.Mail.NOT_MAILED,
            )
            core_events.record(
                enrollment=enrollment,
                kind=events.MESSAGE_SENT,
                actor=by,
                data={"message": message.pk, "from_client": from_client},
                at=now,
            )
            if found:
                _raise_crisis_alert(message, found, notify=notify)
            if notify:
                from waypost.caseload.messages import tasks

                message_id = message.pk
                transaction.on_commit(lambda: tasks.mail_about_message(message_id))
    except IntegrityError:
        # The same send, a moment ago, from another request: keep the first.
        first = Message.objects.filter(enrollment=enrollment, client_uuid=key).first()
        if first is None:
            raise
        return Sent(first, created=False)
    return Sent(message, created=True, crisis_phrases=found)


def _raise_crisis_alert(message: Message, found: tuple[str, ...], *, notify: bool) -> None:
    local = timezone.localtime(message.created_at)
    raise_alert(
        enrollment=message.enrollment,
        kind=ALERT_KIND,
        summary=_("A message from the client used words that can mean risk: %(words)s")
        % {"words": ", ".join(f"“{word}”" for word in found)},
        source_label=_("Secure message, %(date)s")
        % {"date": formats.date_format(local, "j M Y, H:i")},
        source_url=reverse("messaging:thread", args=[message.enrollment_id])
        + f"#message-{message.pk}",
        at=message.created_at,
        notify=notify,
    )


def mark_read(*, enrollment: Enrollment, reader: User, at: datetime | None = None) -> int:
    """The reader opened the thread: the other side's unread messages are read now.

    Returns how many were marked. A message read before its e-mail went needs no
    e-mail any more. Only the client or their primary clinician marks; anyone else
    (an admin, a clinician covering) leaves the receipts as they were.
    """
    require(reader, Action.SEND_MESSAGE, enrollment)
    from_client = reader.pk != enrollment.client_id
    now = at or timezone.now()
    unread = Message.objects.filter(
        enrollment=enrollment, from_client=from_client, read_at__isnull=True
    )
    # Two updates, each a condition on the row: a mail run claiming the same rows
    # at the same moment either sent first or finds them no longer waiting.
    unread.filter(mail=Message.Mail.WAITING).update(mail=Message.Mail.NOT_MAILED)
    return unread.update(read_at=now)
