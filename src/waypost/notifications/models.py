"""Notifications: what was sent to whom, each person's choices, and their devices for push."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waypost.core.fields import EncryptedTextField


class Notification(models.Model):
    """One notification to one person, and the record of how it went out.

    ``dedupe_key`` is the sender's name for this news ("appointment 12 reminded",
    "check-in 2026-03-02"): one row per person and key, so a task that runs again,
    or a worker that retries, never notifies twice. ``shown`` is whether it is on the
    person's Notifications page (in-app was on for its kind); a row that is not shown
    only remembers that the news went out by e-mail or push. Title and body are short
    and discreet by contract, and encrypted all the same.
    """

    class Push(models.TextChoices):
        NONE = "none", _("Not pushed")
        WAITING = "waiting", _("Waiting to be pushed")
        SENT = "sent", _("Pushed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=60)
    dedupe_key = models.CharField(max_length=200)
    title = EncryptedTextField()
    body = EncryptedTextField(blank=True, default="")
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField()
    shown = models.BooleanField(default=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False)
    push = models.CharField(max_length=10, choices=Push.choices, default=Push.NONE)
    pushed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"], name="one_notification_per_person_and_key"
            )
        ]
        indexes = [
            # The unread count in the header and the page's list, newest first.
            models.Index(
                fields=["user", "-created_at"],
                name="notification_shown_newest",
                condition=Q(shown=True),
            ),
            models.Index(
                fields=["user"],
                name="notification_unread",
                condition=Q(shown=True, read_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to user {self.user_id} ({self.dedupe_key})"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Preference(models.Model):
    """A person's choice for one kind: which channels, and (for timed kinds) when.

    No row means the kind's defaults. ``at_time`` is a local time of day in the
    person's time zone (their own, else their clinic's); empty means none chosen (a
    timed kind such as the check-in reminder then sends nothing). ``time_chosen_at`` is
    when ``at_time`` last changed (``updated_at``: when anything did), so a reminder
    time chosen after today's slot starts tomorrow, and saving other choices never
    moves it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_choices"
    )
    kind = models.CharField(max_length=60)
    in_app = models.BooleanField(default=True)
    email = models.BooleanField(default=True)
    push = models.BooleanField(default=True)
    at_time = models.TimeField(null=True, blank=True)
    time_chosen_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_choice_per_person_and_kind")
        ]
        indexes = [
            # The check-in reminder's sweep: every person with a time chosen for a kind.
            models.Index(
                fields=["kind", "at_time"],
                name="preference_timed",
                condition=Q(at_time__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} choice of user {self.user_id}"


class PushSubscription(models.Model):
    """One browser or installed app that may show this person's notifications.

    What the browser's push service gave us when the person turned notifications on
    for the device: the address to post to (``endpoint``) and the keys to encrypt
    for it. All three are secrets of the device, so they are encrypted; the endpoint's
    SHA-256 (``endpoint_hash``) finds a device again when it subscribes anew or is
    turned off. A push service that answers 404 or 410 has forgotten the device, and a
    device that failed five pushes in a row is gone too: the row is deleted. A person
    keeps at most ten devices (the oldest goes when an eleventh is turned on).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = EncryptedTextField()
    endpoint_hash = models.CharField(max_length=64, unique=True)
    p256dh = EncryptedTextField()
    auth = EncryptedTextField()
    created_at = models.DateTimeField()
    last_pushed_at = models.DateTimeField(null=True, blank=True)
    #: Failed pushes in a row (reset by one that arrives); the device is forgotten at
    #: ``push.MAX_FAILURES``, so the count stays small.
    failures = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"push subscription {self.pk} of user {self.user_id}"

    def info(self) -> dict[str, object]:
        """The subscription as pywebpush takes it."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
