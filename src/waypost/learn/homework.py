"""Reading assignments as homework (``core.homework``): each module assigned and not
withdrawn, done once the client has read it (before or after it was assigned)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waypost.core import homework
from waypost.learn.content import library
from waypost.learn.models import ModuleProgress, ReadingAssignment

if TYPE_CHECKING:
    from waypost.program.models import Enrollment


def reading(
    enrollments: Sequence[Enrollment], since: datetime | None
) -> dict[int, list[homework.Item]]:
    """Each enrollment's assigned reading, with when it was read: one query for all."""
    read_at = ModuleProgress.objects.filter(
        client_id=OuterRef("enrollment__client_id"), module_slug=OuterRef("module_slug")
    ).values("read_at")[:1]
    rows = ReadingAssignment.objects.filter(
        enrollment_id__in=[e.pk for e in enrollments], withdrawn_at__isnull=True
    ).annotate(read_at=Subquery(read_at))
    if since is not None:
        rows = rows.filter(Q(assigned_at__gte=since) | Q(read_at__isnull=True))
    books = library()
    out: dict[int, list[homework.Item]] = {}
    for row in rows:
        module = books.get(row.module_slug)
        if module is None:  # no longer in the library: not shown anywhere
            continue
        out.setdefault(row.enrollment_id, []).append(
            homework.Item(
                key=f"learn.{row.pk}",
                title=module.title,
                kind=homework.MODULE,
                set_on=row.assigned_at,
                due=row.due_on,
                completed_on=row.read_at,
                url=reverse("learn:module", args=[module.slug]),
            )
        )
    return out


def register() -> None:
    homework.register(homework.Source("learn.reading", _("Reading"), reading, order=20))
