"""Exercises on the client's Today and Me pages.

Today reads one fact (``core.facts``, in the one query of every app's facts, so no
query of its own): the exercises not done whose day is near or has passed. While
there are any, one next step leads to them; exercises with no day, or a day further
ahead, wait on the exercises page, reached from Me.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypost.access.policy import Action, can
from waypost.caseload.notes import selectors
from waypost.caseload.notes.models import Exercise
from waypost.core import facts, next_steps

if TYPE_CHECKING:
    from django.http import HttpRequest

    from waypost.program.models import Enrollment

DUE_FACT = "session_notes.exercises_due"
#: An exercise comes to Today this many days before its day.
AHEAD_DAYS = 2
# A day's margin either side of the SQL's date: the client's own date is checked in Python.
_MARGIN = 1
_ON_TODAY = 5


def _due_fact(enrollment: Enrollment, now: datetime) -> facts.Rows:
    last_day = (now + timedelta(days=AHEAD_DAYS + _MARGIN)).date()
    return facts.Rows(
        Exercise.objects.filter(
            enrollment=OuterRef("pk"),
            withdrawn_at__isnull=True,
            done_at__isnull=True,
            due_on__isnull=False,
            due_on__lte=last_day,
        ).order_by("due_on", "set_at", "id"),
        ["id", "enrollment_id", "text", "due_on", "set_at"],
        limit=_ON_TODAY,
    )


def due_step(request: HttpRequest, enrollment: Enrollment) -> list[next_steps.NextStep]:
    """One step while an exercise is due within two days, or its day has passed."""
    if not can(request.user, Action.VIEW_OWN, enrollment):
        return []
    today = timezone.localdate()  # the client's zone (clinics.middleware)
    due = [
        e
        for e in facts.facts_for(request, enrollment)[DUE_FACT]
        if e.due_on is not None and e.due_on <= today + timedelta(days=AHEAD_DAYS)
    ]
    if not due:
        return []
    due.sort(key=lambda e: (e.due_on, e.set_at, e.pk))
    first = due[0]
    assert first.due_on is not None  # filtered above
    day = formats.date_format(first.due_on, "D j M")
    late = first.due_on < today
    when = (_("It was for %(day)s; whenever you can.") if late else _("To do by %(day)s.")) % {
        "day": day
    }
    if len(due) == 1:
        title = Truncator(first.text).chars(90)
        description = _("From your clinician. %(when)s") % {"when": when}
    else:
        title = ngettext(
            "%(n)d exercise from your clinician", "%(n)d exercises from your clinician", len(due)
        ) % {"n": len(due)}
        description = _("The first: %(text)s. %(when)s") % {
            "text": Truncator(first.text.rstrip(".")).chars(60),
            "when": when,
        }
    return [
        next_steps.NextStep(
            key="session_notes.exercises",
            priority=next_steps.ASKED,
            title=title,
            description=description,
            url=reverse("session_notes:mine"),
            verb=_("Open"),
            due=datetime.combine(first.due_on, time.max, tzinfo=timezone.get_current_timezone()),
        )
    ]


def me_card(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """The way to the exercises from Me, once the clinician has set any (one query)."""
    if not can(request.user, Action.VIEW_OWN, enrollment):
        return None
    open_, total = selectors.exercise_counts(enrollment)
    if not total:
        return None
    return {"open": open_, "total": total}


def register() -> None:
    facts.register(DUE_FACT, _due_fact)
    next_steps.register("session_notes.exercises", due_step)
