"""Stage 2: the check-in, the plans, urges, lapses, the device plan and the practice log.

Every client write carries a client-generated ``client_uuid``: a retried or
offline-queued submission is stored once (a unique rule per enrollment).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waypost.core.fields import EncryptedTextField
from waypost.core.models import AppendOnlyModel, VersionedDocumentFields

MOOD_MIN, MOOD_MAX = 1, 5
URGE_MIN, URGE_MAX = 0, 10
SLEEP_MAX = 24
MINUTES_MAX = 600


class CheckIn(models.Model):
    """How one day went, in the client's own local date; a second submit updates it.

    ``client_uuid`` comes from the form (later, the offline queue): a submission
    retried with the same id is stored once.
    """

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="check_ins"
    )
    local_date = models.DateField(_("day"))
    client_uuid = models.UUIDField()
    sober = models.BooleanField(_("kept my inner circle"))
    mood = models.PositiveSmallIntegerField(
        _("mood"), validators=[MinValueValidator(MOOD_MIN), MaxValueValidator(MOOD_MAX)]
    )
    urge = models.PositiveSmallIntegerField(
        _("strongest urge"), validators=[MinValueValidator(URGE_MIN), MaxValueValidator(URGE_MAX)]
    )
    sleep_hours = models.DecimalField(
        _("hours of sleep"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(SLEEP_MAX)],
    )
    mindfulness_minutes = models.PositiveSmallIntegerField(
        _("minutes of mindfulness"), default=0, validators=[MaxValueValidator(MINUTES_MAX)]
    )
    note = EncryptedTextField(_("note"), blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-local_date"]
        indexes = [
            # The lapse days of a list of clients (the caseload's streaks): a few rows each,
            # rather than a year of check-ins read to find them.
            models.Index(
                fields=["enrollment", "local_date"],
                condition=Q(sober=False),
                name="check_in_lapse_days",
            ),
        ]
        constraints = [
            # One per local day; also serves every read (an enrollment's days, its lapse dates).
            models.UniqueConstraint(
                fields=["enrollment", "local_date"], name="one_check_in_per_local_day"
            ),
            # A retried submission is stored once.
            models.UniqueConstraint(
                fields=["enrollment", "client_uuid"], name="check_in_client_uuid_once"
            ),
            models.CheckConstraint(
                condition=Q(mood__gte=MOOD_MIN, mood__lte=MOOD_MAX), name="check_in_mood_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(urge__gte=URGE_MIN, urge__lte=URGE_MAX), name="check_in_urge_0_to_10"
            ),
            models.CheckConstraint(
                condition=Q(sleep_hours__isnull=True)
                | Q(sleep_hours__gte=0, sleep_hours__lte=SLEEP_MAX),
                name="check_in_sleep_0_to_24",
            ),
            models.CheckConstraint(
                condition=Q(mindfulness_minutes__lte=MINUTES_MAX),
                name="check_in_minutes_0_to_600",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment_id}: {self.local_date}"


# --- The plans: versioned documents (core.documents.save_version) -------------------------

PERIOD_MIN_DAYS, PERIOD_MAX_DAYS, PERIOD_DEFAULT_DAYS = 7, 365, 90


class RecoveryPlan(AppendOnlyModel, VersionedDocumentFields):
    """One version of the client's recovery plan: the period, its start and the three circles.

    ``start_date`` (the client's local date the count starts from) and ``period_days``
    are plain columns, read by the day counter without decrypting anything. ``content``
    is the three circles as encrypted JSON (``plan_content``).
    """

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="recovery_plans"
    )
    start_date = models.DateField(_("start date"))
    period_days = models.PositiveSmallIntegerField(
        _("days"),
        default=PERIOD_DEFAULT_DAYS,
        validators=[MinValueValidator(PERIOD_MIN_DAYS), MaxValueValidator(PERIOD_MAX_DAYS)],
    )

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "version"], name="one_recovery_plan_per_version"
            ),
            models.CheckConstraint(
                condition=Q(period_days__gte=PERIOD_MIN_DAYS, period_days__lte=PERIOD_MAX_DAYS),
                name="recovery_plan_period_7_to_365",
            ),
        ]

    def __str__(self) -> str:
        return f"recovery plan v{self.version} of enrollment {self.enrollment_id}"


class PreventionPlan(AppendOnlyModel, VersionedDocumentFields):
    """One version of the client's relapse-prevention plan (``prevention_content``)."""

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="prevention_plans"
    )

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "version"], name="one_prevention_plan_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"relapse-prevention plan v{self.version} of enrollment {self.enrollment_id}"


