"""Group therapy's operations: define a programme, enrol, change one session, take attendance.

Every write checks the access policy itself (``MANAGE_GROUPS`` for the clinic's staff,
``RUN_GROUP`` for a group's facilitators) and raises :class:`GroupError` with a kind,
plain message when the request cannot be done; nothing changes then. Changes to a
client's place in a group and their attendance go on the client's timeline through
``core.events.record``; a session's notes stay on the session (``SessionNote``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require
from waypost.connect.groups import events as group_events
from waypost.connect.groups import schedule
from waypost.connect.groups.models import (
    Attendance,
    GroupMember,
    GroupProgramme,
    GroupSession,
    SessionNote,
    SessionReminder,
)
from waypost.connect.groups.selectors import changes_of
from waypost.core import events
from waypost.core.discretion import is_discreet
from waypost.core.errors import DomainError
from waypost.program.models import Enrollment

if TYPE_CHECKING:
    from waypost.accounts.models import User
    from waypost.clinics.models import Clinic, ClinicianProfile

#: Attendance can be taken from this long before a session starts (people arrive early).
ATTENDANCE_OPENS = timedelta(hours=1)
NOTES_MAX = 10_000
REASON_MAX = 300
#: The most sessions a series with a count may have (about 77 years, every 8 weeks).
MAX_SESSIONS = 500
#: A session can be moved to a day at most this many years from today.
MOVE_YEARS = 2


class GroupError(DomainError):
    """A group or one of its sessions cannot be changed as asked; the message says why."""

    code = "group_refused"


@dataclass(frozen=True)
class Schedule:
    """The schedule fields of a programme, as a form gives them."""

    starts_on: date
    weekday: int
    start_time: time
    end_time: time
    interval_weeks: int = 1
    ends_on: date | None = None
    session_count: int | None = None


def check_name(name: str) -> str:
    """The group's name, stripped; GroupError when it is empty or says what the group is for.

    Members see the name in their calendars, and an ally's calendar shows it beside the
    client's name: on a shared or synced calendar anyone may read it.
    """
    name = name.strip()
    if not name:
        raise GroupError(_("Give the group a name."))
    if not is_discreet(name):
        raise GroupError(
            _(
                "Members and their allies see this name in their calendars, where others "
                "may see it too. Choose a neutral name, such as “Saturday group”."
            )
        )
    return name


def _check_schedule(zone: str, plan: Schedule) -> None:
    from waypost.core.timezones import first_zone

    if plan.ends_on is not None and plan.session_count is not None:
        raise GroupError(_("Give an end date or a number of sessions, not both."))
    # Dates at the ends of the calendar have no local time in some zones: every page
    # that shows the group would fail. (The form keeps them within five years of today.)
    if not all(schedule.in_range(day) for day in (plan.starts_on, plan.ends_on) if day):
        raise GroupError(
            _("Choose dates between %(first)d and %(last)d.")
            % {"first": schedule.FIRST_YEAR, "last": schedule.LAST_YEAR}
        )
    if plan.session_count is not None and plan.session_count > MAX_SESSIONS:
        raise GroupError(_("A group can have at most %(n)d sessions.") % {"n": MAX_SESSIONS})
    try:
        schedule.Series(
            zone=first_zone(zone),
            starts_on=plan.starts_on,
            weekday=plan.weekday,
            start=plan.start_time,
            end=plan.end_time,
            interval_weeks=plan.interval_weeks,
            ends_on=plan.ends_on,
            count=plan.session_count,
        )
    except schedule.ScheduleError as exc:
        words = {
            "a session ends after it starts, on the same day": _(
                "A session must end after it starts, on the same day."
            ),
            "the series ends before its first session": _(
                "The last date is before the first session."
            ),
        }
        raise GroupError(words.get(str(exc), _("This schedule is not possible."))) from exc


def _check_facilitators(clinic: Clinic, facilitators: Iterable[ClinicianProfile]) -> list[int]:
    chosen = list(facilitators)
    if not chosen:
        raise GroupError(_("Choose at least one facilitator."))
    if any(p.clinic_id != clinic.pk or not p.is_active for p in chosen):
        raise GroupError(_("Facilitators must be clinicians of this clinic."))
    return [p.pk for p in chosen]


@transaction.atomic
def define_programme(
    *,
    clinic: Clinic,
    by: User,
    name: str,
    plan: Schedule,
    facilitators: Iterable[ClinicianProfile],
    capacity: int,
    room: str = "",
    online_url: str = "",
    about: str = "",
    at: datetime | None = None,
) -> GroupProgramme:
    """A new group programme of ``clinic`` on ``plan``, in the clinic's time zone."""
    require(by, Action.MANAGE_GROUPS, clinic)
    name = check_name(name)
    _check_schedule(clinic.time_zone, plan)
    chosen = _check_facilitators(clinic, facilitators)
    programme = GroupProgramme.objects.create(
        clinic=clinic,
        name=name[:120],
        about=about.strip()[:1000],
        time_zone=clinic.time_zone,
        starts_on=plan.starts_on,
        weekday=plan.weekday,
        start_time=plan.start_time,
        end_time=plan.end_time,
        interval_weeks=plan.interval_weeks,
        ends_on=plan.ends_on,
        session_count=plan.session_count,
        room=room.strip()[:200],
        online_url=online_url.strip(),
        capacity=capacity,
        created_by=by,
        **({"created_at": at} if at else {}),
    )
    programme.facilitators.set(chosen)
    return programme


