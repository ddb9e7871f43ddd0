"""The session notes app's cards: Session notes and Homework on the client record, and the
way to the exercises on the client's Me page.

The record page checks access and audits the record read; each card checks again
(``access.policy.can``). The notes card shows no word of a note (dates, formats and
where each stands), so it is no reading of one; the note's own page is. The notes
card costs one query, the homework card one per homework source (three).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from waypost.access.policy import Action, can
from waypost.caseload.notes import selectors, services, today
from waypost.core import homework, panels

if TYPE_CHECKING:
    from django.http import HttpRequest

    from waypost.program.models import Enrollment

STYLESHEET = "session_notes/notes.css"
#: The record's homework card lists work set in this time, and anything still open.
CARD_SINCE = timedelta(days=90)
#: Finished items the card lists per source (the homework page lists them all).
FINISHED_ON_CARD = 3


def notes_card(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """Drafts (unsigned ones flagged for attention) and the latest signed notes."""
    if not can(request.user, Action.VIEW_RECORD, enrollment):
        return None
    return {
        "card": selectors.record_card(enrollment),
        "may_write": can(request.user, Action.WRITE_SESSION_NOTE, enrollment),
    }


def homework_card(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """Everything set in the last three months and everything still open, per source."""
    if not can(request.user, Action.VIEW_RECORD, enrollment):
        return None
    now = timezone.now()
    groups = homework.homework_for(
        enrollment, today=services.client_today(enrollment, now), since=now - CARD_SINCE
    )
    return {
        "groups": groups,
        "finished_shown": FINISHED_ON_CARD,
        "may_set": can(request.user, Action.WRITE_SESSION_NOTE, enrollment),
    }


def register() -> None:
    panels.register(
        panels.Panel(
            slot="client_record",
            key="session_notes.notes",
            template="session_notes/panels/notes_card.html",
            context=notes_card,
            order=12,
            stylesheet=STYLESHEET,
        )
    )
    panels.register(
        panels.Panel(
            slot="client_record",
            key="session_notes.homework",
            template="session_notes/panels/homework_card.html",
            context=homework_card,
            order=25,
            stylesheet=STYLESHEET,
        )
    )
    panels.register(
        panels.Panel(
            slot="client_me",
            key="session_notes.me",
            template="session_notes/panels/me.html",
            context=today.me_card,
            order=20,
            stylesheet=STYLESHEET,
        )
    )
