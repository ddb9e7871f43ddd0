"""Peer support meetings: where a clinic's list comes from, the meetings, a client's favourites
and the meetings they say they went to.

Nothing here is clinical but the last two: the directory is public information from
meeting-list feeds, kept per clinic. A meeting is never deleted by an import: one that
leaves its feed is marked inactive (hidden from the directory) and comes back if it
returns, so favourites and the attendance log keep their history.
"""

from __future__ import annotations

import zoneinfo
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waypost.connect.meetings import vocabulary
from waypost.core.timezones import first_zone

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class MeetingSource(models.Model):
    """A Meeting Guide feed the clinic lists meetings from: a web address or an uploaded file.

    ``fellowship`` is the source's (a type code means what its fellowship says);
    ``time_zone`` applies to meetings that name none (blank: the clinic's).
    ``last_report`` keeps the last import's outcome as codes and numbers
    (``services.ImportReport.as_json``), shown on the clinic page.
    """

    class Outcome(models.TextChoices):
        OK = "ok", _("Imported")
        PARTIAL = "partial", _("Imported, some meetings refused")
        FAILED = "failed", _("Could not be read")

    clinic = models.ForeignKey(
        "clinics.Clinic", on_delete=models.CASCADE, related_name="meeting_sources"
    )
    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(_("web address"), max_length=1000, blank=True)
    fellowship = models.CharField(
        _("fellowship"), max_length=20, blank=True, choices=vocabulary.fellowship_choices()
    )
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    refresh = models.BooleanField(_("refresh automatically"), default=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # the worker claims a refresh by moving this forward with a conditional update
    next_refresh_at = models.DateTimeField(null=True, blank=True)
    last_import_at = models.DateTimeField(null=True, blank=True)
    last_outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    last_report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "url"], condition=~Q(url=""), name="one_source_per_feed_url"
            ),
        ]
        indexes = [
            # the worker's "which sources are due" (tasks.refresh_due)
            models.Index(fields=["refresh", "next_refresh_at"], name="meeting_source_due"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_file(self) -> bool:
        return not self.url


class Meeting(models.Model):
    """One weekly peer support meeting in a clinic's directory (or one by appointment).

    ``slug`` is its identity within the clinic, kept across refreshes. ``days`` are
    Meeting Guide's numbers (0 = Sunday); ``time``/``end_time`` are wall times in
    ``time_zone``; no days and no time: by appointment. ``by_hand``: added by the
    clinic's staff rather than imported (``source`` is then None; it is None too for a
    meeting kept, inactive, after its source was removed).
    """

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(
        MeetingSource, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    by_hand = models.BooleanField(default=False)
    slug = models.CharField(max_length=100)
    name = models.CharField(_("name"), max_length=255)
    fellowship = models.CharField(_("fellowship"), max_length=20, blank=True)
    days = models.JSONField(_("days"), default=list, blank=True)
    time = models.TimeField(_("starts"), null=True, blank=True)
    end_time = models.TimeField(_("ends"), null=True, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64)
    types = models.JSONField(default=list, blank=True)
    languages = models.JSONField(default=list, blank=True)
    online = models.BooleanField(_("online"), default=False)
    in_person = models.BooleanField(_("in person"), default=True)
    conference_url = models.URLField(_("link to join"), max_length=1000, blank=True)
    conference_url_notes = models.TextField(blank=True)
    conference_phone = models.CharField(_("phone to join"), max_length=80, blank=True)
    conference_phone_notes = models.TextField(blank=True)
    location = models.CharField(_("venue"), max_length=255, blank=True)
    location_notes = models.TextField(blank=True)
    formatted_address = models.CharField(max_length=500, blank=True)
    address = models.CharField(_("street address"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    state = models.CharField(max_length=120, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=30, blank=True)
    country = models.CharField(max_length=120, blank=True)
    region = models.CharField(_("region"), max_length=255, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    group = models.CharField(max_length=255, blank=True)
    url = models.URLField(_("web page"), max_length=1000, blank=True)
    updated = models.DateTimeField(null=True, blank=True)  # as the feed says
    active = models.BooleanField(default=True)
    missing_since = models.DateTimeField(null=True, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "slug"], name="meeting_slug_once_per_clinic"),
        ]
        indexes = [
            # the directory and "starting soon": a clinic's listed meetings
            models.Index(fields=["clinic", "active"], name="meeting_clinic_active"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def by_appointment(self) -> bool:
        return self.time is None or not self.days

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return first_zone(self.time_zone)

    @property
    def mode(self) -> str:
        """ "online", "in_person" or "hybrid" (both)."""
        if self.online and self.in_person:
            return "hybrid"
        return "online" if self.online else "in_person"

    @property
    def mode_label(self) -> StrOrPromise:
        return {
            "online": _("Online"),
            "in_person": _("In person"),
            "hybrid": _("In person and online"),
        }[self.mode]

    @property
    def fellowship_label(self) -> str:
        return vocabulary.fellowship_label(self.fellowship) if self.fellowship else ""

    @property
    def type_labels(self) -> list[str]:
        """What the meeting's types mean in its fellowship; language codes left out."""
        return [
            vocabulary.type_label(code, self.fellowship)
            for code in self.types
            if not vocabulary.is_language_type(code)
        ]

    @property
    def language_labels(self) -> list[str]:
        return [vocabulary.language_label(code) for code in self.languages]

    @property
    def place(self) -> str:
        """Where it is, in a few words: the city (or region) and the country."""
        parts = [self.city or self.region or self.state, self.country]
        return ", ".join(part for part in parts if part)

    @property
    def full_address(self) -> str:
        if self.formatted_address:
            return self.formatted_address
        parts = [self.address, self.city, " ".join(p for p in (self.state, self.postal_code) if p)]
        return ", ".join(part for part in [*parts, self.country] if part)

    @property
    def phone_href(self) -> str:
        """A one-tap ``tel:`` link; the feed's commas and # (pauses, codes) are kept."""
        digits = "".join(ch for ch in self.conference_phone if ch.isdigit() or ch in "+,*#")
        return f"tel:{digits}" if digits else ""


class Favourite(models.Model):
    """A meeting a client keeps at hand: on their Connect page, Today and calendar feed.

    ``remind``: the client asked to be reminded an hour before each time it meets
    (``reminders.send_reminders``); off until they turn it on.
    """

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="meeting_favourites"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="favourites")
    created_at = models.DateTimeField()
    remind = models.BooleanField(_("remind me an hour before"), default=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "meeting"], name="favourite_once"),
        ]
        indexes = [
            # the reminder sweep: every favourite with a reminder on (a few among many)
            models.Index(fields=["meeting"], condition=Q(remind=True), name="favourite_reminded"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} for enrollment {self.enrollment_id}"


class Attendance(models.Model):
    """A meeting the client says they went to, on a date (self-reported).

    ``client_uuid`` comes from the form: the same submission twice is kept once. A
    meeting is kept once per date, too: a second form for the same meeting and day
    (two presses, two tabs) would count it twice for the Stage 3 gate and the ally.
    ``starts_at`` is when that day's meeting began (for a meeting by appointment, or a
    date that is not one of its days, midday of the date in the client's zone).
    """

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="meeting_attendances"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendances")
    client_uuid = models.UUIDField()
    attended_on = models.DateField()
    starts_at = models.DateTimeField()
    online = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "client_uuid"], name="meeting_attendance_uuid_once"
            ),
            models.UniqueConstraint(
                fields=["enrollment", "meeting", "attended_on"],
                name="meeting_attendance_once_a_day",
            ),
        ]
        indexes = [
            # the log, the count since a date, the ally's recent list
            models.Index(fields=["enrollment", "starts_at"], name="meeting_attendance_when"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} on {self.attended_on}"


class MeetingReminder(models.Model):
    """One reminder (or a decision not to send one) to one client about one meeting's start.

    The unique row is the claim: written in the same transaction as the notification,
    so a failed send is tried again on the next run, and a second worker (or a retry)
    finds the row and sends nothing. Keyed by enrollment and meeting rather than by the
    favourite, so taking a meeting off the favourites and back on does not remind twice
    of the same start. ``mailed``: an e-mail went with it.
    """

    enrollment = models.ForeignKey("program.Enrollment", on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    mailed = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "meeting", "starts_at"],
                name="meeting_reminder_once_per_start",
            ),
        ]
        indexes = [
            # the sweep's "which of the coming starts are claimed already", and the pruning
            models.Index(fields=["starts_at"], name="meeting_reminder_start"),
        ]

    def __str__(self) -> str:
        return f"meeting {self.meeting_id} @ {self.starts_at} to enrollment {self.enrollment_id}"
