"""Writes of the urge log: keep an urge in a few taps, change it for three days.

Public API for other apps (``from waypost.recovery.services import urges``)
- ``log_urge(*, enrollment, by, client_uuid, intensity, ...) -> LoggedUrge``: keep one
  urge; a retry with the same ``client_uuid`` stores nothing and returns the first.
- ``change_urge(*, urge, by, intensity, ...) -> Urge``: change one, while editable.
- ``UrgeError``: why it cannot be kept, kindly (``field`` names the answer to change).

When an urge happened: ``occurred_at`` (an aware moment; now when not given). An
offline queue replays an urge later with the moment it was logged, so the moment may
be up to ``EDIT_WINDOW`` old; a moment in the future (beyond a little clock drift
between the phone and the server) is refused. Its local date and hour are the
client's at that moment, in their zone then (``selectors.client_time_zone``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require
from waypost.core import events as core_events
from waypost.core.errors import DomainError
from waypost.recovery import days, events, patterns, selectors
from waypost.recovery.models import URGE_MAX, URGE_MIN, Urge

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

    from waypost.program.models import Enrollment

# An urge may be logged or changed while it is at most this old.
EDIT_WINDOW = timedelta(days=3)
# A phone's clock may run a little ahead of the server's: this much is taken as "now".
CLOCK_DRIFT = timedelta(minutes=5)
WORDS_MAX_LENGTH = 100  # a trigger, a place, one coping step
INSTEAD_MAX_ITEMS = 12
NOTE_MAX_LENGTH = 2000


class UrgeError(DomainError):
    """The urge cannot be kept as given; the message says what to change, kindly."""

    code = "urge_refused"


class LoggedUrge(NamedTuple):
    urge: Urge
    created: bool  # False: a retry of a submission already stored


def is_editable(urge: Urge, now: datetime | None = None) -> bool:
    """Whether the client may still change this urge (it happened within ``EDIT_WINDOW``)."""
    return urge.occurred_at >= (now or timezone.now()) - EDIT_WINDOW


def recent_moment(
    occurred_at: datetime | None, now: datetime, *, error: type[DomainError], too_early: str
) -> datetime:
    """When something the client notes happened (an urge, a slippery moment): ``now`` when
    not given, else a time with its zone within the last ``EDIT_WINDOW``, never later than
    ``now`` (a phone's clock a little ahead counts as now). ``error`` for anything else, on
    the ``occurred_at`` answer; ``too_early`` says what the window is for.
    """
    if occurred_at is None:
        return now
    if occurred_at.tzinfo is None or occurred_at.utcoffset() is None:
        raise error(_("Please give the time with its time zone."), field="occurred_at")
    if occurred_at > now + CLOCK_DRIFT:
        raise error(_("That time has not come yet. Please check it."), field="occurred_at")
    if occurred_at < now - EDIT_WINDOW:
        raise error(too_early, field="occurred_at")
    return min(occurred_at, now)


def _moment(occurred_at: datetime | None, now: datetime) -> datetime:
    return recent_moment(
        occurred_at,
        now,
        error=UrgeError,
        too_early=_("An urge can be logged for the last three days, not earlier."),
    )


def _words(value: object, field: str, message: str) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > WORDS_MAX_LENGTH:
        raise UrgeError(message, field=field)
    return text


def _values(
    *,
    intensity: object,
    trigger: object,
    hungry: object,
    angry: object,
    lonely: object,
    tired: object,
    emotion: object,
    place: object,
    instead: Iterable[str],
    outcome: object,
    note: object,
) -> dict[str, Any]:
    """The urge's answers, checked; ``UrgeError`` for the first that cannot be kept."""
    if (
        isinstance(intensity, bool)
        or not isinstance(intensity, int)
        or not URGE_MIN <= intensity <= URGE_MAX
    ):
        raise UrgeError(_("Please choose how strong it was, 0 to 10."), field="intensity")
    too_long = _("Please keep this under %(n)d characters.") % {"n": WORDS_MAX_LENGTH}
    flags = {"hungry": hungry, "angry": angry, "lonely": lonely, "tired": tired}
    for name, flag in flags.items():
        if not isinstance(flag, bool):
            raise UrgeError(
                _("Please tick or leave each of hungry, angry, lonely, tired."), field=name
            )
    if emotion not in ("", *Urge.Emotion.values):
        raise UrgeError(_("Please choose one of the feelings."), field="emotion")
    if outcome not in Urge.Outcome.values:
        raise UrgeError(_("Please choose how it ended."), field="outcome")
    items = [_words(item, "instead", too_long) for item in instead]
    if len(items) > INSTEAD_MAX_ITEMS:
        raise UrgeError(
            _("Please choose at most %(n)d things you did instead.") % {"n": INSTEAD_MAX_ITEMS},
            field="instead",
        )
    note_text = str(note or "").strip()
    if len(note_text) > NOTE_MAX_LENGTH:
        raise UrgeError(
            _("Please keep the note under %(n)d characters.") % {"n": NOTE_MAX_LENGTH},
            field="note",
        )
    return {
        "intensity": intensity,
        "trigger": _words(trigger, "trigger", too_long),
        **flags,
        "emotion": emotion,
        "place": _words(place, "place", too_long),
        "instead": patterns.join_items(items),
        "outcome": outcome,
        "note": note_text,
    }


def _local(enrollment: Enrollment, moment: datetime, client: User) -> dict[str, Any]:
    zone = days.zone_named(selectors.client_time_zone(enrollment, client=client))
    local = moment.astimezone(zone)
    return {"occurred_at": moment, "local_date": local.date(), "local_hour": local.hour}


def log_urge(
    *,
    enrollment: Enrollment,
    by: User,
    client_uuid: uuid.UUID,
    intensity: int,
    trigger: str = "",
    hungry: bool = False,
    angry: bool = False,
    lonely: bool = False,
    tired: bool = False,
    emotion: str = "",
    place: str = "",
    instead: Iterable[str] = (),
    outcome: str = Urge.Outcome.RESISTED,
    note: str = "",
    occurred_at: datetime | None = None,
    path: str = "",
    at: datetime | None = None,
) -> LoggedUrge:
    """Keep one urge of the client's; only the client, from Stage 2 on (``LOG_RECOVERY``).

    A submission whose ``client_uuid`` was already stored (a retry, or the offline
    queue sending again) changes nothing and returns the urge it stored, with
    ``created`` False. Nothing is written when anything is refused.
    """
    require(by, Action.LOG_RECOVERY, enrollment)
    now = at or timezone.now()
    stored = Urge.objects.filter(enrollment=enrollment, client_uuid=client_uuid).first()
    if stored is not None:
        return LoggedUrge(stored, created=False)
    moment = _moment(occurred_at, now)
    values = _values(
        intensity=intensity,
        trigger=trigger,
        hungry=hungry,
        angry=angry,
        lonely=lonely,
        tired=tired,
        emotion=emotion,
        place=place,
        instead=instead,
        outcome=outcome,
        note=note,
    )
    try:
        with transaction.atomic():
            urge = Urge.objects.create(
                enrollment=enrollment,
                client_uuid=client_uuid,
                created_at=now,
                updated_at=now,
                **_local(enrollment, moment, by),
                **values,
            )
            _record(urge, by, now, path, updated=False)
    except IntegrityError:
        # The same submission arrived twice at once: the other one stored it.
        stored = Urge.objects.filter(enrollment=enrollment, client_uuid=client_uuid).first()
        if stored is None:
            raise
        return LoggedUrge(stored, created=False)
    return LoggedUrge(urge, created=True)


def change_urge(
    *,
    urge: Urge,
    by: User,
    intensity: int,
    trigger: str = "",
    hungry: bool = False,
    angry: bool = False,
    lonely: bool = False,
    tired: bool = False,
    emotion: str = "",
    place: str = "",
    instead: Iterable[str] = (),
    outcome: str = Urge.Outcome.RESISTED,
    note: str = "",
    occurred_at: datetime | None = None,
    path: str = "",
    at: datetime | None = None,
) -> Urge:
    """Change an urge the client logged, while it is at most ``EDIT_WINDOW`` old.

    ``occurred_at`` None keeps the moment it was logged for. The urge keeps its
    ``client_uuid``, so a late replay of the first submission still stores nothing.
    """
    enrollment = urge.enrollment
    require(by, Action.LOG_RECOVERY, enrollment)
    now = at or timezone.now()
    if not is_editable(urge, now):
        raise UrgeError(_("An urge can be changed for three days; this one is kept as it is."))
    moment = urge.occurred_at if occurred_at is None else _moment(occurred_at, now)
    values = _values(
        intensity=intensity,
        trigger=trigger,
        hungry=hungry,
        angry=angry,
        lonely=lonely,
        tired=tired,
        emotion=emotion,
        place=place,
        instead=instead,
        outcome=outcome,
        note=note,
    )
    values.update(_local(enrollment, moment, by))
    with transaction.atomic():
        for name, value in values.items():
            setattr(urge, name, value)
        urge.updated_at = now
        urge.save(update_fields=[*values, "updated_at"])
        _record(urge, by, now, path, updated=True)
    return urge


def _record(urge: Urge, by: User, now: datetime, path: str, *, updated: bool) -> None:
    # Only that a hard moment was noted, and which day: never how strong, why or the note.
    core_events.record(
        enrollment=urge.enrollment,
        kind=events.URGE_LOGGED,
        actor=by,
        data={"day": urge.local_date.isoformat(), "updated": updated},
        at=now,
        path=path,
    )
