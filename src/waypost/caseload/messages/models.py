"""Secure messages between a client and their primary clinician, and a clinic's switch."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waypost.core.fields import EncryptedTextField

#: The longest message, in characters: a message, not a letter or a session.
BODY_MAX_LENGTH = 2000


class MessagingSettings(models.Model):
    """Whether a clinic offers secure messages. No row: on (the default)."""

    clinic = models.OneToOneField(
        "clinics.Clinic", on_delete=models.CASCADE, related_name="messaging_settings"
    )
    enabled = models.BooleanField(_("offer secure messages"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name_plural = "messaging settings"

    def __str__(self) -> str:
        return f"messaging {'on' if self.enabled else 'off'} at clinic {self.clinic_id}"


class Message(models.Model):
    """One message in the thread of an enrollment: from the client or from their clinician.

    ``body`` is encrypted at rest. ``read_at`` is when the other side first opened
    the thread after it arrived (the read receipt). ``client_uuid`` is made by the
    sender's page so that a retried send stores the message once. ``mail`` says
    whether the other side was e-mailed about it: a mail in quiet hours waits.
    """

    class Mail(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        SENT = "sent", _("Sent")
        NOT_MAILED = "not_mailed", _("Not e-mailed")  # read first, turned off, no address

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_client = models.BooleanField()
    body = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    client_uuid = models.UUIDField()
    # Crisis words were found in it: the client was shown the crisis lines and an alert raised.
    crisis = models.BooleanField(default=False)
    mail = models.CharField(max_length=12, choices=Mail.choices, default=Mail.WAITING)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "client_uuid"], name="one_message_per_client_uuid"
            )
        ]
        indexes = [
            # unread counts (Today, the record card, the caseload column): one side's
            # unread messages of a thread
            models.Index(fields=["enrollment", "from_client", "read_at"]),
            # the periodic mail run: messages whose mail still waits
            models.Index(fields=["mail", "created_at"]),
        ]

    def __str__(self) -> str:
        side = "client" if self.from_client else "clinician"
        return f"message {self.pk} from the {side} of enrollment {self.enrollment_id}"
