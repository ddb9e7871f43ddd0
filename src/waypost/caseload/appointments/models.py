"""Appointments: a booking (one-off or a weekly series) and its sessions, one row each.

Each session's start is stored in UTC, worked out from the booking's local time in the
clinic's zone (``recurrence``), so a series keeps its clock time across daylight-saving
changes and every viewer sees it in their own zone. Nothing is deleted: a cancelled
session keeps its row with who cancelled it, when and why (the reason is encrypted).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waypost.core.fields import EncryptedTextField

#: How long a session may be, in minutes (``services.book_appointment`` refuses anything else; the
#: next session is found by looking no further back than the longest one).
MIN_MINUTES, MAX_MINUTES = 10, 240


class Booking(models.Model):
    """What the clinician booked: where, how long and how often; its sessions follow."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="appointment_bookings"
    )
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    booked_at = models.DateTimeField(default=timezone.now)
    # The clinic's zone when it was booked: the wall-clock time the sessions keep.
    time_zone = models.CharField(max_length=64)
    mode = models.CharField(max_length=20, choices=Mode.choices, default=Mode.IN_PERSON)
    place = models.CharField(_("room or address"), max_length=200, blank=True, default="")
    online_url = models.URLField(_("link to join"), max_length=500, blank=True, default="")
    duration_minutes = models.PositiveSmallIntegerField(default=50)
    # None: a one-off; otherwise every so many weeks.
    every_weeks = models.PositiveSmallIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"booking {self.pk} for {self.enrollment_id}"

    @property
    def is_series(self) -> bool:
        return bool(self.every_weeks)


class Appointment(models.Model):
    """One session of a booking, at its own time (moved sessions keep their first time too)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CANCELLED = "cancelled", _("Cancelled")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="appointments")
    # Kept beside the booking's so Today, the record and the caseload read one table.
    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="appointments"
    )
    sequence = models.PositiveSmallIntegerField(default=0)  # its place in the series, from 0
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # Where the series put it; differs from ``starts_at`` once moved.
    original_starts_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    moved_at = models.DateTimeField(null=True, blank=True)
    move_reason = EncryptedTextField(blank=True, default="")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cancel_reason = EncryptedTextField(blank=True, default="")
    # The claim of the day-before reminder: set once, by a conditional update.
    reminded_at = models.DateTimeField(null=True, blank=True)
    # The assessments app's planned session kept in step with this one ("before each
    # session" questionnaires), when there is one.
    planned_session = models.OneToOneField(
        "assessments.Session",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointment",
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            # the client's next and past sessions (Today, the record, the caseload column)
            models.Index(fields=["enrollment", "status", "starts_at"], name="appt_enrollment_next"),
            # the reminder sweep: planned sessions starting in the next day, not yet claimed
            models.Index(fields=["status", "starts_at"], name="appt_due_reminders"),
        ]

    def __str__(self) -> str:
        return f"appointment {self.starts_at:%Y-%m-%d %H:%M} for {self.enrollment_id}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def was_moved(self) -> bool:
        return self.moved_at is not None
