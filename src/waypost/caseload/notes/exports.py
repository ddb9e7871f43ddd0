"""Exercises in "download my data": what the clinician set, when it was for, and the
client's own reflection. Session notes are the clinician's and never part of it
(``selectors.notes_for_export`` serves the clinician's export of the record)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from waypost.caseload.notes.models import Exercise
from waypost.core import exports

if TYPE_CHECKING:
    from waypost.accounts.models import User


def exercises(user: User) -> list[dict[str, Any]]:
    rows = (
        Exercise.objects.filter(enrollment__client=user, withdrawn_at__isnull=True)
        .select_related("enrollment__clinic")
        .order_by("set_at", "pk")
    )
    return [
        {
            "text": exercise.text,
            "clinic": exercise.enrollment.clinic.name,
            "set_at": exercise.set_at,
            "due_on": exercise.due_on,
            "done_at": exercise.done_at,
            "reflection": exercise.reflection,
        }
        for exercise in rows
    ]


SECTION = exports.Section(
    key="exercises",
    title=_("Exercises"),
    order=62,
    collect=exercises,
    description=_("The exercises your clinician set you, when you did them, and your reflections."),
    labels={
        "set_at": _("Set"),
        "due_on": _("To do by"),
        "done_at": _("Done"),
        "reflection": _("Your reflection"),
    },
)


def register() -> None:
    exports.register(SECTION)