@transaction.atomic
def update_programme(
    *,
    programme: GroupProgramme,
    by: User,
    name: str,
    plan: Schedule,
    facilitators: Iterable[ClinicianProfile],
    capacity: int,
    room: str = "",
    online_url: str = "",
    about: str = "",
) -> GroupProgramme:
    """Change a programme. Sessions already recorded keep their attendance and notes.

    An exception (a cancelled or moved session) whose original time is no longer on the
    new schedule no longer applies. The places cannot go below the current members.
    """
    require(by, Action.MANAGE_GROUPS, programme.clinic)
    name = check_name(name)
    _check_schedule(programme.time_zone, plan)
    chosen = _check_facilitators(programme.clinic, facilitators)
    members = programme.members.filter(left_at__isnull=True).count()
    if capacity < members:
        raise GroupError(
            _(
                "The group has %(n)d members, so it needs at least %(n)d places. "
                "Take someone off the group first to make it smaller."
            )
            % {"n": members}
        )
    programme.name = name[:120]
    programme.about = about.strip()[:1000]
    programme.starts_on = plan.starts_on
    programme.weekday = plan.weekday
    programme.start_time = plan.start_time
    programme.end_time = plan.end_time
    programme.interval_weeks = plan.interval_weeks
    programme.ends_on = plan.ends_on
    programme.session_count = plan.session_count
    programme.room = room.strip()[:200]
    programme.online_url = online_url.strip()
    programme.capacity = capacity
    programme.save()
    programme.facilitators.set(chosen)
    return programme


# --- members ---------------------------------------------------------------------------------


@transaction.atomic
def enrol(
    *, programme: GroupProgramme, enrollment: Enrollment, by: User, at: datetime | None = None
) -> GroupMember:
    """Give a client of the clinic a place in the group, if there is one free."""
    require(by, Action.MANAGE_GROUPS, programme.clinic)
    at = at or timezone.now()
    if enrollment.clinic_id != programme.clinic_id or enrollment.status != Enrollment.Status.ACTIVE:
        raise GroupError(_("Only the clinic's current clients can join its groups."))
    # Lock the programme row (where the database can), so two enrolments cannot both
    # take the last place.
    GroupProgramme.objects.select_for_update().filter(pk=programme.pk).first()
    open_places = programme.members.filter(left_at__isnull=True)
    if open_places.filter(enrollment=enrollment).exists():
        raise GroupError(_("%(name)s is already in this group.") % {"name": enrollment.client.name})
    taken = open_places.count()
    if taken >= programme.capacity:
        raise GroupError(
            _(
                "The group is full: all %(n)d places are taken. Give it more places, or "
                "take someone off first."
            )
            % {"n": programme.capacity}
        )
    try:
        with transaction.atomic():
            member = GroupMember.objects.create(
                programme=programme, enrollment=enrollment, joined_at=at, added_by=by
            )
    except IntegrityError as exc:
        raise GroupError(
            _("%(name)s is already in this group.") % {"name": enrollment.client.name}
        ) from exc
    events.record(
        enrollment=enrollment,
        kind=group_events.JOINED,
        actor=by,
        data={"group": programme.name, "programme": programme.pk},
        at=at,
    )
    return member


