"""What the learn app puts on the client's Today: reading the clinician assigned, then one
of the readings everyone starts with, while any is unread."""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING

from django.db.models import OuterRef
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, can
from waypost.core import facts, next_steps
from waypost.learn.content import library
from waypost.learn.models import ModuleProgress, ReadingAssignment
from waypost.learn.selectors import IN_PROGRESS, Entry, reading_for_today

if TYPE_CHECKING:
    from django.http import HttpRequest

    from waypost.program.models import Enrollment


def _minutes(entry: Entry) -> str:
    n = entry.module.reading_minutes
    return _("A %(n)d-minute read") % {"n": n}


def _step(entry: Entry) -> next_steps.NextStep:
    started = entry.state == IN_PROGRESS
    due = None
    if entry.assignment is not None:
        priority = next_steps.ASKED
        if entry.due_on:
            description = _("%(minutes)s from your clinician, to read by %(date)s.") % {
                "minutes": _minutes(entry),
                "date": formats.date_format(entry.due_on, "j M"),
            }
            due = datetime.combine(entry.due_on, time.max, tzinfo=timezone.get_current_timezone())
        else:
            description = _("%(minutes)s from your clinician.") % {"minutes": _minutes(entry)}
    else:
        priority = next_steps.WHENEVER
        description = _("%(minutes)s that most people start with.") % {"minutes": _minutes(entry)}
    return next_steps.NextStep(
        key=f"learn.{entry.module.slug}",
        priority=priority,
        title=entry.module.title,
        description=description,
        url=reverse("learn:module", args=[entry.module.slug]),
        verb=_("Continue reading") if started else _("Read"),
        due=due,
    )


def reading(request: HttpRequest, enrollment: Enrollment) -> list[next_steps.NextStep]:
    """Every unread assignment, and the first unread core module besides."""
    if not can(request.user, Action.VIEW_OWN, enrollment):
        return []
    known = facts.facts_for(request, enrollment)
    entries = reading_for_today(
        enrollment,
        limit=len(library().modules),
        progress={p.module_slug: p for p in known["learn.progress"]},
        assignments=known["learn.assignments"],
    )
    assigned = [e for e in entries if e.assignment is not None]
    core = [e for e in entries if e.assignment is None][:1]
    return [_step(entry) for entry in assigned + core]


def register_all() -> None:
    facts.register(
        "learn.progress",
        lambda enrollment, now: facts.Rows(
            ModuleProgress.objects.filter(client=OuterRef("client_id")),
            ["id", "client_id", "module_slug", "started_at", "read_at"],
        ),
    )
    facts.register(
        "learn.assignments",
        lambda enrollment, now: facts.Rows(
            ReadingAssignment.objects.filter(enrollment=OuterRef("pk"), withdrawn_at__isnull=True),
            ["id", "enrollment_id", "module_slug", "assigned_at", "due_on", "withdrawn_at"],
        ),
    )
    next_steps.register("learn.reading", reading)
