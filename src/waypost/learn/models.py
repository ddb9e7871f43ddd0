"""Reading progress, reading assigned as homework, and the motivation tools.

Modules themselves are files (see ``content.py``); rows here refer to them by
slug, so a module can be reworded without losing anyone's progress. Rows whose
slug is no longer in the library are kept but not shown.
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
from waypost.learn import motivation


class ModuleProgress(models.Model):
    """How far one client has got with one module, and their private reflection note.

    Progress belongs to the person rather than to one enrollment: what they
    have read stays read if they move clinic. The note is for the client
    alone; no other page shows it.
    """

    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_progress"
    )
    module_slug = models.SlugField(max_length=80)
    started_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    note = EncryptedTextField(_("reflection note"), blank=True, default="")
    note_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # also the index for "this client's progress" (library, Today, gate)
            models.UniqueConstraint(
                fields=["client", "module_slug"], name="one_progress_per_client_and_module"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.module_slug}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class ReadingAssignment(models.Model):
    """A module a clinician asked a client to read, optionally by a date."""

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="reading_assignments"
    )
    module_slug = models.SlugField(max_length=80)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField()
    due_on = models.DateField(_("due"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["due_on", "assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "module_slug"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_open_assignment_per_module",
            ),
        ]
        indexes = [
            # the client's open assignments (Today, library) and the record panel
            models.Index(fields=["enrollment", "withdrawn_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment_id}: {self.module_slug}"

    @property
    def is_open(self) -> bool:
        return self.withdrawn_at is None


# --- motivation tools ----------------------------------------------------------------
#
# The readiness ruler is a questionnaire (assessments.Administration, id
# "readiness-ruler"); the other three tools live here. Content is JSON made by
# ``waypost.learn.motivation``, encrypted at rest. A save by someone other than
# the client (their clinician) is marked as done together in session.


class DecisionalBalance(AppendOnlyModel, VersionedDocumentFields):
    """One version of a client's decisional balance. Saving makes a new version."""

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="decisional_balances"
    )

    class Meta:
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
    def data(self) -> dict[str, list[dict]]:
        return motivation.loads(self.content)

    @property
    def boxes(self) -> list[tuple[motivation.Box, list[dict]]]:
        """Each box with its items, in the order the tool shows them."""
        return [(b, self.data.get(b.key, [])) for b in motivation.BOXES]

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
        return motivation.loads(self.content)

    @property
    def piles(self) -> dict[str, str]:
        return self.data.get("piles", {})

    @property
    def top(self) -> list[dict[str, str]]:
        return self.data.get("top", [])


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
    stage = models.CharField(max_length=20, choices=[(k, k) for k in motivation.CHANGE_STAGE_KEYS])
    view = models.CharField(max_length=10, choices=View.choices, default=View.CLIENT)
    in_session = models.BooleanField(default=False)
    note = EncryptedTextField(blank=True, default="")
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [
            # the latest entry of each view, and the dated list, for one client
            models.Index(fields=["enrollment", "view", "-recorded_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.stage} ({self.view}) for enrollment {self.enrollment_id}"

    @property
    def change_stage(self) -> motivation.ChangeStage | None:
        return motivation.change_stage(self.stage)


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
