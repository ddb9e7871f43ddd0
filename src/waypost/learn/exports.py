"""Reading in "download my data": what the client read, their notes, and what was assigned."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from waypost.core import exports
from waypost.learn import content
from waypost.learn.models import ModuleProgress, ReadingAssignment

if TYPE_CHECKING:
    from waypost.accounts.models import User


def _title(slug: str) -> str:
    module = content.library().get(slug)
    return module.title if module else slug


def reading(user: User) -> dict[str, Any]:
    progress = ModuleProgress.objects.filter(client=user).order_by("started_at", "pk")
    assigned = ReadingAssignment.objects.filter(enrollment__client=user).order_by(
        "assigned_at", "pk"
    )
    return {
        "progress": [
            {
                "module": _title(row.module_slug),
                "key": row.module_slug,
                "started_at": row.started_at,
                "read_at": row.read_at,
                "note": row.note,
                "note_updated_at": row.note_updated_at,
            }
            for row in progress
        ],
        "assigned": [
            {
                "module": _title(row.module_slug),
                "key": row.module_slug,
                "assigned_at": row.assigned_at,
                "due_on": row.due_on,
                "withdrawn_at": row.withdrawn_at,
            }
            for row in assigned
        ],
    }


SECTION = exports.Section(
    key="reading",
    title=_("Reading"),
    order=60,
    collect=reading,
    description=_("What you started and read, your notes on it, and reading given to you."),
    labels={
        "progress": _("What you read"),
        "module": _("Reading"),
        "read_at": _("Finished"),
        "note": _("Your note"),
        "note_updated_at": _("Note last changed"),
        "assigned": _("Reading given to you"),
        "assigned_at": _("Given"),
        "due_on": _("By"),
        "withdrawn_at": _("Taken back"),
    },
)


def register() -> None:
    exports.register(SECTION)
