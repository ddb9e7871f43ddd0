"""Measures given to a client: what was assigned, and each time a form was filled in."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waypost.assessments.scoring import plain_number
from waypost.core.fields import EncryptedTextField
from waypost.core.models import AppendOnlyModel

if TYPE_CHECKING:
    from collections.abc import Iterable

    from waypost.assessments import catalog


class ClinicInstrument(models.Model):
    """One version of a questionnaire a clinic uploaded on the web, for that clinic only.

    Versions are never changed once uploaded (a corrected file is a new version):
    ``content`` is the file exactly as checked. A draft is checked against worked
    examples (``examples``, as the examples file holds them) and then published; at
    most one version of an id is published in a clinic at a time. Publishing a newer
    version supersedes the older one for new forms; a form keeps the version it was
    opened with (``Administration.clinic_instrument``), so a scored form is always
    read with the file it was scored with. ``services/clinic_instruments.py`` holds
    the rules; ``instruments.py`` resolves ids to entries.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Replaced by a newer version")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # A UUID, never reused: parsed files are cached by it for the life of the process.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(
        "clinics.Clinic", on_delete=models.PROTECT, related_name="own_instruments"
    )
    instrument_id = models.CharField(max_length=64)
    revision = models.PositiveIntegerField()
    content = models.TextField()
    title = models.CharField(max_length=200)
    short_name = models.CharField(max_length=80)
    # Worked examples from the publication, as the examples file holds them.
    examples = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["instrument_id", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "instrument_id", "revision"],
                name="assessments_clinic_instrument_version_once",
            ),
            # one published version per questionnaire in a clinic
            models.UniqueConstraint(
                fields=["clinic", "instrument_id"],
                condition=models.Q(status="published"),
                name="assessments_clinic_instrument_published_once",
            ),
        ]
        indexes = [
            # instruments.available(clinic): the published versions of one clinic
            models.Index(fields=["clinic", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} v{self.revision} ({self.status})"


class ClinicInstrumentEvent(AppendOnlyModel):
    """What happened to a clinic's questionnaire, and who did it: its audit trail."""

    class Action(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded")
        EXAMPLE_ADDED = "example_added", _("added a worked example")
        EXAMPLE_REMOVED = "example_removed", _("removed a worked example")
        PUBLISHED = "published", _("published")
        WITHDRAWN = "withdrawn", _("withdrew")

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(ClinicInstrument, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.action} {self.version_id}"


class Assignment(models.Model):
    """A clinician asked the client to fill in one instrument, once or on a schedule."""

    class Schedule(models.TextChoices):
        ONCE = "once", _("Once")
        EVERY_N_WEEKS = "weeks", _("Every few weeks")
        BEFORE_SESSION = "session", _("Before each session")

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="measure_assignments"
    )
    instrument_id = models.CharField(max_length=64)
    # A clinic's own questionnaire: the version new forms are opened with (publishing a
    # newer version moves active assignments to it). None for the installed ones.
    clinic_instrument = models.ForeignKey(
        ClinicInstrument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
    )
    schedule = models.CharField(max_length=10, choices=Schedule.choices, default=Schedule.ONCE)
    every_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    # How long each form stays open before it expires.
    window_days = models.PositiveSmallIntegerField(default=7)
    starts_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["ended_at", "schedule"])]

    def __str__(self) -> str:
        return f"{self.instrument_id} for {self.enrollment_id} ({self.schedule})"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    @property
    def entry(self) -> catalog.Entry | None:
        """The instrument this is about (None if its file is no longer installed).

        A clinic's own questionnaire resolves to the exact version pointed at.
        """
        from waypost.assessments import instruments

        return instruments.entry_of(self.instrument_id, self.clinic_instrument_id)

    @property
    def short_name(self) -> str:
        entry = self.entry
        return entry.instrument.short_name if entry else self.instrument_id

    @property
    def plain_name(self) -> str:
        """What a client reads: "Mood questionnaire", never the code."""
        entry = self.entry
        return entry.plain_name if entry else self.instrument_id


def had_critical_answer(alert_raised_at: datetime | None, flags: Iterable[object] | None) -> bool:
    """A form's critical answer, from its fields (``Administration.had_critical_answer``)."""
    return alert_raised_at is not None or any(
        str(flag).startswith("critical:") for flag in flags or []
    )


