"""Notes and exercises for the tests: the cast's clinic is in Asia/Singapore."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import uuid4

from django.utils import timezone

from waypost.caseload.notes import services
from waypost.caseload.notes.models import Exercise, SessionNote

TEXT = "Talked about the work trip; practised urge surfing together."


def content(**changes) -> services.NoteContent:
    values = {
        "session_at": timezone.now() - timedelta(hours=1),
        "format": SessionNote.Format.IN_PERSON,
        "duration_minutes": 50,
        "discussed": TEXT,
        "assessment": "Steady; more confident about evenings.",
        "plan": "Urge surfing twice before next week.",
        "risk": SessionNote.Risk.NONE,
        "risk_note": "",
    } | changes
    return services.NoteContent(**values)


def draft(cast, **changes) -> SessionNote:
    return services.write_note(
        enrollment=cast.enrollment,
        by=cast.clinician,
        content=content(**changes),
        client_uuid=uuid4(),
    )


def signed(cast, at: datetime | None = None, **changes) -> SessionNote:
    return services.write_note(
        enrollment=cast.enrollment,
        by=cast.clinician,
        content=content(session_at=(at or timezone.now()) - timedelta(hours=1), **changes),
        client_uuid=uuid4(),
        sign=True,
        at=at,
    )


def exercise(cast, text: str = "Try the urge-surfing exercise twice", **changes) -> Exercise:
    return services.set_exercise(
        enrollment=cast.enrollment,
        by=cast.clinician,
        text=text,
        client_uuid=uuid4(),
        **changes,
    )
