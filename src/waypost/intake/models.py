"""The history intake and the client's story (the guided narrative).

Both hold some of the most personal things a client writes, so their content
lives only in encrypted JSON text; what stays in plain columns is when things
happened and who did them.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waypost.core.fields import EncryptedTextField


def _load(text: str) -> dict[str, Any]:
    if not text:
        return {}
    value = json.loads(text)
    return value if isinstance(value, dict) else {}


def _dump(value: dict[str, Any]) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False) if value else ""


class HistoryIntake(models.Model):
    """A client's answers about their history, one entry per topic, encrypted.

    ``answers_json`` maps a topic key (``first_exposure``, ``attempts`` …, see
    ``intake.topics``) to that topic's answers. A topic is saved once it has
    an entry. ``completed_at`` is set when the client sends it to their
    clinician, or the clinician completes it with them in session; answers
    can still be corrected afterwards.
    """

    enrollment = models.OneToOneField(
        "program.Enrollment", on_delete=models.CASCADE, related_name="history_intake"
    )
    answers_json = EncryptedTextField(_("answers"), blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"history intake of enrollment {self.enrollment_id}"

    @property
    def answers(self) -> dict[str, Any]:
        return _load(self.answers_json)

    def set_answers(self, answers: dict[str, Any]) -> None:
        self.answers_json = _dump(answers)

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class Narrative(models.Model):
    """The client's story in five guided parts: a private draft and a shared copy.

    The client edits ``draft_json``; nobody else ever reads it. Sharing copies
    the draft into ``shared_json`` as it is at that moment; later edits stay
    private until the client shares again. Un-sharing empties the shared copy.
    """

    enrollment = models.OneToOneField(
        "program.Enrollment", on_delete=models.CASCADE, related_name="narrative"
    )
    draft_json = EncryptedTextField(_("draft"), blank=True, default="")
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    shared_json = EncryptedTextField(_("shared version"), blank=True, default="")
    shared_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"story of enrollment {self.enrollment_id}"

    @property
    def draft(self) -> dict[str, Any]:
        return _load(self.draft_json)

    def set_draft(self, draft: dict[str, Any]) -> None:
        self.draft_json = _dump(draft)

    @property
    def shared(self) -> dict[str, Any]:
        return _load(self.shared_json)

    @property
    def is_shared(self) -> bool:
        return self.shared_at is not None

    @property
    def edited_since_shared(self) -> bool:
        """Shared, and the draft now says something different from the shared copy."""
        return self.is_shared and self.draft != self.shared
