"""Reads of group therapy: a clinic's programmes, one group's sessions, a client's groups.

Nothing here checks access: the views and panel functions that call these do
(``MANAGE_GROUPS``, ``RUN_GROUP``, ``VIEW_RECORD``, ``VIEW_OWN``, ``VIEW_SHARED``).
Occurrences come from the pure ``schedule`` module with the exceptions read here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from waypost.clinics.models import ClinicianProfile
from waypost.connect.groups import schedule
from waypost.connect.groups.models import (
    Attendance,
    GroupMember,
    GroupProgramme,
    GroupSession,
    SessionNote,
)
from waypost.core import facts

if TYPE_CHECKING:
    from waypost.clinics.models import Clinic
    from waypost.program.models import Enrollment

#: How many of a group's coming and past sessions its page lists.
UPCOMING_SHOWN = 8
PAST_SHOWN = 8
#: How many attended sessions the record card and an ally's section list.
LATEST_SHOWN = 5
#: How far back an exception can still matter to "what is next" (a session moved later).
EXCEPTIONS_LOOKBACK = timedelta(days=60)
#: How far ahead the client's Connect page mentions a cancelled session.
CALLED_OFF_AHEAD = timedelta(weeks=3)

FACT_PROGRAMMES = "group_therapy.programmes"
FACT_CHANGES = "group_therapy.changes"

_EXCEPTION = Q(cancelled=True) | Q(moved_start__isnull=False)
_SERIES_FIELDS = (
    "id",
    "name",
    "time_zone",
    "starts_on",
    "weekday",
    "start_time",
    "end_time",
    "interval_weeks",
    "ends_on",
    "session_count",
    "room",
    "online_url",
)
_CHANGE_FIELDS = (
    "programme_id",
    "original_start",
    "cancelled",
    "reason",
    "moved_start",
    "moved_end",
    "moved_room",
)


def changes_from(sessions: Iterable[GroupSession]) -> list[schedule.Change]:
    return [change for session in sessions if (change := session.change()) is not None]


def changes_of(programme: GroupProgramme) -> list[schedule.Change]:
    """The programme's exceptions: cancelled and moved sessions."""
    return changes_from(programme.sessions.filter(_EXCEPTION))


def changes_by_programme(programme_ids: Iterable[int]) -> dict[int, list[schedule.Change]]:
    """The exceptions of several programmes, in one query."""
    found: dict[int, list[schedule.Change]] = {}
    for session in GroupSession.objects.filter(_EXCEPTION, programme_id__in=list(programme_ids)):
        change = session.change()
        if change is not None:
            found.setdefault(session.programme_id, []).append(change)
    return found


# --- a clinic's programmes ---------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeRow:
    programme: GroupProgramme
    members: int
    next: schedule.Occurrence | None

    @property
    def full(self) -> bool:
        return self.members >= self.programme.capacity


def clinic_programmes(clinic: Clinic, now: datetime) -> list[ProgrammeRow]:
    """Every programme of the clinic with its number of members and next session (3 queries)."""
    programmes = list(
        GroupProgramme.objects.filter(clinic=clinic)
        .annotate(open_members=Count("members", filter=Q(members__left_at__isnull=True)))
        .prefetch_related(
            Prefetch("facilitators", queryset=_facilitators()),
        )
    )
    changes = changes_by_programme(p.pk for p in programmes)
    return [
        ProgrammeRow(
            programme,
            int(getattr(programme, "open_members", 0)),
            schedule.next_occurrence(programme.series, now, changes.get(programme.pk, [])),
        )
        for programme in programmes
    ]


def _facilitators() -> QuerySet[ClinicianProfile]:
    return ClinicianProfile.objects.select_related("user").order_by("user__name")


def programme_with_facilitators(pk: int) -> GroupProgramme | None:
    return (
        GroupProgramme.objects.select_related("clinic")
        .prefetch_related(Prefetch("facilitators", queryset=_facilitators()))
        .filter(pk=pk)
        .first()
    )


# --- one group's page --------------------------------------------------------------------------


@dataclass(frozen=True)
class PastSession:
    occurrence: schedule.Occurrence
    counts: dict[str, int]

    @property
    def taken(self) -> bool:
        return bool(self.counts)


@dataclass(frozen=True)
class GroupPage:
    members: list[GroupMember]
    former: list[GroupMember]
    upcoming: list[schedule.Occurrence]
    past: list[PastSession]
    changes: list[schedule.Change] = field(default_factory=list)