class PlanReview(AppendOnlyModel):
    """The clinician agreed (recovery plan) or reviewed (relapse-prevention plan) a version."""

    class Document(models.TextChoices):
        RECOVERY = "recovery", _("Recovery plan")
        PREVENTION = "prevention", _("Relapse-prevention plan")

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="plan_reviews"
    )
    document = models.CharField(max_length=12, choices=Document.choices)
    version = models.PositiveIntegerField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField()

    class Meta:
        ordering = ["-reviewed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "document", "version"], name="one_review_per_plan_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.version} reviewed ({self.enrollment_id})"


# --- Urges and lapses ------------------------------------------------------------------------


class Urge(models.Model):
    """One urge, logged in a few taps; what it was like and how it ended.

    ``local_date`` and ``local_hour`` are the client's local date and hour when it
    happened (their zone at the time), kept so patterns by hour and weekday need no
    time-zone arithmetic later and do not move when the client travels.
    """

    class Outcome(models.TextChoices):
        RESISTED = "resisted", _("I rode it out")
        LAPSED = "lapsed", _("I lapsed")
        UNSURE = "unsure", _("Not sure yet")

    class Emotion(models.TextChoices):
        BORED = "bored", _("Bored")
        STRESSED = "stressed", _("Stressed")
        ANXIOUS = "anxious", _("Anxious")
        LONELY = "lonely", _("Lonely")
        SAD = "sad", _("Sad")
        ANGRY = "angry", _("Angry")
        ASHAMED = "ashamed", _("Ashamed")
        RESTLESS = "restless", _("Restless")
        NUMB = "numb", _("Numb")
        EXCITED = "excited", _("Excited")
        OTHER = "other", _("Something else")

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="urges"
    )
    client_uuid = models.UUIDField()
    occurred_at = models.DateTimeField()
    local_date = models.DateField()
    local_hour = models.PositiveSmallIntegerField(validators=[MaxValueValidator(23)])
    intensity = models.PositiveSmallIntegerField(
        _("how strong"), validators=[MinValueValidator(URGE_MIN), MaxValueValidator(URGE_MAX)]
    )
    trigger = EncryptedTextField(_("what set it off"), blank=True)
    hungry = models.BooleanField(_("hungry"), default=False)
    angry = models.BooleanField(_("angry"), default=False)
    lonely = models.BooleanField(_("lonely"), default=False)
    tired = models.BooleanField(_("tired"), default=False)
    emotion = models.CharField(_("feeling"), max_length=10, choices=Emotion.choices, blank=True)
    place = EncryptedTextField(_("where"), blank=True)
    instead = EncryptedTextField(_("what I did instead"), blank=True)
    outcome = models.CharField(
        _("how it ended"), max_length=10, choices=Outcome.choices, default=Outcome.RESISTED
    )
    note = EncryptedTextField(_("more detail"), blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-occurred_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "client_uuid"], name="urge_client_uuid_once"
            ),
            models.CheckConstraint(
                condition=Q(intensity__gte=URGE_MIN, intensity__lte=URGE_MAX),
                name="urge_intensity_0_to_10",
            ),
            models.CheckConstraint(condition=Q(local_hour__lte=23), name="urge_hour_0_to_23"),
        ]
        indexes = [models.Index(fields=["enrollment", "occurred_at"], name="urge_by_time")]

    def __str__(self) -> str:
        return f"urge {self.intensity} of enrollment {self.enrollment_id} at {self.occurred_at}"


class Lapse(models.Model):
    """A lapse on one local day, with its chain analysis (encrypted JSON, ``chain_content``).

    A lapse day starts a new streak, like a check-in that says the inner circle was
    not kept; nothing else is taken away. ``learning_version`` is the
    relapse-prevention plan version the learning went into, once added.
    """

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="lapses"
    )
    client_uuid = models.UUIDField()
    local_date = models.DateField(_("day"))
    chain = EncryptedTextField(blank=True)
    learning_version = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-local_date", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "client_uuid"], name="lapse_client_uuid_once"
            ),
        ]
        indexes = [models.Index(fields=["enrollment", "local_date"], name="lapse_by_day")]

    def __str__(self) -> str:
        return f"lapse of enrollment {self.enrollment_id} on {self.local_date}"


