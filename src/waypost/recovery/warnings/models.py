"""Early warnings raised by the rules, and each clinic's tuning of the rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class EarlyWarning(models.Model):
    """A rule fired for a client: its numbers, when, and when it stopped firing.

    One open warning (``resolved_at`` empty) per rule per client. ``dismissed_at``: the
    client said "thanks, noted"; the nudge stays hidden until the rule fires anew (a new
    row, after this one resolves), while the clinician still sees it open.
    """

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="early_warnings"
    )
    rule = models.CharField(max_length=60)
    # The numbers behind the finding (no free text): averages, counts, days.
    numbers = models.JSONField(default=dict)
    raised_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "rule"],
                condition=Q(resolved_at__isnull=True),
                name="one_open_early_warning_per_rule",
            )
        ]
        indexes = [
            # the caseload column, the record card and Today: a client's open warnings
            models.Index(fields=["enrollment", "resolved_at"], name="early_warning_open"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} for enrollment {self.enrollment_id} at {self.raised_at}"


class ClinicRuleSetting(models.Model):
    """A clinic's choice for one rule: on or off, and its parameters (else the defaults)."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=60)
    enabled = models.BooleanField(default=True)
    params = models.JSONField(default=dict)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "rule"], name="one_setting_per_clinic_rule")
        ]

    def __str__(self) -> str:
        return f"{self.rule} at clinic {self.clinic_id}"
