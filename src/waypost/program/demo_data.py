"""The program's part of the demo: the demo clients have been here for weeks, so each
has long since closed the welcome (a newcomer invited in the demo still sees it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import F

from waypost.program.models import Enrollment

if TYPE_CHECKING:
    from waypost.demo import DemoContext


def load(context: DemoContext) -> None:
    ids = [enrollment.pk for enrollment in context.enrollments.values()]
    Enrollment.objects.filter(pk__in=ids, welcomed_at__isnull=True).update(
        welcomed_at=F("created_at")
    )
    for enrollment in context.enrollments.values():
        enrollment.refresh_from_db(fields=["welcomed_at"])
