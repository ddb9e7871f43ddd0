"""Session notes, their revisions and amendments, and the exercises a clinician sets.

A note is the clinician's own record of one session: a draft until it is signed;
the one who signed it may correct it for 24 hours (``lifecycle.LOCK_AFTER``), each
correction kept as a numbered revision; after that it is locked, and only
amendments can be added, each signed and dated, with a reason. Revisions and
amendments are append-only rows. Every free text is encrypted at rest.

Notes belong to the clinical record: the client never sees them, nor do allies,
and they are not in the client's own download. Exercises are the client's: they
see them, mark them done and may add a short reflection.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waypost.core.fields import EncryptedTextField
from waypost.core.models import AppendOnlyModel

# The structured sections of a note (the DAP format): their keys, in order.
SECTIONS = ("discussed", "assessment", "plan")


class SessionNote(models.Model):
    """A clinician's structured note of one session with the client."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIDEO = "video", _("Video")
        PHONE = "phone", _("Phone")

    class Risk(models.TextChoices):
        NONE = "none", _("No concerns")
        SOME = "some", _("Some concerns")
        SERIOUS = "serious", _("Serious concerns")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="session_notes"
    )
    # The form's own id, so a double submit keeps one draft.
    client_uuid = models.UUIDField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # One more at each change (draft saved, signed, corrected): the edit form posts the
    # version it showed, and a change is made only if the note still is at it, so two
    # tabs never silently overwrite each other.
    version = models.PositiveIntegerField(default=1)
    session_at = models.DateTimeField(_("session date and time"))
    format = models.CharField(max_length=12, choices=Format.choices, default=Format.IN_PERSON)
    duration_minutes = models.PositiveSmallIntegerField(default=50)
    # The booked appointment this session was, when there was one that day.
    appointment = models.ForeignKey(
        "appointments.Appointment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    discussed = EncryptedTextField(_("what was discussed and observed"), blank=True, default="")
    assessment = EncryptedTextField(_("assessment"), blank=True, default="")
    plan = EncryptedTextField(_("plan"), blank=True, default="")
    risk = models.CharField(max_length=10, choices=Risk.choices, blank=True, default="")
    risk_note = EncryptedTextField(blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-session_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "client_uuid"], name="one_session_note_per_client_uuid"
            ),
            # A signed note says who signed it and when; a draft says neither.
            models.CheckConstraint(
                condition=(
                    Q(status="signed", signed_at__isnull=False, signed_by__isnull=False)
                    | Q(status="draft", signed_at__isnull=True, signed_by__isnull=True)
                ),
                name="session_note_signed_with_signer_and_time",
            ),
        ]
        indexes = [
            # the record's notes, newest session first; its unsigned drafts
            models.Index(fields=["enrollment", "status", "-session_at"], name="note_record"),
        ]

    def __str__(self) -> str:
        return f"session note {self.pk} for {self.enrollment_id} ({self.status})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def content(self) -> dict[str, Any]:
        """What a revision keeps: the session's facts and every section, as plain data."""
        return {
            "session_at": self.session_at.isoformat(),
            "format": self.format,
            "duration_minutes": self.duration_minutes,
            "appointment_id": self.appointment_id,
            **{name: getattr(self, name) for name in SECTIONS},
            "risk": self.risk,
            "risk_note": self.risk_note,
        }


class NoteRevision(AppendOnlyModel):
    """The note as it stood when signed (number 1) and after each correction."""

    class Reason(models.TextChoices):
        SIGNED = "signed", _("Signed")
        CORRECTED = "corrected", _("Corrected")

    note = models.ForeignKey(SessionNote, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    reason = models.CharField(max_length=10, choices=Reason.choices)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(default=timezone.now)
    # The note's content (``SessionNote.content``) as JSON, encrypted.
    snapshot = EncryptedTextField()

    class Meta:
        ordering = ["note", "number"]
        constraints = [
            models.UniqueConstraint(fields=["note", "number"], name="one_note_revision_number"),
        ]

    def __str__(self) -> str:
        return f"revision {self.number} of note {self.note_id}"

    @property
    def content(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.snapshot) if self.snapshot else {}
        return loaded


class NoteAmendment(AppendOnlyModel):
    """An addition to a locked note: signed and dated by who wrote it, with a reason."""

    note = models.ForeignKey(SessionNote, on_delete=models.CASCADE, related_name="amendments")
    client_uuid = models.UUIDField()
    text = EncryptedTextField()
    reason = EncryptedTextField()
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["note", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["note", "client_uuid"], name="one_note_amendment_per_client_uuid"
            ),
        ]

    def __str__(self) -> str:
        return f"amendment {self.pk} of note {self.note_id}"


class Exercise(models.Model):
    """Free-text homework the clinician set the client, optionally due by a day.

    The client marks it done, once, with an optional short reflection (encrypted);
    a withdrawn exercise stays in the record but no longer shows to the client.
    """

    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="exercises"
    )
    client_uuid = models.UUIDField()
    text = EncryptedTextField(_("what to do"))
    due_on = models.DateField(_("due by"), null=True, blank=True)
    # The session note it was set from, if it was.
    note = models.ForeignKey(
        SessionNote, on_delete=models.SET_NULL, null=True, blank=True, related_name="exercises"
    )
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    reflection = EncryptedTextField(blank=True, default="")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-set_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "client_uuid"], name="one_exercise_per_client_uuid"
            ),
        ]
        indexes = [
            # the client's exercises not withdrawn (their page, Today, the record's homework)
            models.Index(fields=["enrollment", "withdrawn_at", "done_at"], name="exercise_open"),
        ]

    def __str__(self) -> str:
        return f"exercise {self.pk} for {self.enrollment_id}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
