"""Enrollment in the four-stage program and the history of stage changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from waypost.core.fields import EncryptedTextField

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Stage(models.IntegerChoices):
    EDUCATION = 1, pgettext_lazy("stage", "Learning and assessment")
    ABSTINENCE = 2, pgettext_lazy("stage", "Abstinence")
    CONNECTION = 3, pgettext_lazy("stage", "Connecting with others")
    FLOURISHING = 4, pgettext_lazy("stage", "Lasting recovery")


class Enrollment(models.Model):
    """A client's place in the program at one clinic; always in exactly one stage."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        GRADUATED = "graduated", _("Graduated")
        ENDED = "ended", _("Ended")

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrollments"
    )
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    primary_clinician = models.ForeignKey(
        "clinics.ClinicianProfile",
        on_delete=models.PROTECT,
        related_name="enrollments",
    )
    stage = models.PositiveSmallIntegerField(choices=Stage.choices, default=Stage.EDUCATION)
    stage_entered_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField()
    # When the client first closed the welcome (read or skipped); until then it is
    # offered after accepting the invitation and on Today. Readable again from "Me".
    welcomed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["client__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stage__gte=1, stage__lte=4), name="stage_1_to_4"
            ),
            models.UniqueConstraint(
                fields=["client", "clinic"],
                condition=models.Q(status="active"),
                name="one_active_enrollment_per_clinic",
            ),
        ]
        indexes = [
            # caseload: a clinician's active clients
            models.Index(fields=["primary_clinician", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.client} at {self.clinic} (stage {self.stage})"

    @property
    def stage_label(self) -> StrOrPromise:
        return Stage(self.stage).label

    @property
    def days_in_stage(self) -> int:
        return max(0, (timezone.now() - self.stage_entered_at).days)


class StageChange(models.Model):
    """Who moved a client between stages, when, from where to where, and why."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="stage_changes"
    )
    created_at = models.DateTimeField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    from_stage = models.PositiveSmallIntegerField(choices=Stage.choices, null=True, blank=True)
    to_stage = models.PositiveSmallIntegerField(choices=Stage.choices)
    reason = EncryptedTextField(_("reason"))

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.enrollment_id}: {self.from_stage} → {self.to_stage}"
