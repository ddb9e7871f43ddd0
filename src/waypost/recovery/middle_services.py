"""Writes of the middle-circle log: note a moment on slippery ground, or take one back.

Public API for other apps (``from waypost.recovery import middle_services``)
- ``note_moment(*, enrollment, by, client_uuid, items, other, note, ...) -> NotedMoment``:
  keep one moment; a retry with the same ``client_uuid`` stores nothing and returns the
  first (also after it was deleted).
- ``delete_moment(*, moment, by) -> None``: take one back (a mistake); its words are gone.
- ``MiddleError``: why it cannot be kept, kindly (``field`` names the answer to change).

The items are words, not references: the client ticks them from their recovery plan's
middle circle, but a moment queued offline while an older plan was on the phone must
still be kept, so any short words are accepted, as the urge log accepts any trigger.
When it happened follows the urge log (``services.urges``): now when not given, at
most ``EDIT_WINDOW`` ago, never in the future beyond a little clock drift.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require
from waypost.core import events as core_events
from waypost.core.errors import DomainError
from waypost.recovery import days, events, patterns, plan_content, selectors
from waypost.recovery.models import MiddleCircleMoment
from waypost.recovery.services.urges import recent_moment

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

    from waypost.program.models import Enrollment

#: One ticked item: as long as a line of the plan may be.
ITEM_MAX_LENGTH = plan_content.MAX_ITEM_LENGTH
#: At most as many items as a circle may hold.
ITEMS_MAX = plan_content.MAX_ITEMS
OTHER_MAX_LENGTH = 100  # "something else": a few words
NOTE_MAX_LENGTH = 500  # a short note


class MiddleError(DomainError):
    """The moment cannot be kept as given; the message says what to change, kindly."""

    code = "middle_moment_refused"


class NotedMoment(NamedTuple):
    moment: MiddleCircleMoment
    created: bool  # False: a retry of a submission already stored


def _moment(occurred_at: datetime | None, now: datetime) -> datetime:
    return recent_moment(
        occurred_at,
        now,
        error=MiddleError,
        too_early=_("A moment can be noted for the last three days, not earlier."),
    )


def _values(*, items: Iterable[str], other: object, note: object) -> dict[str, Any]:
    """The moment's words, checked; ``MiddleError`` for the first that cannot be kept."""
    if isinstance(items, str):
        items = [items]
    ticked = [" ".join(str(item).split()) for item in items]
    ticked = [item for item in ticked if item]
    if any(len(item) > ITEM_MAX_LENGTH for item in ticked):
        raise MiddleError(
            _("Please keep each one under %(n)d characters.") % {"n": ITEM_MAX_LENGTH},
            field="items",
        )
    stored_items = patterns.join_items(ticked)
    if len(patterns.split_items(stored_items)) > ITEMS_MAX:
        raise MiddleError(
            _("Please tick at most %(n)d.") % {"n": ITEMS_MAX},
            field="items",
        )
    other_text = " ".join(str(other or "").split())
    if len(other_text) > OTHER_MAX_LENGTH:
        raise MiddleError(
            _("Please keep this under %(n)d characters.") % {"n": OTHER_MAX_LENGTH},
            field="other",
        )
    note_text = str(note or "").strip()
    if len(note_text) > NOTE_MAX_LENGTH:
        raise MiddleError(
            _("Please keep the note under %(n)d characters.") % {"n": NOTE_MAX_LENGTH},
            field="note",
        )
    if not stored_items and not other_text:
        raise MiddleError(
            _("Please tick what it was, or say it in a few words under “Something else”."),
            field="items",
        )
    return {"items": stored_items, "other": other_text, "note": note_text}


def note_moment(
    *,
    enrollment: Enrollment,
    by: User,
    client_uuid: uuid.UUID,
    items: Iterable[str] = (),
    other: str = "",
    note: str = "",
    occurred_at: datetime | None = None,
    plan_version: int | None = None,
    path: str = "",
    at: datetime | None = None,
) -> NotedMoment:
    """Keep one moment on slippery ground; only the client, from Stage 2 on (``LOG_RECOVERY``).

    ``items`` are the middle-circle items ticked (their words), ``other`` anything else in
    a few words; at least one of them is needed. ``plan_version`` is the recovery plan
    the items were offered from (None: none, or not known). A submission whose
    ``client_uuid`` was already stored (a retry, the offline queue sending again, even
    after the moment was deleted) changes nothing and returns the moment it stored, with
    ``created`` False. Nothing is written when anything is refused.
    """
    require(by, Action.LOG_RECOVERY, enrollment)
    now = at or timezone.now()
    stored = MiddleCircleMoment.objects.filter(
        enrollment=enrollment, client_uuid=client_uuid
    ).first()
    if stored is not None:
        return NotedMoment(stored, created=False)
    moment_at = _moment(occurred_at, now)
    values = _values(items=items, other=other, note=note)
    zone = days.zone_named(selectors.client_time_zone(enrollment, client=by))
    local = moment_at.astimezone(zone)
    try:
        with transaction.atomic():
            moment = MiddleCircleMoment.objects.create(
                enrollment=enrollment,
                client_uuid=client_uuid,
                occurred_at=moment_at,
                local_date=local.date(),
                local_hour=local.hour,
                plan_version=plan_version,
                created_at=now,
                **values,
            )
            core_events.record(
                enrollment=enrollment,
                kind=events.MIDDLE_NOTED,
                actor=by,
                # The day and how many were ticked: the words stay in the log.
                data={
                    "day": moment.local_date.isoformat(),
                    "n": len(patterns.split_items(moment.items)) + (1 if moment.other else 0),
                },
                at=now,
                path=path,
            )
    except IntegrityError:
        # The same submission arrived twice at once: the other one stored it.
        stored = MiddleCircleMoment.objects.filter(
            enrollment=enrollment, client_uuid=client_uuid
        ).first()
        if stored is None:
            raise
        return NotedMoment(stored, created=False)
    return NotedMoment(moment, created=True)


def delete_moment(
    *, moment: MiddleCircleMoment, by: User, path: str = "", at: datetime | None = None
) -> None:
    """Take back a moment the client noted (a mistake): its words go, a tombstone stays.

    The tombstone keeps the ``client_uuid`` (so a late replay stores nothing) and the
    day; the timeline says a moment of that day was taken back. Deleting one already
    deleted changes nothing.
    """
    enrollment = moment.enrollment
    require(by, Action.LOG_RECOVERY, enrollment)
    now = at or timezone.now()
    with transaction.atomic():
        # Claimed with a conditional update: two taps on Delete take it back once.
        taken = MiddleCircleMoment.objects.filter(pk=moment.pk, deleted_at__isnull=True).update(
            items="", other="", note="", deleted_at=now
        )
        if not taken:
            return
        moment.items = moment.other = moment.note = ""
        moment.deleted_at = now
        core_events.record(
            enrollment=enrollment,
            kind=events.MIDDLE_DELETED,
            actor=by,
            data={"day": moment.local_date.isoformat()},
            at=now,
            path=path,
        )