# --- The middle-circle log -------------------------------------------------------------------


class MiddleCircleMoment(models.Model):
    """A moment on slippery ground the client noticed: which middle-circle items, and when.

    ``items`` are the words of the items ticked (one per line), copied from the client's
    recovery plan at the time (``plan_version``), so a later plan keeps what was noticed
    readable; ``other`` is "something else" in the client's words; ``note`` is theirs
    alone. ``local_date`` and ``local_hour`` are the client's, as for an urge.

    Deleting one (a mistake) keeps only a tombstone: the text is emptied and
    ``deleted_at`` set, so the offline queue sending the same ``client_uuid`` again
    stores nothing new.
    """

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="middle_circle_moments"
    )
    client_uuid = models.UUIDField()
    occurred_at = models.DateTimeField()
    local_date = models.DateField()
    local_hour = models.PositiveSmallIntegerField(validators=[MaxValueValidator(23)])
    items = EncryptedTextField(_("what it was"), blank=True)
    other = EncryptedTextField(_("something else"), blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    plan_version = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "client_uuid"], name="middle_moment_client_uuid_once"
            ),
            models.CheckConstraint(
                condition=Q(local_hour__lte=23), name="middle_moment_hour_0_to_23"
            ),
        ]
        indexes = [
            # The early-warning rule and the record card: an enrollment's recent days.
            models.Index(fields=["enrollment", "local_date"], name="middle_moment_by_day"),
        ]

    def __str__(self) -> str:
        return f"middle-circle moment of enrollment {self.enrollment_id} on {self.local_date}"


# --- The device plan -------------------------------------------------------------------------


class Device(models.Model):
    """One of the client's devices, with its hardening checklist (``DeviceStep``)."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone")
        COMPUTER = "computer", _("Computer")
        TABLET = "tablet", _("Tablet")
        CONSOLE = "console", _("Games console")
        TV = "tv", _("TV or streaming box")
        OTHER = "other", _("Something else")

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="devices"
    )
    client_uuid = models.UUIDField()
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField()
    # A device given away or no longer used leaves the plan but keeps its history.
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "client_uuid"], name="device_client_uuid_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind}) of enrollment {self.enrollment_id}"


class DeviceStep(models.Model):
    """One hardening step on one device: done on a date, or not needed for this device."""

    class Step(models.TextChoices):
        FILTER = "filter", _("Filter installed")
        APPS_SITES = "apps_sites", _("Apps and sites deleted")
        SUBSCRIPTIONS = "subscriptions", _("Subscriptions cancelled")
        CONTACTS = "contacts", _("Contacts unfriended or blocked")
        SOCIAL = "social", _("Social apps removed")
        NIGHT = "night", _("Away at night (lock-box or someone you trust)")
        DUMB_PHONE = "dumb_phone", _("Swapped for a simple phone")

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=16, choices=Step.choices)
    done_on = models.DateField(null=True, blank=True)
    not_needed = models.BooleanField(default=False)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["device", "step"]
        constraints = [
            models.UniqueConstraint(fields=["device", "step"], name="one_row_per_device_step"),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(not_needed=False),
                name="device_step_done_or_not_needed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.step} on device {self.device_id}"


# --- The skills toolbox ----------------------------------------------------------------------


class Practice(models.Model):
    """One practice from the skills toolbox (urge surfing, a timed sit …), for the practice log."""

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="practices"
    )
    client_uuid = models.UUIDField()
    skill = models.CharField(max_length=40)
    seconds = models.PositiveIntegerField(validators=[MaxValueValidator(MINUTES_MAX * 60)])
    local_date = models.DateField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "client_uuid"], name="practice_client_uuid_once"
            ),
            models.CheckConstraint(
                condition=Q(seconds__lte=MINUTES_MAX * 60), name="practice_at_most_10_hours"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({self.seconds}s) of enrollment {self.enrollment_id}"
