"""Shared records: the audit trail and the client timeline."""

from __future__ import annotations

import json
from typing import Any, NoReturn, TypeVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waypost.core import event_kinds
from waypost.core.fields import EncryptedTextField


class AppendOnlyError(Exception):
    """Audit and timeline rows are never changed or deleted once written."""


_M = TypeVar("_M", bound=models.Model)


class AppendOnlyQuerySet(models.QuerySet[_M]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("append-only records cannot be updated")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("append-only records cannot be deleted")


class VersionedDocumentFields(models.Model):
    """The fields every version of a client's own document has (safety plan, balance …).

    Numbered versions, who saved each and whether with the clinician in session,
    and the content as encrypted JSON. The concrete model adds its enrollment
    link (with its own related name) and the unique (enrollment, version) rule.
    """

    version = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    in_session = models.BooleanField(default=False)
    content = EncryptedTextField()

    class Meta:
        abstract = True
        ordering = ["-version"]


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("append-only records cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("append-only records cannot be deleted")


class AuditEvent(AppendOnlyModel):
    """Someone other than the client viewed or changed the client's data, or was refused it."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        CHANGE = "change", _("changed")
        EXPORT = "export", _("exported")
        # Tried to open the client's data and was turned away (a 404 or a 403).
        REFUSED = "refused", _("was refused")

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_actions"
    )
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT)
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_subject"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    what = models.CharField(max_length=200)
    path = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # clinic admins' audit page: newest first within a clinic
            models.Index(fields=["clinic", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.action} {self.what} of {self.client_id}"


class TimelineEvent(AppendOnlyModel):
    """One thing that happened in a client's program, for the timeline and history.

    ``kind`` is a kind declared in ``core/events.py`` by the app that writes it
    (``program.stage_changed``, ``connect.consent_changed`` …); ``data`` holds its
    parameters, language-neutral and non-sensitive, and the sentence is made in
    the reader's language when it is read (:attr:`summary`). Anything personal
    goes in ``detail``, which is encrypted. Write through ``events.record``.
    """

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    enrollment = models.ForeignKey(
        "program.Enrollment", on_delete=models.CASCADE, related_name="timeline"
    )
    kind = models.CharField(max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    detail = EncryptedTextField(blank=True, default="")
    data = models.JSONField(default=dict, blank=True)
    # The parameters that say what the client's reading or answers are about (the
    # kind's ``private``), as JSON, encrypted; read and written through private_data.
    private = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # client timeline: newest first for one enrollment
            models.Index(fields=["enrollment", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def private_data(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.private) if self.private else {}
        return loaded

    @private_data.setter
    def private_data(self, value: dict[str, Any]) -> None:
        self.private = json.dumps(value, sort_keys=True) if value else ""

    @property
    def summary(self) -> str:
        """What happened, in one sentence in the active language."""
        return event_kinds.describe(self.kind, self.data, self.private_data)
