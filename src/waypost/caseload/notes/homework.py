"""Exercises as homework (``core.homework``): every exercise set and not withdrawn."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waypost.caseload.notes.models import Exercise
from waypost.core import homework

if TYPE_CHECKING:
    from waypost.program.models import Enrollment


def exercises(
    enrollments: Sequence[Enrollment], since: datetime | None
) -> dict[int, list[homework.Item]]:
    """Each enrollment's exercises, done or not: one query for all."""
    rows = Exercise.objects.filter(
        enrollment_id__in=[e.pk for e in enrollments], withdrawn_at__isnull=True
    ).only("id", "enrollment_id", "text", "due_on", "set_at", "done_at")
    if since is not None:
        rows = rows.filter(Q(set_at__gte=since) | Q(done_at__isnull=True))
    out: dict[int, list[homework.Item]] = {}
    for exercise in rows:
        out.setdefault(exercise.enrollment_id, []).append(
            homework.Item(
                key=f"session_notes.{exercise.pk}",
                title=exercise.text,
                kind=homework.EXERCISE,
                set_on=exercise.set_at,
                due=exercise.due_on,
                completed_on=exercise.done_at,
                url=reverse("session_notes:homework", args=[exercise.enrollment_id])
                + f"#exercise-{exercise.pk}",
            )
        )
    return out


SOURCE = homework.Source("session_notes.exercises", _("Exercises"), exercises, order=10)


def register() -> None:
    homework.register(SOURCE)
