"""The motivation tools' records: decisional balance, values card sort, stage of change, requests.

The readiness ruler is a questionnaire (``assessments.Administration``, id
"readiness-ruler"); the other three tools live here. Content is JSON made by
``waypost.motivation.tools``, encrypted at rest. A save by someone other than
the client (their clinician) is marked as done together in session.

These models began in the learn app. Their tables keep the names they had
there (``db_table``), so moving the code moved no data.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from waypost.core.fields import EncryptedTextField
from waypost.core.models import AppendOnlyModel, VersionedDocumentFields
from waypost.motivation import tools


class DecisionalBalance(AppendOnlyModel, VersionedDocumentFields):
    """One version of a client's decisional balance. Saving makes a new version."""

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="decisional_balances"
    )

    class Meta:
        db_table = "learn_decisionalbalance"
        ordering = ["-version"]
        constraints = [
            # also the index for "latest version" and "version n" of one client
            models.UniqueConstraint(
                fields=["enrollment", "version"], name="one_decisional_balance_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"decisional balance v{self.version} of enrollment {self.enrollment_id}"

    @cached_property
    def data(self) -> dict[str, list[dict[str, Any]]]:
        return tools.loads(self.content)

    @property
    def boxes(self) -> list[tuple[tools.Box, list[dict[str, Any]]]]:
        """Each box with its items, in the order the tool shows them."""
        return [(b, self.data.get(b.key, [])) for b in tools.BOXES]

    @property
    def item_count(self) -> int:
        return sum(len(items) for _box, items in self.boxes)


class ValuesCardSort(VersionedDocumentFields):
    """One version of a client's values card sort: the piles and the top values.

    Sorting the cards makes a new version. Choosing top values and writing
    notes completes the newest version when the same person does it in the
    same sitting (``SITTING``); later, or by someone else, it makes a new
    version, so earlier versions stay as they were.
    """

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="values_sorts"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "learn_valuescardsort"
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "version"], name="one_values_sort_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"values sort v{self.version} of enrollment {self.enrollment_id}"

    @cached_property
    def data(self) -> dict[str, Any]:
        return tools.loads(self.content)

    @property
    def piles(self) -> dict[str, str]:
        piles: dict[str, str] = self.data.get("piles", {})
        return piles

    @property
    def top(self) -> list[dict[str, str]]:
        top: list[dict[str, str]] = self.data.get("top", [])
        return top


class StageOfChangeEntry(AppendOnlyModel):
    """Where someone places the client's readiness to change, on one day.

    ``view`` says whose view it is: the client's own (written by them, or
    picked by them with their clinician in session) or the clinician's own
    judgement, which only clinicians see.
    """

    class View(models.TextChoices):
        CLIENT = "client", _("The client's view")
        CLINICIAN = "clinician", _("The clinician's view")

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="stage_of_change_entries"
    )
    stage = models.CharField(max_length=20, choices=[(k, k) for k in tools.CHANGE_STAGE_KEYS])
    view = models.CharField(max_length=10, choices=View.choices, default=View.CLIENT)
    in_session = models.BooleanField(default=False)
    note = EncryptedTextField(blank=True, default="")
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        db_table = "learn_stageofchangeentry"
        ordering = ["-recorded_at", "-id"]
        indexes = [
            # the latest entry of each view, and the dated list, for one client
            models.Index(fields=["enrollment", "view", "-recorded_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.stage} ({self.view}) for enrollment {self.enrollment_id}"

    @property
    def change_stage(self) -> tools.ChangeStage | None:
        return tools.change_stage(self.stage)


class MotivationRequest(models.Model):
    """The clinician asked the client to use one motivation tool before they next meet.

    Open until the tool is next saved for the client (by either of them) or
    the clinician takes the request back.
    """

    class Tool(models.TextChoices):
        READINESS = "readiness", _("Readiness ruler")
        BALANCE = "balance", _("Decisional balance")
        VALUES = "values", _("Values card sort")
        STAGE = "stage", _("Stage of change")

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="motivation_requests"
    )
    tool = models.CharField(max_length=10, choices=Tool.choices)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    # "done" when the tool was used, "withdrawn" when the clinician took it back
    outcome = models.CharField(max_length=10, blank=True)

    class Meta:
        db_table = "learn_motivationrequest"
        ordering = ["asked_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "tool"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_motivation_request_per_tool",
            )
        ]
        indexes = [
            # Today's card and the clinician's page: open requests of one client
            models.Index(fields=["enrollment", "closed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.tool} asked of enrollment {self.enrollment_id}"