@transaction.atomic
def leave(*, member: GroupMember, by: User, at: datetime | None = None) -> bool:
    """End a place in a group: the client leaving, or staff taking them off.

    Returns whether anything changed (a place already ended stays as it was).
    """
    enrollment = member.enrollment
    programme = member.programme
    removed = by.pk != enrollment.client_id
    if removed:
        require(by, Action.MANAGE_GROUPS, programme.clinic)
    elif enrollment.client_id != by.pk:
        raise PermissionDenied
    at = at or timezone.now()
    changed = GroupMember.objects.filter(pk=member.pk, left_at__isnull=True).update(
        left_at=at, ended_by=by
    )
    if not changed:
        return False
    member.left_at, member.ended_by = at, by
    events.record(
        enrollment=enrollment,
        kind=group_events.LEFT,
        actor=by,
        data={"group": programme.name, "programme": programme.pk, "removed": removed},
        at=at,
    )
    return True


# --- one session: exceptions -------------------------------------------------------------------


def occurrence_of(programme: GroupProgramme, original: datetime) -> schedule.Occurrence:
    """The programme's occurrence at ``original`` with its exception; GroupError if none."""
    found = schedule.occurrence(programme.series, original, changes_of(programme))
    if found is None:
        raise GroupError(_("The group has no session at that time."))
    return found


def _session(programme: GroupProgramme, original: datetime) -> GroupSession:
    session, _created = GroupSession.objects.get_or_create(
        programme=programme, original_start=original
    )
    return session


def _forget_reminders(programme: GroupProgramme, original: datetime) -> None:
    """Let the members hear about this occurrence again, as it now is.

    A reminder or notice is claimed by the occurrence's original start: without this, a
    member reminded before a move would get nothing for the new time, and one told of a
    cancellation nothing for a session held after all.
    """
    SessionReminder.objects.filter(programme=programme, original_start=original).delete()


def _untouched(session: GroupSession) -> None:
    if session.attendance.exists():
        raise GroupError(
            _("Attendance was already taken for this session, so it cannot be changed.")
        )


@transaction.atomic
def cancel_occurrence(
    *,
    programme: GroupProgramme,
    original: datetime,
    by: User,
    reason: str = "",
    at: datetime | None = None,
) -> GroupSession:
    """Call off one session of the series; the members get a short notice the day before."""
    require(by, Action.MANAGE_GROUPS, programme.clinic)
    at = at or timezone.now()
    found = occurrence_of(programme, original)
    if found.start < at and not found.cancelled:
        raise GroupError(_("This session has already started; it cannot be cancelled."))
    session = _session(programme, found.original)
    _untouched(session)
    session.cancelled = True
    session.reason = reason.strip()[:REASON_MAX]
    session.moved_start = session.moved_end = None
    session.moved_room = ""
    session.changed_by, session.changed_at = by, at
    session.save()
    return session


@transaction.atomic
def move_occurrence(
    *,
    programme: GroupProgramme,
    original: datetime,
    start: datetime,
    end: datetime,
    by: User,
    room: str = "",
    reason: str = "",
    at: datetime | None = None,
) -> GroupSession:
    """Move one session to another time (and room); the rest of the series stays put."""
    require(by, Action.MANAGE_GROUPS, programme.clinic)
    at = at or timezone.now()
    if end <= start:
        raise GroupError(_("The session must end after it starts."))
    if end - start > timedelta(hours=12):
        raise GroupError(_("A session can last at most 12 hours."))
    if start < at:
        raise GroupError(_("Choose a time that is still ahead."))
    today = at.astimezone(programme.series.zone).date()
    if not schedule.within_years(start.date(), today, MOVE_YEARS):
        raise GroupError(_("Choose a day within two years from today."))
    found = occurrence_of(programme, original)
    if found.start < at and not found.cancelled:
        raise GroupError(_("This session has already started; it cannot be moved."))
    session = _session(programme, found.original)
    _untouched(session)
    if found.cancelled or not schedule.same_instant(found.start, start):
        _forget_reminders(programme, found.original)
    session.cancelled = False
    session.moved_start, session.moved_end = start, end
    session.moved_room = room.strip()[:200]
    session.reason = reason.strip()[:REASON_MAX]
    session.changed_by, session.changed_at = by, at
    session.save()
    return session


