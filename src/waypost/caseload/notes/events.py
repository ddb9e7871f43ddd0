"""What session notes and exercises write on a client's timeline, and the audit subjects.

A timeline line says that a note was signed, corrected or amended, and for which
session: never a word of the note. An exercise's line never holds its text either.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from waypost.core import events
from waypost.core.audit import register_subject
from waypost.core.events import EventKind

NOTE_SIGNED = "session_notes.note_signed"
NOTE_CORRECTED = "session_notes.note_corrected"
NOTE_AMENDED = "session_notes.note_amended"
NOTE_DISCARDED = "session_notes.draft_discarded"
EXERCISE_SET = "session_notes.exercise_set"
EXERCISE_DONE = "session_notes.exercise_done"
EXERCISE_WITHDRAWN = "session_notes.exercise_withdrawn"

# Timeline categories (``core.event_kinds.Category``) of these kinds.
NOTES_CATEGORY = "notes"
HOMEWORK_CATEGORY = "homework"

# Audit-trail subjects.
NOTE = "session note"  # one note read, or written, signed, corrected, amended
NOTES = "session notes"  # the list of a client's notes
DRAFT = "session note draft"  # a draft saved (no timeline line)
HOMEWORK = "homework"  # the client's homework read, or an exercise set or withdrawn
TIMELINE = "timeline"  # the whole timeline page


def _session(data: Mapping[str, Any]) -> dict[str, Any]:
    raw = data.get("session_at")
    words = dict(data)
    words["session"] = (
        formats.date_format(timezone.localtime(datetime.fromisoformat(raw)), "j M Y") if raw else ""
    )
    return words


def _due(data: Mapping[str, Any]) -> dict[str, Any]:
    raw = data.get("due_on")
    words = dict(data)
    words["due"] = formats.date_format(date.fromisoformat(raw), "j M Y") if raw else ""
    return words


def _set_text(data: Mapping[str, Any]) -> Any:
    if data.get("due_on"):
        return _("Exercise set, to do by %(due)s")
    return _("Exercise set")


KINDS = (
    EventKind(
        NOTE_SIGNED,
        label=_("Session note signed"),
        text=_("Session note signed (session of %(session)s)"),
        params=_session,
        audit=NOTE,
        category=NOTES_CATEGORY,
    ),
    EventKind(
        NOTE_CORRECTED,
        label=_("Session note corrected"),
        text=_("Session note corrected (session of %(session)s)"),
        params=_session,
        audit=NOTE,
        category=NOTES_CATEGORY,
    ),
    EventKind(
        NOTE_AMENDED,
        label=_("Session note amended"),
        text=_("Amendment added to the session note of %(session)s"),
        params=_session,
        audit=NOTE,
        category=NOTES_CATEGORY,
    ),
    EventKind(
        NOTE_DISCARDED,
        label=_("Former clinician's draft discarded"),
        text=_("Unsigned draft of a former clinician discarded (session of %(session)s)"),
        params=_session,
        audit=NOTE,
        category=NOTES_CATEGORY,
    ),
    EventKind(
        EXERCISE_SET,
        label=_("Exercise set"),
        text=_set_text,
        params=_due,
        audit=HOMEWORK,
        category=HOMEWORK_CATEGORY,
    ),
    EventKind(
        EXERCISE_DONE,
        label=_("Exercise done"),
        text=_("Exercise done"),
        category=HOMEWORK_CATEGORY,
    ),
    EventKind(
        EXERCISE_WITHDRAWN,
        label=_("Exercise withdrawn"),
        text=_("Exercise withdrawn"),
        audit=HOMEWORK,
        category=HOMEWORK_CATEGORY,
    ),
)


def register_all() -> None:
    """Declare the timeline kinds and audit subjects (from ``AppConfig.ready()``)."""
    for kind in KINDS:
        events.register(kind)
    register_subject(NOTE, _("A session note"))
    register_subject(NOTES, _("Session notes, listed"))
    register_subject(DRAFT, _("A session note draft, saved"))
    register_subject(HOMEWORK, _("Homework"))
    register_subject(TIMELINE, _("The whole timeline"))
