"""Group therapy: programmes on a schedule, their members, sessions, attendance, feeds.

A programme's sessions are its series (``schedule.Series``) with exceptions; a
:class:`GroupSession` row exists only once something is recorded about one occurrence
(attendance, notes, a cancellation or a move), keyed by the occurrence's original start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waypost.connect.groups import schedule
from waypost.core.fields import EncryptedTextField
from waypost.core.models import AppendOnlyModel
from waypost.core.timezones import first_zone

if TYPE_CHECKING:
    from datetime import datetime

MAX_INTERVAL_WEEKS = 8
MAX_CAPACITY = 100


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class GroupProgramme(models.Model):
    """A clinician-facilitated group that meets on a recurring schedule in the clinic's zone."""

    clinic = models.ForeignKey(
        "clinics.Clinic", on_delete=models.CASCADE, related_name="group_programmes"
    )
    name = models.CharField(_("name"), max_length=120)
    about = models.TextField(_("about the group"), blank=True, max_length=1000)
    # The clinic's zone when the group was defined: its sessions stay at their local time.
    time_zone = models.CharField(_("time zone"), max_length=64)
    starts_on = models.DateField(_("first possible date"))
    weekday = models.PositiveSmallIntegerField(_("day of the week"), choices=Weekday.choices)
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))
    interval_weeks = models.PositiveSmallIntegerField(
        _("every how many weeks"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_INTERVAL_WEEKS)],
    )
    ends_on = models.DateField(_("last possible date"), null=True, blank=True)
    session_count = models.PositiveSmallIntegerField(
        _("number of sessions"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    facilitators = models.ManyToManyField(
        "clinics.ClinicianProfile", related_name="facilitated_groups"
    )
    room = models.CharField(_("room or address"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True, max_length=500)
    capacity = models.PositiveSmallIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def series(self) -> schedule.Series:
        """The programme's schedule, as the pure recurrence module reads it."""
        return schedule.Series(
            zone=first_zone(self.time_zone),
            starts_on=self.starts_on,
            weekday=self.weekday,
            start=self.start_time,
            end=self.end_time,
            interval_weeks=self.interval_weeks,
            ends_on=self.ends_on,
            count=self.session_count,
        )

    def facilitated_by(self, profile_id: int) -> bool:
        """Whether the clinician profile facilitates this group (for ``Action.RUN_GROUP``)."""
        cached = getattr(self, "_prefetched_objects_cache", {}).get("facilitators")
        if cached is not None:
            return any(profile.pk == profile_id for profile in cached)
        return self.facilitators.filter(pk=profile_id).exists()


class GroupMember(models.Model):
    """A client's place in a group, from joining until they leave or are removed."""

    programme = models.ForeignKey(GroupProgramme, on_delete=models.CASCADE, related_name="members")
    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="group_memberships"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    left_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "enrollment"],
                condition=models.Q(left_at__isnull=True),
                name="one_open_place_per_group",
            )
        ]
        indexes = [
            # a client's groups (Today, Connect, the record, the feed)
            models.Index(fields=["enrollment", "left_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment_id} in {self.programme_id}"

    @property
    def is_open(self) -> bool:
        return self.left_at is None

    def was_member_at(self, moment: datetime) -> bool:
        return self.joined_at <= moment and (self.left_at is None or self.left_at > moment)


class GroupSession(models.Model):
    """What is recorded about one occurrence of a programme: an exception, attendance, notes.

    ``original_start`` is the instant the series gives the occurrence (UTC), its key.
    """

    programme = models.ForeignKey(GroupProgramme, on_delete=models.CASCADE, related_name="sessions")
    original_start = models.DateTimeField()
    cancelled = models.BooleanField(default=False)
    # Why it was cancelled or moved, as members are told it.
    reason = EncryptedTextField(blank=True, default="")
    moved_start = models.DateTimeField(null=True, blank=True)
    moved_end = models.DateTimeField(null=True, blank=True)
    moved_room = models.CharField(max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["original_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "original_start"], name="one_session_per_occurrence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} @ {self.original_start:%Y-%m-%d %H:%M}"

    @property
    def is_moved(self) -> bool:
        return not self.cancelled and self.moved_start is not None and self.moved_end is not None

    @property
    def has_exception(self) -> bool:
        return self.cancelled or self.is_moved

    @property
    def starts_at(self) -> datetime:
        """When it takes (or took) place: where it was moved to, else its original start."""
        return self.moved_start if self.is_moved and self.moved_start else self.original_start

    def change(self) -> schedule.Change | None:
        """This row as an exception of the series, or None when it records no exception."""
        if self.cancelled:
            return schedule.Change(self.original_start, cancelled=True, reason=self.reason)
        if self.is_moved:
            return schedule.Change(
                self.original_start,
                start=self.moved_start,
                end=self.moved_end,
                room=self.moved_room,
                reason=self.reason,
            )
        return None


class SessionNote(AppendOnlyModel):
    """A facilitator's notes on one session, as saved; the newest is the current text.

    Notes are about the group, not a client's record: they stay on the session,
    encrypted, and every save is kept (who and when) as their audit trail.
    """

    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="notes")
    text = EncryptedTextField(blank=True, default="")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"note on {self.session_id} by {self.written_by_id}"


class Attendance(models.Model):
    """Whether a member was at a session, as the facilitator took it."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="attendance")
    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="group_attendance"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session__original_start"]
        constraints = [
            models.UniqueConstraint(fields=["session", "enrollment"], name="one_mark_per_member")
        ]
        indexes = [
            # a client's attendance: the record card, the Stage 3 gate, the ally's section
            models.Index(fields=["enrollment", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment_id} {self.status} at {self.session_id}"


class SessionReminder(models.Model):
    """One e-mail (or a decision not to send one) to one member about one occurrence.

    The unique row is the claim: a reminder task that finds it already there sends nothing,
    so each member hears once per occurrence and kind.
    """

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder the day before")
        CANCELLED = "cancelled", _("Notice of a cancelled session")

    programme = models.ForeignKey(GroupProgramme, on_delete=models.CASCADE, related_name="+")
    original_start = models.DateTimeField()
    enrollment = models.ForeignKey("program.Enrollment", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    mailed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "original_start", "enrollment", "kind"],
                name="one_reminder_per_member_and_occurrence",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.programme_id} @ {self.original_start} to {self.enrollment_id}"


class CalendarFeed(models.Model):
    """A person's private calendar address; only the hash of its secret part is stored.

    Renewing makes a new one and revokes this one; a revoked address answers 410 at once.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(revoked_at__isnull=True), name="one_open_feed"
            )
        ]

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
