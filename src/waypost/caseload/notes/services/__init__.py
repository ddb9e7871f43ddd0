"""The session notes app's writes: notes (``notes``) and exercises (``exercises``)."""

from waypost.caseload.notes.services.exercises import (
    ExerciseError,
    client_today,
    mark_done,
    set_exercise,
    withdraw_exercise,
)
from waypost.caseload.notes.services.notes import (
    NoteConflict,
    NoteContent,
    NoteError,
    NoteLocked,
    add_amendment,
    correct_note,
    discard_orphaned_draft,
    is_orphaned,
    sign_note,
    update_draft,
    write_note,
)

__all__ = [
    "ExerciseError",
    "NoteConflict",
    "NoteContent",
    "NoteError",
    "NoteLocked",
    "add_amendment",
    "client_today",
    "correct_note",
    "discard_orphaned_draft",
    "is_orphaned",
    "mark_done",
    "set_exercise",
    "sign_note",
    "update_draft",
    "withdraw_exercise",
    "write_note",
]
