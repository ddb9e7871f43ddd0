"""Writes for the reading library: progress, notes, and reading assigned as homework.

Each function takes keyword arguments, records what happened (timeline, and
the audit trail when someone other than the client acts) and returns the row.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.core import events
from waypost.core.errors import DomainError
from waypost.learn import events as learn_events
from waypost.learn.content import Module
from waypost.learn.models import ModuleProgress, ReadingAssignment
from waypost.program.models import Enrollment

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User


class ReadingError(DomainError):
    """A reading change that cannot be made; the message is fit to show."""

    code = "reading_refused"


def _progress(client: User, module: Module, at: datetime) -> tuple[ModuleProgress, bool]:
    try:
        with transaction.atomic():
            return ModuleProgress.objects.get_or_create(
                client=client, module_slug=module.slug, defaults={"started_at": at}
            )
    except IntegrityError:  # opened twice at once: the other request made the row
        return ModuleProgress.objects.get(client=client, module_slug=module.slug), False


def open_module(*, client: User, module: Module, at: datetime | None = None) -> ModuleProgress:
    """The client opened the module: it counts as started from now on (if not before)."""
    progress, _created = _progress(client, module, at or timezone.now())
    return progress


@transaction.atomic
def mark_read(
    *, enrollment: Enrollment, module: Module, at: datetime | None = None
) -> ModuleProgress:
    """The client says they have read the module. Marking it again changes nothing."""
    at = at or timezone.now()
    progress, _created = _progress(enrollment.client, module, at)
    if progress.read_at is None:
        progress.read_at = at
        progress.save(update_fields=["read_at"])
        events.record(
            enrollment=enrollment,
            kind=learn_events.MODULE_READ,
            actor=enrollment.client,
            data={"module": module.slug},
            at=at,
        )
    return progress


def save_note(
    *, client: User, module: Module, note: str, at: datetime | None = None
) -> ModuleProgress:
    """Keep the client's private reflection on the module (encrypted; empty clears it)."""
    at = at or timezone.now()
    progress, _created = _progress(client, module, at)
    progress.note = note.strip()
    progress.note_updated_at = at
    progress.save(update_fields=["note", "note_updated_at"])
    return progress


@transaction.atomic
def assign_module(
    *,
    enrollment: Enrollment,
    module: Module,
    by: User,
    due_on: date | None = None,
    path: str = "",
    at: datetime | None = None,
) -> ReadingAssignment:
    """A clinician asks the client to read a module, optionally by a date."""
    at = at or timezone.now()
    if enrollment.reading_assignments.filter(
        module_slug=module.slug, withdrawn_at__isnull=True
    ).exists():
        raise ReadingError(_("This module is already assigned."))
    assignment = ReadingAssignment.objects.create(
        enrollment=enrollment,
        module_slug=module.slug,
        assigned_by=by,
        assigned_at=at,
        due_on=due_on,
    )
    events.record(
        enrollment=enrollment,
        kind=learn_events.MODULE_ASSIGNED,
        actor=by,
        path=path,
        data={"module": module.slug, "due_on": due_on.isoformat() if due_on else None},
        at=at,
    )
    return assignment


@transaction.atomic
def withdraw_assignment(
    *,
    assignment: ReadingAssignment,
    by: User,
    path: str = "",
    at: datetime | None = None,
) -> bool:
    """Take an assignment back. Returns False if it had already been withdrawn."""
    at = at or timezone.now()
    changed = ReadingAssignment.objects.filter(pk=assignment.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=at, withdrawn_by=by
    )
    if not changed:
        return False
    assignment.refresh_from_db()
    enrollment = assignment.enrollment
    events.record(
        enrollment=enrollment,
        kind=learn_events.MODULE_WITHDRAWN,
        actor=by,
        path=path,
        data={"module": assignment.module_slug},
        at=at,
    )
    return True
