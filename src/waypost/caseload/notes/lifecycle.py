"""Where a session note stands at a moment: draft, signed (still correctable) or locked.

Pure rules, with no Django import: the services enforce them (in the database, with
conditional updates) and the pages show them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

#: How long after signing the one who signed may still correct a note.
LOCK_AFTER = timedelta(hours=24)
#: A draft older than this is "unsigned": the record's notes card asks for it.
UNSIGNED_AFTER = timedelta(days=3)

DRAFT = "draft"
SIGNED = "signed"  # signed, and still correctable
LOCKED = "locked"


def state(signed_at: datetime | None, now: datetime) -> str:
    """``draft`` before signing; ``signed`` for 24 hours after; ``locked`` from then on.

    The boundary belongs to the lock: at exactly 24 hours the note is locked.
    """
    if signed_at is None:
        return DRAFT
    return SIGNED if now < locks_at(signed_at) else LOCKED


def locks_at(signed_at: datetime) -> datetime:
    """When a note signed at ``signed_at`` locks."""
    return signed_at + LOCK_AFTER


def is_unsigned(created_at: datetime, signed_at: datetime | None, now: datetime) -> bool:
    """A draft started more than :data:`UNSIGNED_AFTER` ago, and still not signed."""
    return signed_at is None and now - created_at > UNSIGNED_AFTER
