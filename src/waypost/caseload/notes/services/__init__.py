"""The session notes app's writes: notes (``notes``) and exercises (``exercises``)."""

from waypost.caseload.notes.services.exercises import (
    ExerciseError,
    client_today,
    mark_done,
    set_exercise,
    withdraw_exercise,
)
from waypost.caseload.notes.services.notes import (
    NoteContent,
    NoteError,
    NoteLocked,
    add_amendment,
    correct_note,
    sign_note,
    update_draft,
    write_note,
)

__all__ = [
    "ExerciseError",
    "NoteContent",
    "NoteError",
    "NoteLocked",
    "add_amendment",
    "client_today",
    "correct_note",
    "mark_done",
    "set_exercise",
    "sign_note",
    "update_draft",
    "withdraw_exercise",
    "write_note",
]
