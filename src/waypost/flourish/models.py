"""Stage 4: long-term goals with steps and notes, the maintenance plan, graduation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waypost.core.fields import EncryptedTextField
from waypost.core.models import AppendOnlyModel, VersionedDocumentFields


class Goal(models.Model):
    """One long-term goal of a client, in one life domain (``domains.json``), with a review date.

    ``domain`` is the domain's key, in clear (it only says which heading the goal sits
    under); the client's own words, ``title`` and ``why``, are encrypted. ``client_uuid``
    makes a retried "add goal" harmless.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Working on it")
        REACHED = "reached", _("Reached")
        RESTING = "resting", _("Resting for now")

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="goals"
    )
    client_uuid = models.UUIDField()
    domain = models.CharField(max_length=40)
    title = EncryptedTextField()
    why = EncryptedTextField(blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    review_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "client_uuid"], name="one_goal_per_client_uuid"
            )
        ]
        indexes = [
            # Today and the record: a client's goals by status
            models.Index(fields=["enrollment", "status"]),
        ]

    def __str__(self) -> str:
        return f"goal {self.pk} of enrollment {self.enrollment_id}"


class GoalStep(models.Model):
    """A step toward a goal, done or not yet; the words are the client's, encrypted."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    text = EncryptedTextField()
    position = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"step {self.pk} of goal {self.goal_id}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class GoalNote(AppendOnlyModel):
    """A dated progress note on a goal, by the client or their clinician; kept as written."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="notes")
    text = EncryptedTextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"note {self.pk} on goal {self.goal_id}"


class Rhythm(models.TextChoices):
    """How often a client in Stage 4 checks in, agreed with their clinician."""

    DAILY = "daily", _("Every day")
    SEVERAL = "several", _("A few times a week")
    WEEKLY = "weekly", _("Once a week")


class MaintenancePlan(AppendOnlyModel, VersionedDocumentFields):
    """One version of the client's maintenance plan (``maintenance_content``).

    ``rhythm`` is a plain column, so reminders can read it without decrypting;
    the warning signs and what to do about them are the encrypted ``content``.
    """

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="maintenance_plans"
    )
    rhythm = models.CharField(max_length=10, choices=Rhythm.choices, default=Rhythm.WEEKLY)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "version"], name="one_maintenance_plan_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"maintenance plan v{self.version} of enrollment {self.enrollment_id}"


class MaintenanceAgreement(AppendOnlyModel):
    """The primary clinician agreed one version of the maintenance plan with the client."""

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="maintenance_agreements"
    )
    version = models.PositiveIntegerField()
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agreed_at = models.DateTimeField()

    class Meta:
        ordering = ["-agreed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "version"], name="one_agreement_per_maintenance_version"
            )
        ]

    def __str__(self) -> str:
        return f"maintenance plan v{self.version} agreed ({self.enrollment_id})"


class Graduation(models.Model):
    """A Stage 4 client's graduation to alumni, and whether they have stepped back in since.

    One per enrollment: graduating again after stepping back in starts it afresh (the
    timeline keeps every turn). An alumnus keeps their data, tools and sign-in.
    """

    enrollment = models.OneToOneField(
        "program.Enrollment", on_delete=models.CASCADE, related_name="graduation"
    )
    graduated_at = models.DateTimeField()
    graduated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = EncryptedTextField()
    stepped_back_at = models.DateTimeField(null=True, blank=True)
    stepped_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    step_back_note = EncryptedTextField(blank=True, default="")

    def __str__(self) -> str:
        return f"graduation of enrollment {self.enrollment_id}"

    @property
    def is_alumni(self) -> bool:
        return self.stepped_back_at is None
