"""The safety plan (every save a new version) and risk alerts for the clinician."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from waypost.core.fields import EncryptedTextField
from waypost.core.models import AppendOnlyModel, VersionedDocumentFields
from waypost.safety import plan_content

SEVERITY_MAX = 100


@dataclass(frozen=True)
class PlanSection:
    """One part of a saved plan with its items, ready for a template."""

    section: plan_content.Section
    items: list[Any]

    @property
    def key(self) -> str:
        return self.section.key


class SafetyPlan(AppendOnlyModel, VersionedDocumentFields):
    """One version of a client's safety plan. Saving makes a new version; none is changed.

    ``content`` is the plan as JSON (see ``plan_content``), encrypted at rest.
    ``in_session`` is set when the client's clinician saved it: they wrote it
    together in a session.
    """

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="safety_plans"
    )

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "version"], name="one_safety_plan_per_version"
            )
        ]
        # The unique constraint's index also serves "latest version of this plan".

    def __str__(self) -> str:
        return f"safety plan v{self.version} of enrollment {self.enrollment_id}"

    @cached_property
    def data(self) -> dict[str, list[Any]]:
        return plan_content.loads(self.content)

    @property
    def sections(self) -> list[PlanSection]:
        """Every part in display order: what matters first, then steps 1–6."""
        return [PlanSection(s, self.data[s.key]) for s in plan_content.SECTIONS]

    @property
    def reasons(self) -> PlanSection:
        return self.sections[0]

    @property
    def steps(self) -> list[PlanSection]:
        return self.sections[1:]

    def items(self, key: str) -> list[Any]:
        return self.data[key]


class RiskAlert(models.Model):
    """Something a client answered or did that their clinician must look at and acknowledge.

    ``summary``, ``source_label`` and ``note`` are clinical text, encrypted and
    never shown to clinic admins. ``source_url`` is a path inside Waypost.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="risk_alerts"
    )
    created_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=40)
    summary = EncryptedTextField()
    source_label = EncryptedTextField(blank=True, default="")
    source_url = models.CharField(max_length=500, blank=True, default="")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    note = EncryptedTextField(blank=True, default="")
    # How severe the answer that raised it was, 0 to 100: where the chosen answer lies
    # between the question's mildest (0) and most severe (100) answers. None when the
    # alert does not come from a scored answer; the inbox then puts it with the most
    # severe, since nothing says it is less. See ``selectors.TRIAGE_ORDER``.
    severity = models.PositiveSmallIntegerField(null=True, blank=True)
    # How far the alert has been escalated (0: not yet; see ``AlertEscalation``). The
    # escalation task claims each level with a conditional update of this field, so a
    # level is reached once however many workers run.
    escalation_level = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # inboxes and panels: one client's (or a caseload's) open alerts, oldest first
            models.Index(fields=["enrollment", "status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} alert {self.pk} ({self.status}) for enrollment {self.enrollment_id}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def most_severe(self) -> bool:
        """The answer was the most severe the question allows (or its severity is unknown)."""
        return self.severity is None or self.severity >= SEVERITY_MAX

    def overdue(self, hours: int, now: datetime | None = None) -> bool:
        """Still open more than ``hours`` after it was raised."""
        return self.is_open and (now or timezone.now()) - self.created_at > timedelta(hours=hours)

    @property
    def open_for(self) -> timedelta:
        """How long it has been (or was) open, as a timedelta."""
        end = self.acknowledged_at or timezone.now()
        return end - self.created_at


# --- escalation: an alert nobody has acknowledged goes to a second clinician, then admins


class EscalationPolicy(models.Model):
    """A clinic's escalation times for open risk alerts (edited by its admins).

    ``first_after_minutes`` after an alert was raised and still unacknowledged, the
    clinician on call (``OnCallShift``) is told; ``second_after_minutes`` after it
    was raised, the clinic's admins. A clinic without a policy, or with it
    switched off, escalates nothing.
    """

    clinic = models.OneToOneField(
        "clinics.Clinic", on_delete=models.CASCADE, related_name="escalation_policy"
    )
    enabled = models.BooleanField(_("escalate unacknowledged alerts"), default=True)
    first_after_minutes = models.PositiveIntegerField(
        _("tell the clinician on call after (minutes)"), default=60
    )
    second_after_minutes = models.PositiveIntegerField(
        _("tell the clinic admins after (minutes)"), default=240
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"escalation policy of clinic {self.clinic_id}"


class OnCallShift(models.Model):
    """One clinician on call for the clinic's risk alerts from one date to another.

    Dates are the clinic's local dates, both ends included. When shifts overlap,
    the one that starts first (then the one added first) is asked first; the
    alert's own primary clinician is never the second clinician.
    """

    clinic = models.ForeignKey(
        "clinics.Clinic", on_delete=models.CASCADE, related_name="on_call_shifts"
    )
    clinician = models.ForeignKey(
        "clinics.ClinicianProfile", on_delete=models.CASCADE, related_name="on_call_shifts"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_on", "id"]
        indexes = [
            # the rota page and "who is on call today": one clinic's shifts by date
            models.Index(fields=["clinic", "starts_on"]),
        ]

    def __str__(self) -> str:
        return f"on call {self.starts_on}–{self.ends_on}: clinician {self.clinician_id}"


class AlertEscalation(models.Model):
    """Who was told about an unacknowledged alert, at which level, and when.

    Level 1: the clinician on call (who may then see and acknowledge that alert,
    and only that one); level 2: a clinic admin (told where to look, never what
    the alert says). ``notified`` is empty when nobody could be found to tell.
    """

    class Level(models.IntegerChoices):
        ON_CALL = 1, _("Clinician on call")
        ADMIN = 2, _("Clinic admin")

    alert = models.ForeignKey(RiskAlert, on_delete=models.CASCADE, related_name="escalations")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    notified = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "level", "id"]
        indexes = [
            # "alerts escalated to me": the on-call clinician's inbox and access check
            models.Index(fields=["notified", "level"]),
        ]

    def __str__(self) -> str:
        return f"alert {self.alert_id} escalated (level {self.level}) to {self.notified_id}"
