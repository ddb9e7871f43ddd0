"""Reads of session notes and exercises for the pages, the record and the record export.

Nothing here audits: the views (and panels) that show what is read do, and so does
the export that calls :func:`notes_for_export`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from waypost.caseload.notes import lifecycle
from waypost.caseload.notes.models import (
    SECTIONS,
    Exercise,
    NoteAmendment,
    NoteRevision,
    SessionNote,
)

if TYPE_CHECKING:
    from waypost.program.models import Enrollment

#: How many signed notes the record's card lists (every unsigned draft shows besides).
ON_CARD = 4


@dataclass(frozen=True)
class Shown:
    """A note with where it stands at the moment it is shown."""

    note: SessionNote
    state: str  # lifecycle.DRAFT, SIGNED or LOCKED
    unsigned: bool  # a draft left longer than lifecycle.UNSIGNED_AFTER

    @property
    def locks_at(self) -> datetime | None:
        signed_at = self.note.signed_at
        return lifecycle.locks_at(signed_at) if signed_at else None

    @property
    def is_draft(self) -> bool:
        return self.state == lifecycle.DRAFT

    @property
    def is_correctable(self) -> bool:
        return self.state == lifecycle.SIGNED

    @property
    def is_locked(self) -> bool:
        return self.state == lifecycle.LOCKED


def shown(note: SessionNote, now: datetime | None = None) -> Shown:
    now = now or timezone.now()
    return Shown(
        note=note,
        state=lifecycle.state(note.signed_at, now),
        unsigned=lifecycle.is_unsigned(note.created_at, note.signed_at, now),
    )


@dataclass(frozen=True)
class Card:
    """The record's notes card: drafts (unsigned ones flagged), then the latest signed."""

    drafts: list[Shown]
    signed: list[Shown]

    @property
    def unsigned(self) -> int:
        return sum(1 for s in self.drafts if s.unsigned)


def record_card(enrollment: Enrollment, now: datetime | None = None) -> Card:
    """Every draft and the latest signed notes, in one query whatever the history."""
    now = now or timezone.now()
    latest_signed = SessionNote.objects.filter(
        enrollment=enrollment, status=SessionNote.Status.SIGNED
    ).order_by("-session_at", "-id")[:ON_CARD]
    rows = (
        SessionNote.objects.filter(enrollment=enrollment)
        .filter(Q(status=SessionNote.Status.DRAFT) | Q(pk__in=latest_signed.values("pk")))
        .only(
            "id",
            "enrollment_id",
            "created_at",
            "session_at",
            "format",
            "duration_minutes",
            "status",
            "signed_at",
            "author_id",
        )
        .order_by("-session_at", "-id")
    )
    notes = [shown(note, now) for note in rows]
    return Card(
        drafts=[s for s in notes if s.is_draft],
        signed=[s for s in notes if not s.is_draft],
    )


def notes_of(enrollment: Enrollment, now: datetime | None = None) -> list[Shown]:
    """Every note of the client, newest session first, with who wrote and signed it."""
    now = now or timezone.now()
    rows = (
        SessionNote.objects.filter(enrollment=enrollment)
        .select_related("author", "signed_by")
        .defer(*SECTIONS, "risk_note")
        .order_by("-session_at", "-id")
    )
    return [shown(note, now) for note in rows]


def note_of(enrollment: Enrollment, note_id: int) -> SessionNote | None:
    """One of the client's notes, with its revisions, amendments and exercises; else None."""
    return (
        SessionNote.objects.filter(enrollment=enrollment, pk=note_id)
        .select_related("author", "signed_by", "appointment__booking")
        # One Prefetch a call: the type checker cannot join their querysets' types.
        .prefetch_related(
            Prefetch("revisions", queryset=NoteRevision.objects.select_related("saved_by"))
        )
        .prefetch_related(
            Prefetch("amendments", queryset=NoteAmendment.objects.select_related("signed_by"))
        )
        .prefetch_related(
            Prefetch(
                "exercises",
                queryset=Exercise.objects.filter(withdrawn_at__isnull=True).order_by("set_at"),
            ),
        )
        .first()
    )


def notes_for_export(enrollment: Enrollment) -> list[dict[str, Any]]:
    """Every note of the client as plain data, for the clinician's export of the record.

    Signed notes with their revisions and amendments, and drafts marked as drafts;
    free text decrypted. Three queries whatever the number of notes. The caller checks
    that the person may export the record (``Action.EXPORT_RECORD``) and audits it.
    Never part of the client's own download: these are the clinician's notes.
    """
    rows = (
        SessionNote.objects.filter(enrollment=enrollment)
        .select_related("author", "signed_by")
        .prefetch_related(
            Prefetch("revisions", queryset=NoteRevision.objects.select_related("saved_by"))
        )
        .prefetch_related(
            Prefetch("amendments", queryset=NoteAmendment.objects.select_related("signed_by"))
        )
        .order_by("session_at", "id")
    )
    return [
        {
            "id": note.pk,
            "status": note.status,
            "session_at": note.session_at,
            "format": note.format,
            "duration_minutes": note.duration_minutes,
            "appointment_id": note.appointment_id,
            "written_by": note.author.name,
            "created_at": note.created_at,
            "discussed": note.discussed,
            "assessment": note.assessment,
            "plan": note.plan,
            "risk": note.risk,
            "risk_note": note.risk_note,
            "signed_by": note.signed_by.name if note.signed_by else None,
            "signed_at": note.signed_at,
            "revisions": [
                {
                    "number": revision.number,
                    "reason": revision.reason,
                    "saved_by": revision.saved_by.name,
                    "saved_at": revision.saved_at,
                    "content": revision.content,
                }
                for revision in note.revisions.all()
            ],
            "amendments": [
                {
                    "text": amendment.text,
                    "reason": amendment.reason,
                    "signed_by": amendment.signed_by.name,
                    "signed_at": amendment.signed_at,
                }
                for amendment in note.amendments.all()
            ],
        }
        for note in rows
    ]


# --- exercises -------------------------------------------------------------------------


def exercises_for_client(enrollment: Enrollment) -> list[Exercise]:
    """The client's exercises not withdrawn: open ones first (soonest due), then done ones."""
    rows = list(Exercise.objects.filter(enrollment=enrollment, withdrawn_at__isnull=True))
    open_ = sorted(
        (e for e in rows if not e.is_done),
        key=lambda e: (e.due_on is None, e.due_on or date.max, e.set_at),
    )
    done = sorted((e for e in rows if e.is_done), key=lambda e: e.done_at or e.set_at, reverse=True)
    return open_ + done


def exercise_of(enrollment: Enrollment, exercise_id: int) -> Exercise | None:
    """One exercise of the client (withdrawn ones too), else None."""
    return Exercise.objects.filter(enrollment=enrollment, pk=exercise_id).first()


def exercise_counts(enrollment: Enrollment) -> tuple[int, int]:
    """How many exercises are open and how many there are (withdrawn left out): one query."""
    rows = Exercise.objects.filter(enrollment=enrollment, withdrawn_at__isnull=True)
    counted = rows.aggregate(total=Count("id"), open=Count("id", filter=Q(done_at__isnull=True)))
    return int(counted["open"] or 0), int(counted["total"] or 0)
