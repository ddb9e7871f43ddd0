"""Reads of the meeting directory: search, "starting soon", favourites, the attendance log.

Every time is worked out from the meeting's own zone (``schedule``) and shown in the
viewer's: "Tuesdays at 09:00" for someone in Singapore is the meeting held on Monday
evenings in New York. Filters by day and time of day apply to those viewer-side times.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, tzinfo
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from waypost.access.policy import Action, can, roles_of
from waypost.clinics.models import Clinic
from waypost.connect.meetings import geo, schedule, vocabulary
from waypost.connect.meetings.models import Attendance, Favourite, Meeting, MeetingSource

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from waypost.accounts.models import User
    from waypost.program.models import Enrollment

DEFAULT_SOON_HOURS = 2


def viewer_clinic(user: User | AnonymousUser | None) -> Clinic | None:
    """The clinic whose directory the person browses: a client's own, else where they work."""
    roles = roles_of(user)
    if roles.enrollment is not None:
        return roles.enrollment.clinic
    for profile in roles.clinician_profiles:
        return profile.clinic
    if roles.admin_clinic_ids:
        return Clinic.objects.filter(pk__in=roles.admin_clinic_ids).order_by("pk").first()
    return None


def listed(clinic: Clinic) -> QuerySet[Meeting]:
    """The clinic's meetings people can find: active ones."""
    return Meeting.objects.filter(clinic=clinic, active=True)


def visible_meeting(user: User | AnonymousUser | None, pk: int) -> Meeting | None:
    """The meeting, if the person may browse its clinic's directory and it is listed.

    A client still sees a meeting that left the directory if it is among their
    favourites or in their log, so their history keeps its links.
    """
    meeting = Meeting.objects.select_related("clinic", "source").filter(pk=pk).first()
    if meeting is None or not can(user, Action.BROWSE_MEETINGS, meeting.clinic):
        return None
    if meeting.active:
        return meeting
    enrollment = roles_of(user).enrollment
    if enrollment is not None and (
        Favourite.objects.filter(enrollment=enrollment, meeting=meeting).exists()
        or Attendance.objects.filter(enrollment=enrollment, meeting=meeting).exists()
    ):
        return meeting
    return None


# --- search ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criteria:
    """What the viewer asked for; empty values leave a filter out."""

    text: str = ""
    fellowship: str = ""
    mode: str = ""  # "online", "in_person" or ""
    day: int | None = None  # 0 = Sunday, in the viewer's zone
    time_from: time | None = None  # in the viewer's zone
    time_to: time | None = None
    place: str = ""
    near: tuple[float, float] | None = None  # coordinates given by the viewer
    language: str = ""
    type: str = ""

    @property
    def by_day_or_time(self) -> bool:
        return self.day is not None or self.time_from is not None or self.time_to is not None


@dataclass
class Listing:
    """One meeting as a result: its coming starts in the viewer's zone, distance if known."""

    meeting: Meeting
    slots: list[datetime]  # the next start of each of its days, viewer's zone, soonest first
    distance_km: float | None = None
    favourite: bool = False  # among the viewer's favourites (set by the page)

    @property
    def next_start(self) -> datetime | None:
        return self.slots[0] if self.slots else None


@dataclass
class Facets:
    """What the clinic's directory holds, for the filters' choices."""

    fellowships: list[tuple[str, str]] = field(default_factory=list)
    languages: list[tuple[str, str]] = field(default_factory=list)
    types: list[tuple[str, str]] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)


@dataclass
class Results:
    listings: list[Listing]
    facets: Facets
    centre: tuple[float, float] | None  # where distances are measured from, if anywhere
    total_listed: int


def _slots(meeting: Meeting, viewer: tzinfo, now: datetime) -> list[datetime]:
    if meeting.by_appointment or meeting.time is None:
        return []
    return schedule.weekly_slots(meeting.days, meeting.time, meeting.zone, viewer, now)


def _matches_time(slot: datetime, criteria: Criteria) -> bool:
    if criteria.day is not None and schedule.day_number(slot.date()) != criteria.day:
        return False
    return schedule.in_window(
        slot.time().replace(tzinfo=None), criteria.time_from, criteria.time_to
    )


def _facets(meetings: Iterable[Meeting]) -> Facets:
    fellowships: set[str] = set()
    languages: set[str] = set()
    types: dict[str, str] = {}
    cities: set[str] = set()
    for meeting in meetings:
        if meeting.fellowship:
            fellowships.add(meeting.fellowship)
        languages.update(meeting.languages)
        for code in meeting.types:
            if not vocabulary.is_language_type(code):
                types.setdefault(code, vocabulary.type_label(code))
        if meeting.city and meeting.in_person:
            cities.add(meeting.city)
    return Facets(
        fellowships=sorted(
            ((code, vocabulary.fellowship_label(code)) for code in fellowships),
            key=lambda pair: pair[1],
        ),
        languages=sorted(
            ((code, vocabulary.language_label(code)) for code in languages),
            key=lambda pair: pair[1],
        ),
        types=sorted(types.items(), key=lambda pair: pair[1].lower()),
        cities=sorted(cities, key=str.lower),
    )


def _point(meeting: Meeting) -> tuple[float, float] | None:
    if meeting.latitude is None or meeting.longitude is None:
        return None
    return (meeting.latitude, meeting.longitude)


def _place_filter(place: str) -> Q:
    return (
        Q(city__icontains=place)
        | Q(postal_code__icontains=place)
        | Q(region__icontains=place)
        | Q(state__icontains=place)
        | Q(formatted_address__icontains=place)
        | Q(address__icontains=place)
        | Q(location__icontains=place)
    )