class Administration(models.Model):
    """One sitting of a questionnaire: open, in progress, completed or expired.

    Answers are kept encrypted, position by position, so a client who is
    interrupted picks up where they stopped. Scores are stored when the form
    is completed, from the instrument file's rules.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting")
        IN_PROGRESS = "in_progress", _("Started")
        COMPLETED = "completed", _("Completed")
        EXPIRED = "expired", _("Expired")

    class Source(models.TextChoices):
        CLIENT = "client", _("Filled in by the client")
        SESSION = "session", _("Filled in together in a session")
        IMPORT = "import", _("Imported")

    # The form's FHIR id. An import keeps the file's id, so it is unique within one
    # client's record only (Meta.constraints): a response another clinic's client has
    # must neither block an import here nor reveal that it exists.
    uuid = models.UUIDField(default=uuid.uuid4, editable=False)
    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="measure_forms"
    )
    assignment = models.ForeignKey(
        Assignment, on_delete=models.SET_NULL, null=True, blank=True, related_name="forms"
    )
    instrument_id = models.CharField(max_length=64)
    instrument_version = models.CharField(max_length=32, blank=True)
    # A clinic's own questionnaire: exactly the version this form was opened (and so
    # answered and scored) with, whatever was published since. None for installed ones.
    clinic_instrument = models.ForeignKey(
        ClinicInstrument, on_delete=models.PROTECT, null=True, blank=True, related_name="forms"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.CLIENT)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    # {linkId: score}, encrypted: what someone answered is clinical information.
    answers_data = EncryptedTextField(blank=True, default="")
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    total = models.FloatField(null=True, blank=True)
    band = models.CharField(max_length=80, blank=True)
    subscales = models.JSONField(default=dict, blank=True)
    flags = models.JSONField(default=list, blank=True)
    # A critical answer raises one alert, at the moment it is given.
    alert_raised_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    last_call_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_at", "-id"]
        indexes = [
            models.Index(fields=["enrollment", "status"]),
            models.Index(fields=["enrollment", "instrument_id", "completed_at"]),
            models.Index(fields=["status", "closes_at"]),
        ]
        constraints = [
            # an import's "already imported?" check: this id in this record
            models.UniqueConstraint(
                fields=["enrollment", "uuid"], name="assessments_form_uuid_once_per_record"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} #{self.pk} ({self.status})"

    @property
    def answers(self) -> dict[str, float | int]:
        return json.loads(self.answers_data) if self.answers_data else {}

    @answers.setter
    def answers(self, values: dict[str, float | int]) -> None:
        self.answers_data = json.dumps(values, separators=(",", ":"))

    @property
    def had_critical_answer(self) -> bool:
        """A critical answer was given: it raised a risk alert, or the scored form is flagged."""
        return had_critical_answer(self.alert_raised_at, self.flags)

    @property
    def is_open(self) -> bool:
        """Can be answered now: not done, not expired, and inside its window."""
        now = timezone.now()
        return (
            self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)
            and self.opens_at <= now < self.closes_at
        )

    @property
    def closes_soon(self) -> bool:
        """Open, with less than a day left to fill it in."""
        return self.is_open and self.closes_at - timezone.now() < timedelta(days=1)

    @property
    def entry(self) -> catalog.Entry | None:
        """The instrument this is about (None if its file is no longer installed).

        A clinic's own questionnaire resolves to the exact version pointed at.
        """
        from waypost.assessments import instruments

        return instruments.entry_of(self.instrument_id, self.clinic_instrument_id)

    @property
    def short_name(self) -> str:
        entry = self.entry
        return entry.instrument.short_name if entry else self.instrument_id

    @property
    def plain_name(self) -> str:
        """What a client reads: "Mood questionnaire", never the code."""
        entry = self.entry
        return entry.plain_name if entry else self.instrument_id

    @property
    def total_display(self) -> str:
        if self.total is None:
            return ""
        return plain_number(self.total)


class Session(models.Model):
    """A planned therapy session, so measures can be due before each one."""

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="planned_sessions"
    )
    starts_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Another app shows this session to the client itself (a booked appointment), so
    # Today's "coming up" leaves it to that app and lists it once.
    shown_elsewhere = models.BooleanField(default=False)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"session {self.starts_at:%Y-%m-%d %H:%M} for {self.enrollment_id}"


# The questionnaires a new client gets on enrollment unless the clinic chooses others:
# mood, worry, wellbeing and alcohol (ids of the files in instruments/).
DEFAULT_BASELINE = ("phq-9", "gad-7", "who-5", "audit-c")


def default_baseline() -> list[str]:
    return list(DEFAULT_BASELINE)


class ClinicMeasureSettings(models.Model):
    """How a clinic judges change on its measures, and what a new client is given first."""

    class ChangeMethod(models.TextChoices):
        JACOBSON_TRUAX = "jacobson-truax", _("Reliable change index (Jacobson and Truax)")
        NHS = "nhs-talking-therapies", _("NHS Talking Therapies thresholds, where they exist")

    clinic = models.OneToOneField(
        "clinics.Clinic", on_delete=models.CASCADE, related_name="measure_settings"
    )
    change_method = models.CharField(
        max_length=40, choices=ChangeMethod.choices, default=ChangeMethod.JACOBSON_TRUAX
    )
    # Instrument ids assigned once each when a client joins; an empty list assigns none.
    baseline_instruments = models.JSONField(default=default_baseline, blank=True)

    def __str__(self) -> str:
        return f"{self.clinic_id}: {self.change_method}"