@transaction.atomic
def restore_occurrence(
    *, programme: GroupProgramme, original: datetime, by: User, at: datetime | None = None
) -> bool:
    """Undo a cancellation or a move: the session is back where the series puts it."""
    require(by, Action.MANAGE_GROUPS, programme.clinic)
    session = GroupSession.objects.filter(programme=programme, original_start=original).first()
    if session is None or not session.has_exception:
        return False
    _untouched(session)
    _forget_reminders(programme, session.original_start)
    session.cancelled = False
    session.moved_start = session.moved_end = None
    session.moved_room = ""
    session.reason = ""
    session.changed_by, session.changed_at = by, at or timezone.now()
    session.save()
    return True


# --- one session: attendance and notes ---------------------------------------------------------


@transaction.atomic
def take_attendance(
    *,
    programme: GroupProgramme,
    original: datetime,
    enrollment: Enrollment,
    status: str,
    by: User,
    at: datetime | None = None,
    path: str = "",
) -> Attendance:
    """Mark one member present, absent or excused; a changed mark replaces the last one."""
    require(by, Action.RUN_GROUP, programme)
    at = at or timezone.now()
    if status not in Attendance.Status.values:
        raise GroupError(_("Choose present, absent or excused."))
    found = occurrence_of(programme, original)
    if found.cancelled:
        raise GroupError(_("This session was cancelled, so there is no attendance to take."))
    if found.start - ATTENDANCE_OPENS > at:
        raise GroupError(_("Attendance can be taken from an hour before the session starts."))
    session = _session(programme, found.original)
    # Lock the session's row (where the database can) before reading its marks: the
    # second request of a double tap waits here for the first, then finds its mark
    # instead of adding another one (which the unique constraint would refuse).
    GroupSession.objects.select_for_update().filter(pk=session.pk).first()
    current = Attendance.objects.filter(session=session, enrollment=enrollment).first()
    if current is None:
        # Any of the client's places that covers the session, not only the latest: a
        # client who left and came back is marked for the sessions of either stay.
        member_then = GroupMember.objects.filter(
            Q(left_at__isnull=True) | Q(left_at__gt=found.start),
            programme=programme,
            enrollment=enrollment,
            joined_at__lte=found.start,
        )
        if not member_then.exists():
            raise GroupError(_("Only members of the group at the time can be marked."))
        current = Attendance.objects.create(
            session=session, enrollment=enrollment, status=status, recorded_by=by, recorded_at=at
        )
    elif current.status == status:
        return current
    else:
        current.status, current.recorded_by, current.recorded_at = status, by, at
        current.save(update_fields=["status", "recorded_by", "recorded_at"])
    events.record(
        enrollment=enrollment,
        kind=group_events.ATTENDANCE,
        actor=by,
        data={
            "group": programme.name,
            "programme": programme.pk,
            "day": found.start.date().isoformat(),
            "status": status,
        },
        at=at,
        path=path,
    )
    return current


@transaction.atomic
def save_notes(
    *,
    programme: GroupProgramme,
    original: datetime,
    text: str,
    by: User,
    at: datetime | None = None,
) -> SessionNote | None:
    """Keep the facilitator's notes on a session (encrypted); None when nothing changed."""
    require(by, Action.RUN_GROUP, programme)
    text = text.replace("\x00", "").strip()
    if len(text) > NOTES_MAX:
        raise GroupError(_("Notes can be at most %(n)d characters long.") % {"n": NOTES_MAX})
    found = occurrence_of(programme, original)
    session = _session(programme, found.original)
    latest = session.notes.first()
    if (latest.text if latest else "") == text:
        return None
    return SessionNote.objects.create(
        session=session, text=text, written_by=by, **({"created_at": at} if at else {})
    )
