"""Reads for the reading library: what a client has read, what is assigned, what is core."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waypost.learn.content import Library, Module, library
from waypost.learn.models import ModuleProgress, ReadingAssignment
from waypost.program.models import Enrollment

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
READ = "read"
STATE_LABELS = {
    NOT_STARTED: _("Not started"),
    IN_PROGRESS: _("In progress"),
    READ: _("Read"),
}


@dataclass(frozen=True)
class Entry:
    """One module as one client sees it: where they are with it, and whether it is assigned."""

    module: Module
    progress: ModuleProgress | None = None
    assignment: ReadingAssignment | None = None

    @property
    def state(self) -> str:
        if self.progress is None:
            return NOT_STARTED
        return READ if self.progress.read_at else IN_PROGRESS

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def is_read(self) -> bool:
        return self.state == READ

    @property
    def due_on(self) -> date | None:
        return self.assignment.due_on if self.assignment else None

    @property
    def is_past_due(self) -> bool:
        """Unread and its read-by date has gone by (the clinician's view only)."""
        due = self.due_on
        return due is not None and not self.is_read and due < timezone.localdate()


def progress_by_slug(client: User | int) -> dict[str, ModuleProgress]:
    """The client's progress rows, by module slug (``client``: the person or their id)."""
    return {p.module_slug: p for p in ModuleProgress.objects.filter(client=client)}


def open_assignments(
    enrollment: Enrollment, rows: Iterable[ReadingAssignment] | None = None
) -> list[ReadingAssignment]:
    """Assignments not withdrawn, whose module is still in the library; soonest due first.

    ``rows``: the enrollment's assignments not withdrawn, when already read (Today's facts).
    """
    books = library()
    if rows is None:
        rows = enrollment.reading_assignments.filter(withdrawn_at__isnull=True)
    rows = [a for a in rows if books.get(a.module_slug) is not None]
    return sorted(rows, key=lambda a: (a.due_on is None, a.due_on or date.min, a.assigned_at))


def assigned_entries(
    enrollment: Enrollment,
    progress: dict[str, ModuleProgress] | None = None,
    assignments: Iterable[ReadingAssignment] | None = None,
) -> list[Entry]:
    """The client's open assignments with their reading state; unread ones first.

    ``progress`` and ``assignments``, when already read, save their queries.
    """
    books = library()
    if progress is None:
        progress = progress_by_slug(enrollment.client_id)
    entries = [
        Entry(module, progress.get(a.module_slug), a)
        for a in open_assignments(enrollment, assignments)
        if (module := books.get(a.module_slug)) is not None
    ]
    # stable sort: keeps soonest-due order within read and unread
    return sorted(entries, key=lambda e: e.is_read)


@dataclass(frozen=True)
class ClientLibrary:
    """The library page for a client: assigned reading first, then everything else."""

    assigned: list[Entry]
    others: list[Entry]
    for_allies: list[Entry]


def client_library(enrollment: Enrollment, stage: int | None = None) -> ClientLibrary:
    """Every module for the client, with their progress, optionally of one stage only."""
    books = library()
    progress = progress_by_slug(enrollment.client_id)
    all_assigned = assigned_entries(enrollment, progress)
    assigned = [e for e in all_assigned if stage is None or e.module.stage == stage]
    assigned_slugs = {e.module.slug for e in all_assigned}
    others: list[Entry] = []
    for_allies: list[Entry] = []
    for module in books:
        if module.slug in assigned_slugs or (stage is not None and module.stage != stage):
            continue
        entry = Entry(module, progress.get(module.slug))
        (others if module.for_clients else for_allies).append(entry)
    return ClientLibrary(assigned=assigned, others=others, for_allies=for_allies)


def reading_for_today(
    enrollment: Enrollment,
    limit: int = 3,
    *,
    progress: dict[str, ModuleProgress] | None = None,
    assignments: Iterable[ReadingAssignment] | None = None,
) -> list[Entry]:
    """Up to ``limit`` things to read: unread assignments first, then unread core modules.

    ``progress`` and ``assignments``, when already read (Today's facts), save their queries.
    """
    if progress is None:
        progress = progress_by_slug(enrollment.client_id)
    entries = [e for e in assigned_entries(enrollment, progress, assignments) if not e.is_read][
        :limit
    ]
    if len(entries) < limit:
        taken = {e.module.slug for e in entries}
        for module in library().core:
            if len(entries) >= limit:
                break
            entry = Entry(module, progress.get(module.slug))
            if module.slug not in taken and not entry.is_read:
                entries.append(entry)
    return entries


@dataclass(frozen=True)
class CoreReading:
    read: int
    total: int


def core_reading(client: User | int, books: Library | None = None) -> CoreReading:
    """How many of the library's core modules the client (the person or their id) has read."""
    books = books or library()
    core = {m.slug for m in books.core}
    read = ModuleProgress.objects.filter(
        client=client, module_slug__in=core, read_at__isnull=False
    ).count()
    return CoreReading(read=read, total=len(core))


def record_entries(enrollment: Enrollment) -> list[Entry]:
    """The clinician's view of the client's assigned reading, in due order."""
    books = library()
    progress = progress_by_slug(enrollment.client_id)
    return [
        Entry(module, progress.get(a.module_slug), a)
        for a in open_assignments(enrollment)
        if (module := books.get(a.module_slug)) is not None
    ]
