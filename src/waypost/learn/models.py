"""Reading progress and reading assigned as homework.

Modules themselves are files (see ``content.py``); rows here refer to them by
slug, so a module can be reworded without losing anyone's progress. Rows whose
slug is no longer in the library are kept but not shown.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waypost.core.fields import EncryptedTextField


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
