"""What allies hear and when: each ally's rhythm, the alerts raised for them, support requests."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waypost.connect.alerts import rhythm
from waypost.core.fields import EncryptedTextField


class Rhythm(models.TextChoices):
    """How often an ally hears about one person's updates (``rhythm.py`` says when)."""

    IMMEDIATE = rhythm.IMMEDIATE, _("Straight away")
    DAILY = rhythm.DAILY, _("Once a day, in the evening")
    WEEKLY = rhythm.WEEKLY, _("Once a week, on Sunday evening")


class AlertPreference(models.Model):
    """The rhythm one ally chose for one person's updates (one row per ally link).

    No row means the default, a daily digest. Requests for support ignore it: they
    always go at once.
    """

    link = models.OneToOneField(
        "connect.AllyLink", on_delete=models.CASCADE, related_name="alert_preference"
    )
    rhythm = models.CharField(
        _("how often"), max_length=10, choices=Rhythm.choices, default=Rhythm.DAILY
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.link_id}: {self.rhythm}"


class AllyAlert(models.Model):
    """One piece of news for one ally: raised by one timeline event, under one consent scope.

    Raised once per ally, event and kind (unique), when the event is recorded
    (``services.raise_alerts``); e-mailed alone or in a digest (``delivery``), by a
    worker that claims it first with a conditional ``update`` of ``status`` and
    ``batch``. Consent is checked again at send time: an alert whose scope the client
    withdrew, or whose link ended, is dropped and never sent, nor shown.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for its time")
        SENT = "sent", _("e-mailed")
        DROPPED = "dropped", _("dropped: sharing changed before it went")
        NOT_MAILED = "not_mailed", _("not e-mailed: no address to send to")

    link = models.ForeignKey("connect.AllyLink", on_delete=models.CASCADE, related_name="alerts")
    event = models.ForeignKey("core.TimelineEvent", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=60)
    scope = models.CharField(max_length=40)
    raised_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    # The claim of the run that e-mailed it: the alerts of one e-mail share it.
    batch = models.UUIDField(null=True, blank=True)
    # When it stopped waiting: sent, dropped or not mailed.
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["link", "event", "kind"], name="one_alert_per_ally_event_and_kind"
            )
        ]
        indexes = [
            # the digest task: every alert still waiting
            models.Index(fields=["status", "raised_at"], name="ally_alert_waiting"),
            # the ally's Updates page: one link's alerts, newest first
            models.Index(fields=["link", "-raised_at"], name="ally_alert_by_link"),
            # the claimed alerts of one e-mail
            models.Index(fields=["batch"], name="ally_alert_batch"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for link {self.link_id} ({self.status})"


class SupportRequest(models.Model):
    """The client pressed "I need support now": a short message for the allies they chose.

    ``message`` is optional, at most :data:`MESSAGE_MAX` characters, encrypted at rest.
    ``client_uuid`` makes a retry (a double tap, a flaky network) store nothing twice.
    ``links`` keeps the ally links it went to, so each ally sees only the requests that
    reached them and the client sees who was told.
    """

    MESSAGE_MAX = 280

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="support_requests"
    )
    client_uuid = models.UUIDField()
    message = EncryptedTextField(_("message"), blank=True, default="")
    links = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "client_uuid"], name="one_support_request_per_uuid"
            )
        ]
        indexes = [
            # the rate limit and the ally's section: a client's latest requests
            models.Index(fields=["enrollment", "-created_at"], name="support_request_latest"),
        ]

    def __str__(self) -> str:
        return f"support request {self.pk} of enrollment {self.enrollment_id}"