def directory(clinic: Clinic) -> list[Meeting]:
    """Every listed meeting of the clinic, by name. One query."""
    return list(listed(clinic))


def facets(meetings: Iterable[Meeting]) -> Facets:
    """The fellowships, languages, kinds and cities among ``meetings``, for the filters."""
    return _facets(meetings)


def search(
    clinic: Clinic,
    criteria: Criteria,
    *,
    viewer: tzinfo,
    now: datetime,
    every: list[Meeting] | None = None,
) -> Results:
    """The clinic's listed meetings that fit ``criteria``, soonest first (or nearest first).

    Two queries at most: every listed meeting of the clinic is read once (``every``, if
    the caller has read it already), for the filters' choices and for the filters that
    work in the viewer's zone (day, time of day) or on lists (language, type); the text
    filters ask the database which of them match. "Near": a place typed by the viewer
    filters by city, postal code, region or address; when it names a city of the
    directory (or the viewer gave coordinates) the results are ordered by distance from
    there, those without coordinates last.
    """
    if every is None:
        every = directory(clinic)
    place = criteria.place.strip()
    centre = criteria.near
    if centre is None and place:
        points = [_point(m) for m in every if m.city.lower() == place.lower()]
        centre = geo.centre([point for point in points if point is not None])
    wanted = every
    if criteria.text or place or criteria.fellowship or criteria.mode:
        query = listed(clinic)
        if criteria.text:
            text = criteria.text.strip()
            query = query.filter(
                Q(name__icontains=text) | Q(group__icontains=text) | Q(location__icontains=text)
            )
        if place:
            query = query.filter(_place_filter(place))
        if criteria.fellowship:
            query = query.filter(fellowship=criteria.fellowship)
        if criteria.mode == "online":
            query = query.filter(online=True)
        elif criteria.mode == "in_person":
            query = query.filter(in_person=True)
        keep = set(query.values_list("pk", flat=True))
        wanted = [m for m in every if m.pk in keep]
    listings = []
    for meeting in wanted:
        if criteria.language and criteria.language not in meeting.languages:
            continue
        if criteria.type and criteria.type not in meeting.types:
            continue
        slots = _slots(meeting, viewer, now)
        if criteria.by_day_or_time:
            slots = [slot for slot in slots if _matches_time(slot, criteria)]
            if not slots:
                continue
        distance = None
        point = _point(meeting)
        if centre is not None and point is not None:
            distance = geo.haversine_km(*centre, *point)
        listings.append(Listing(meeting, slots, distance))
    if centre is not None:
        listings.sort(
            key=lambda one: (one.distance_km is None, one.distance_km or 0.0, one.meeting.name)
        )
    else:
        listings.sort(
            key=lambda one: (
                one.next_start is None,
                one.next_start.timestamp() if one.next_start else 0.0,
                one.meeting.name.lower(),
            )
        )
    return Results(listings=listings, facets=_facets(every), centre=centre, total_listed=len(every))


# --- starting soon, anywhere ------------------------------------------------------------------


@dataclass(frozen=True)
class Soon:
    meeting: Meeting
    starts_at: datetime  # aware (UTC)


def starting_soon(clinic: Clinic, *, at: datetime, hours: float = DEFAULT_SOON_HOURS) -> list[Soon]:
    """The clinic's online meetings starting from ``at`` to ``hours`` later, soonest first.

    Across every time zone: a meeting is found by its own zone's clock, then compared as
    an instant. The command line's ``meetings soon`` and the page both ask here.
    """
    found = []
    for meeting in listed(clinic).filter(online=True, time__isnull=False):
        if meeting.time is None:
            continue
        start = schedule.starts_within(meeting.days, meeting.time, meeting.zone, at, hours)
        if start is not None:
            found.append(Soon(meeting, start))
    return sorted(found, key=lambda s: (s.starts_at, s.meeting.name.lower(), s.meeting.slug))


# --- the client's own ---------------------------------------------------------------------------


def favourites_with_meetings(enrollment: Enrollment) -> list[Favourite]:
    """The client's favourites (listed or not) with their meetings, newest first. One query."""
    return list(Favourite.objects.filter(enrollment=enrollment).select_related("meeting"))


def favourites_of(enrollment: Enrollment) -> list[Meeting]:
    """The client's favourite meetings (listed or not), newest favourite first. One query."""
    return [f.meeting for f in favourites_with_meetings(enrollment)]


def favourite_of(enrollment: Enrollment | None, meeting: Meeting) -> Favourite | None:
    """The client's favourite of ``meeting`` (with its reminder choice), if they keep it."""
    if enrollment is None:
        return None
    found = Favourite.objects.filter(enrollment=enrollment, meeting=meeting).first()
    if found is not None:
        found.enrollment, found.meeting = enrollment, meeting
    return found


def favourite_ids(enrollment: Enrollment | None) -> set[int]:
    if enrollment is None:
        return set()
    return set(Favourite.objects.filter(enrollment=enrollment).values_list("meeting_id", flat=True))


def attendance_log(enrollment: Enrollment, limit: int | None = None) -> list[Attendance]:
    """The client's log, newest first."""
    entries = Attendance.objects.filter(enrollment=enrollment).select_related("meeting")
    return list(entries[:limit] if limit is not None else entries)


def attended_count(enrollment: Enrollment, since: datetime | None = None) -> int:
    entries = Attendance.objects.filter(enrollment=enrollment)
    if since is not None:
        entries = entries.filter(starts_at__gte=since)
    return entries.count()


def sources_of(clinic: Clinic) -> list[MeetingSource]:
    return list(MeetingSource.objects.filter(clinic=clinic))