def group_page(programme: GroupProgramme, now: datetime) -> GroupPage:
    """Members, the next sessions (cancelled ones marked) and the last ones with attendance."""
    members = list(
        programme.members.select_related("enrollment__client").order_by(
            "enrollment__client__name", "pk"
        )
    )
    changes = changes_of(programme)
    series = programme.series
    upcoming: list[schedule.Occurrence] = []
    since = now - timedelta(hours=3)  # a session under way is still "next"
    window = max(8 * series.step, timedelta(days=120))
    while len(upcoming) < UPCOMING_SHOWN and since - now < schedule.HORIZON:
        upcoming += schedule.occurrences(
            series, since, since + window, changes, include_cancelled=True
        )
        since += window
        if series.last_day is not None and series.starts_at(series.last_day) < since:
            break
    upcoming = upcoming[:UPCOMING_SHOWN]
    shown = {o.original for o in upcoming}
    lookback = max(PAST_SHOWN * series.step, timedelta(days=60))
    past_occurrences = [
        o
        for o in schedule.occurrences(
            series, now - lookback - timedelta(days=1), now, changes, include_cancelled=True
        )
        if o.original not in shown
    ][-PAST_SHOWN:]
    counts: dict[datetime, Counter[str]] = {}
    for session_start, status, n in (
        Attendance.objects.filter(session__programme=programme)
        .values_list("session__original_start", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts.setdefault(session_start, Counter())[status] += n
    past = [
        PastSession(o, dict(counts.get(o.original.astimezone(UTC), Counter())))
        for o in reversed(past_occurrences)
    ]
    return GroupPage(
        members=[m for m in members if m.is_open],
        former=[m for m in members if not m.is_open],
        upcoming=upcoming,
        past=past,
        changes=changes,
    )


@dataclass(frozen=True)
class SessionRow:
    member: GroupMember
    status: str  # "" when not taken yet


@dataclass(frozen=True)
class SessionPage:
    occurrence: schedule.Occurrence
    rows: list[SessionRow]
    notes: SessionNote | None
    note_count: int


def session_page(programme: GroupProgramme, occurrence: schedule.Occurrence) -> SessionPage:
    """The members at the time of the session, each with their mark, and the latest notes."""
    session = GroupSession.objects.filter(
        programme=programme, original_start=occurrence.original
    ).first()
    marks: dict[int, str] = {}
    notes = None
    note_count = 0
    if session is not None:
        marks = dict(session.attendance.values_list("enrollment_id", "status"))
        all_notes = list(session.notes.select_related("written_by")[:1])
        notes = all_notes[0] if all_notes else None
        note_count = session.notes.count() if notes else 0
    latest: dict[int, GroupMember] = {}
    for member in programme.members.select_related("enrollment__client").order_by("joined_at"):
        if member.was_member_at(occurrence.start) or member.enrollment_id in marks:
            latest[member.enrollment_id] = member
    rows = sorted(
        (SessionRow(member, marks.get(member.enrollment_id, "")) for member in latest.values()),
        key=lambda row: (row.member.enrollment.client.name, row.member.pk),
    )
    return SessionPage(occurrence, rows, notes, note_count)


# --- a client's groups (Today, Connect): from the facts read once per request ------------------


def _programmes_fact(enrollment: Enrollment, now: datetime) -> facts.Rows:
    return facts.Rows(
        GroupProgramme.objects.filter(
            members__enrollment=OuterRef("pk"), members__left_at__isnull=True
        ),
        fields=_SERIES_FIELDS,
    )


def _changes_fact(enrollment: Enrollment, now: datetime) -> facts.Rows:
    return facts.Rows(
        GroupSession.objects.filter(
            _EXCEPTION,
            Q(original_start__gte=now - EXCEPTIONS_LOOKBACK) | Q(moved_start__gte=now),
            programme__members__enrollment=OuterRef("pk"),
            programme__members__left_at__isnull=True,
        ),
        fields=_CHANGE_FIELDS,
    )


def register_facts() -> None:
    facts.register(FACT_PROGRAMMES, _programmes_fact)
    facts.register(FACT_CHANGES, _changes_fact)


@dataclass(frozen=True)
class ClientGroup:
    programme: GroupProgramme
    next: schedule.Occurrence | None
    # cancelled sessions in the next three weeks, so the client is not surprised
    called_off: list[schedule.Occurrence]


def client_groups(known: facts.Facts) -> list[ClientGroup]:
    """The client's groups with the next session of each, soonest first (from the facts)."""
    programmes: list[GroupProgramme] = known[FACT_PROGRAMMES]
    by_programme: dict[int, list[schedule.Change]] = {}
    for session in known[FACT_CHANGES]:
        change = session.change()
        if change is not None:
            by_programme.setdefault(session.programme_id, []).append(change)
    now = known.now
    found = []
    for programme in programmes:
        changes = by_programme.get(programme.pk, [])
        series = programme.series
        found.append(
            ClientGroup(
                programme,
                schedule.next_occurrence(series, now, changes),
                [
                    o
                    for o in schedule.occurrences(
                        series, now, now + CALLED_OFF_AHEAD, changes, include_cancelled=True
                    )
                    if o.cancelled
                ],
            )
        )
    far = now + schedule.HORIZON
    return sorted(
        found, key=lambda g: (g.next.start if g.next else far, g.programme.name, g.programme.pk)
    )


# --- a client's attendance (the record card, an ally's section, the attendance source) ---------


def _starts() -> Coalesce:
    return Coalesce(F("session__moved_start"), F("session__original_start"))


def latest_attendance(
    enrollment: Enrollment, limit: int | None, *, present_only: bool = False
) -> list[Attendance]:
    """The client's latest marks (all with ``limit`` None), newest first, with session and group."""
    found = Attendance.objects.filter(enrollment=enrollment)
    if present_only:
        found = found.filter(status=Attendance.Status.PRESENT)
    ordered = (
        found.annotate(started_at=_starts())
        .select_related("session__programme")
        .order_by("-started_at", "-pk")
    )
    return list(ordered if limit is None else ordered[:limit])


def attended_count(enrollment: Enrollment, since: datetime | None) -> int:
    found = Attendance.objects.filter(enrollment=enrollment, status=Attendance.Status.PRESENT)
    if since is not None:
        found = found.annotate(started_at=_starts()).filter(started_at__gte=since)
    return found.count()


def memberships_of(enrollment: Enrollment) -> list[GroupMember]:
    """Every place the client has had in a group, open ones first."""
    return sorted(
        GroupMember.objects.filter(enrollment=enrollment).select_related("programme"),
        key=lambda m: (not m.is_open, m.programme.name, -m.joined_at.timestamp()),
    )


def next_session_of(
    memberships: Iterable[GroupMember], now: datetime
) -> tuple[GroupProgramme, schedule.Occurrence] | None:
    """The soonest next session across the open places given (one query for the exceptions)."""
    programmes = [m.programme for m in memberships if m.is_open]
    changes = changes_by_programme(p.pk for p in programmes)
    best: tuple[GroupProgramme, schedule.Occurrence] | None = None
    for programme in programmes:
        found = schedule.next_occurrence(programme.series, now, changes.get(programme.pk, []))
        if found is not None and (best is None or found.start < best[1].start):
            best = (programme, found)
    return best


# --- the client's own page ---------------------------------------------------------------------

#: How many coming sessions of each group the client's page lists.
CLIENT_SESSIONS_SHOWN = 4


@dataclass(frozen=True)
class OwnGroup:
    member: GroupMember
    sessions: list[schedule.Occurrence]
    attended: int

    @property
    def programme(self) -> GroupProgramme:
        return self.member.programme


def own_groups(enrollment: Enrollment, now: datetime) -> list[OwnGroup]:
    """The client's open places, each with its next sessions (cancelled ones marked)."""
    members = list(
        GroupMember.objects.filter(enrollment=enrollment, left_at__isnull=True)
        .select_related("programme")
        .prefetch_related(
            Prefetch("programme__facilitators", queryset=_facilitators()),
        )
        .order_by("programme__name", "pk")
    )
    changes = changes_by_programme(m.programme_id for m in members)
    attended = dict(
        Attendance.objects.filter(enrollment=enrollment, status=Attendance.Status.PRESENT)
        .values_list("session__programme_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found = []
    for member in members:
        series = member.programme.series
        window = max(CLIENT_SESSIONS_SHOWN * series.step, timedelta(days=60))
        sessions = schedule.occurrences(
            series,
            now - timedelta(hours=3),
            now + window,
            changes.get(member.programme_id, []),
            include_cancelled=True,
        )
        # A session still under way stays at the top until it ends.
        sessions = [o for o in sessions if o.end > now][:CLIENT_SESSIONS_SHOWN]
        found.append(OwnGroup(member, sessions, attended.get(member.programme_id, 0)))
    return found
