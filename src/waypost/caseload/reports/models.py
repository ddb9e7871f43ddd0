"""A progress report: who asked for it, for whom, which sections and which period.

The row keeps the choices, never the report's content: the report is made from the
record each time it is opened (HTML) or downloaded (PDF), for the period chosen, so
it holds nothing that is not in the record already and nothing sensitive is stored
twice. ``client_uuid`` makes a double tap on "Make the report" return the same row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProgressReport(models.Model):
    """A client's progress report, made by the client or their primary clinician."""

    class Purpose(models.TextChoices):
        CLIENT = "client", _("For the client")
        REFERRAL = "referral", _("For a referral")

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="progress_reports"
    )
    client_uuid = models.UUIDField()
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    # The keys of the sections chosen (``sections.SECTIONS``), in the report's order.
    sections = models.JSONField(default=list)
    # The client's local dates, both included.
    period_start = models.DateField()
    period_end = models.DateField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-made_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "client_uuid"], name="one_report_per_client_uuid"
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="report_period_in_order",
            ),
        ]
        indexes = [
            # the record's and the Me page's cards: one client's latest reports
            models.Index(fields=["enrollment", "-made_at"], name="report_by_client_time"),
        ]

    def __str__(self) -> str:
        return f"report {self.pk} of enrollment {self.enrollment_id}"

    @property
    def is_referral(self) -> bool:
        return self.purpose == self.Purpose.REFERRAL
