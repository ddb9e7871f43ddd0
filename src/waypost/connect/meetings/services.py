"""The meetings app's writes: feed sources and hand-added meetings (the clinic's staff), a
client's favourites and attendance log.

Importing a feed is :func:`waypost.connect.meetings.imports.import_feed`; the command
line and the worker call the same functions as the pages. Every function checks access
itself (``access.policy``) and raises :class:`MeetingError` with a message the page can
show as it is; nothing is written when anything is refused.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from waypost.access.policy import Action, can, require
from waypost.connect.meetings import events as meeting_events
from waypost.connect.meetings import feed, reasons, schedule, vocabulary
from waypost.connect.meetings.fetch import is_web_address, may_fetch_from
from waypost.connect.meetings.models import Attendance, Favourite, Meeting, MeetingSource
from waypost.core import events
from waypost.core.errors import DomainError
from waypost.core.timezones import first_zone

if TYPE_CHECKING:
    from waypost.accounts.models import User
    from waypost.clinics.models import Clinic
    from waypost.program.models import Enrollment

# How far back a client may log a meeting they went to.
LOG_DAYS_BACK = 366


class MeetingError(DomainError):
    """A write that cannot be made; ``message`` says why, kindly, in the reader's language."""

    code = "meeting_refused"

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message, field=field)


# --- sources (the clinic's staff) -----------------------------------------------------------


@dataclass(frozen=True)
class SourceDetails:
    """What the clinic says about a source; ``url`` empty for an uploaded file."""

    name: str
    url: str
    fellowship: str
    time_zone: str
    refresh: bool


def _check_source(clinic: Clinic, details: SourceDetails, source: MeetingSource | None) -> None:
    if not details.name.strip():
        raise MeetingError(_("Please give the source a name."), "name")
    if details.url and not is_web_address(details.url):
        raise MeetingError(_("The address must start with http:// or https://."), "url")
    if details.url and not may_fetch_from(details.url):
        # fetch() checks every address again when it fetches; this is the early, kind word
        raise MeetingError(
            _(
                "Waypost fetches meeting lists only from the public internet, and this "
                "address is on a private or local network."
            ),
            "url",
        )
    if details.time_zone and not feed.is_zone(details.time_zone):
        raise MeetingError(_("Please choose a time zone from the list."), "time_zone")
    if details.fellowship not in ("", vocabulary.OTHER, *vocabulary.FELLOWSHIPS):
        raise MeetingError(_("Please choose a fellowship from the list."), "fellowship")
    if details.url:
        same = MeetingSource.objects.filter(clinic=clinic, url=details.url)
        if source is not None:
            same = same.exclude(pk=source.pk)
        if same.exists():
            raise MeetingError(_("The clinic already lists meetings from this address."), "url")


def add_source(
    *, clinic: Clinic, details: SourceDetails, by: User | None, now: datetime | None = None
) -> MeetingSource:
    """A new feed source for the clinic; nothing is imported yet (see ``imports.import_feed``)."""
    if by is not None:
        require(by, Action.MANAGE_MEETINGS, clinic)
    _check_source(clinic, details, None)
    now = now or timezone.now()
    return MeetingSource.objects.create(
        clinic=clinic,
        name=details.name.strip(),
        url=details.url,
        fellowship=details.fellowship,
        time_zone=details.time_zone,
        refresh=details.refresh and bool(details.url),
        created_at=now,
        created_by=by,
    )


def change_source(*, source: MeetingSource, details: SourceDetails, by: User) -> MeetingSource:
    """Change a source's name, address, fellowship, zone or refreshing; applies at its next import.

    A file source stays a file source (and a web one a web one).
    """
    require(by, Action.MANAGE_MEETINGS, source.clinic)
    url = details.url if not source.is_file else ""
    if not source.is_file and not url:
        raise MeetingError(_("A web source needs its address."), "url")
    details = SourceDetails(
        details.name, url, details.fellowship, details.time_zone, details.refresh
    )
    _check_source(source.clinic, details, source)
    source.name = details.name.strip()
    source.url = details.url
    source.fellowship = details.fellowship
    source.time_zone = details.time_zone
    was_refreshing = source.refresh
    source.refresh = details.refresh and not source.is_file
    fields = ["name", "url", "fellowship", "time_zone", "refresh"]
    if source.refresh and not was_refreshing:
        source.next_refresh_at = timezone.now()
        fields.append("next_refresh_at")
    source.save(update_fields=fields)
    return source


def find_or_add_source(
    *, clinic: Clinic, location: str, time_zone: str = "", fellowship: str = ""
) -> MeetingSource:
    """The command line's source for ``location`` (a web address or a file's name).

    The same address or file name finds the same source, so importing it again updates
    the same meetings. A zone or fellowship given replaces the source's.
    """
    is_web = is_web_address(location)
    if is_web:
        source = MeetingSource.objects.filter(clinic=clinic, url=location).first()
    else:
        source = MeetingSource.objects.filter(clinic=clinic, url="", name=location).first()
    if source is None:
        # A web source is named after its host; a file after itself.
        name = location.split("//", 1)[-1].split("/", 1)[0] if is_web else location
        return add_source(
            clinic=clinic,
            details=SourceDetails(
                name[:120],
                location if is_web else "",
                fellowship,
                time_zone,
                refresh=is_web,
            ),
            by=None,
        )
    fields = []
    if time_zone and time_zone != source.time_zone:
        source.time_zone = time_zone
        fields.append("time_zone")
    if fellowship and fellowship != source.fellowship:
        source.fellowship = fellowship
        fields.append("fellowship")
    if fields:
        source.save(update_fields=fields)
    return source


def remove_source(*, source: MeetingSource, by: User) -> int:
    """Take a source's meetings out of the directory and forget the source.

    Its meetings that someone logged going to are kept, inactive, for their history;
    the others are deleted (with the favourites pointing at them). Returns how many
    meetings left the directory.
    """
    require(by, Action.MANAGE_MEETINGS, source.clinic)
    with transaction.atomic():
        mine = Meeting.objects.filter(source=source)
        listed = mine.filter(active=True).count()
        kept = mine.filter(attendances__isnull=False).distinct()
        now = timezone.now()
        kept.update(active=False, missing_since=now, changed_at=now)
        mine.exclude(pk__in=kept.values("pk")).delete()
        source.delete()
    return listed


# --- meetings added by hand ------------------------------------------------------------------


def _entry(values: dict[str, Any]) -> dict[str, Any]:
    """A hand-made meeting as a feed entry, so it is checked by the same rules."""
    entry = {key: value for key, value in values.items() if value not in (None, "")}
    if isinstance(entry.get("time"), time):
        entry["time"] = entry["time"].strftime("%H:%M")
    if isinstance(entry.get("end_time"), time):
        entry["end_time"] = entry["end_time"].strftime("%H:%M")
    if "time_zone" in entry:
        entry["timezone"] = entry.pop("time_zone")
    return entry


def _checked(values: dict[str, Any], slug: str, clinic: Clinic) -> feed.ParsedMeeting:
    entry = _entry({**values, "slug": slug})
    try:
        return feed.check_meeting(
            entry,
            time_zone=clinic.time_zone or "UTC",
            fellowships=vocabulary.FELLOWSHIP_CODES | {vocabulary.OTHER},
        )
    except feed.MeetingProblem as exc:
        field = str(exc.problem.params.get("field") or "")
        raise MeetingError(reasons.describe(exc.problem.code, exc.problem.params), field) from None


def _free_slug(clinic: Clinic, name: str) -> str:
    base = (slugify(name) or "meeting")[:80]
    taken = set(
        Meeting.objects.filter(clinic=clinic, slug__startswith=base).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def add_meeting(
    *, clinic: Clinic, values: dict[str, Any], by: User, now: datetime | None = None
) -> Meeting:
    """A meeting the clinic lists by hand.

    ``values`` use the feed's field names (``day``, ``time`` …) and are checked by the
    same rules as a feed's meetings.
    """
    require(by, Action.MANAGE_MEETINGS, clinic)
    now = now or timezone.now()
    parsed = _checked(values, "new", clinic)
    for _attempt in range(3):
        slug = _free_slug(clinic, parsed.name)
        try:
            with transaction.atomic():
                return Meeting.objects.create(
                    clinic=clinic,
                    by_hand=True,
                    slug=slug,
                    created_at=now,
                    changed_at=now,
                    **parsed.fields(),
                )
        except IntegrityError:
            continue  # someone took the slug meanwhile
    raise MeetingError(_("The meeting could not be saved. Please try again."))


def change_meeting(*, meeting: Meeting, values: dict[str, Any], by: User) -> Meeting:
    """Change a meeting added by hand (a feed's meetings change at their feed)."""
    require(by, Action.MANAGE_MEETINGS, meeting.clinic)
    if not meeting.by_hand:
        raise MeetingError(_("This meeting comes from a feed: change it there."))
    parsed = _checked(values, meeting.slug, meeting.clinic)
    for name, value in parsed.fields().items():
        setattr(meeting, name, value)
    meeting.changed_at = timezone.now()
    meeting.save()
    return meeting


def remove_meeting(*, meeting: Meeting, by: User) -> bool:
    """Take a hand-added meeting out of the directory. True if deleted, False if kept hidden.

    A meeting someone logged going to is kept, inactive, for their history.
    """
    require(by, Action.MANAGE_MEETINGS, meeting.clinic)
    if not meeting.by_hand:
        raise MeetingError(_("This meeting comes from a feed: remove it there."))
    if Attendance.objects.filter(meeting=meeting).exists():
        now = timezone.now()
        Meeting.objects.filter(pk=meeting.pk).update(
            active=False, missing_since=now, changed_at=now
        )
        return False
    meeting.delete()
    return True


# --- the client's favourites and attendance log ----------------------------------------------


def _own(by: User, enrollment: Enrollment) -> None:
    require(by, Action.VIEW_OWN, enrollment)


def _may_see(by: User, enrollment: Enrollment, meeting: Meeting) -> None:
    if meeting.clinic_id != enrollment.clinic_id or not can(
        by, Action.BROWSE_MEETINGS, meeting.clinic
    ):
        raise MeetingError(_("That meeting is not in your clinic's directory."))


def set_favourite(*, enrollment: Enrollment, meeting: Meeting, favourite: bool, by: User) -> bool:
    """Keep ``meeting`` among the client's favourites, or not. Returns the new state.

    Setting what is already so changes nothing (a repeated tap is harmless). A meeting
    no longer listed can be taken off, not put on.
    """
    _own(by, enrollment)
    _may_see(by, enrollment, meeting)
    if not favourite:
        Favourite.objects.filter(enrollment=enrollment, meeting=meeting).delete()
        return False
    if not meeting.active:
        raise MeetingError(_("That meeting is no longer listed."))
    try:
        with transaction.atomic():
            Favourite.objects.get_or_create(
                enrollment=enrollment, meeting=meeting, defaults={"created_at": timezone.now()}
            )
    except IntegrityError:
        pass  # the same tap twice at once: the other one kept it
    return True


def set_reminder(*, favourite: Favourite, remind: bool, by: User) -> bool:
    """Remind the client an hour before each start of a favourite meeting, or not.

    Returns the new state. Only the client themselves; setting what is already so
    changes nothing. A reminder can always be turned off; turned on only for a meeting
    still listed that meets at set times (one by appointment has no start to remind of).
    Nothing but the reminder changes.
    """
    _own(by, favourite.enrollment)
    meeting = favourite.meeting
    if remind and not meeting.active:
        raise MeetingError(_("That meeting is no longer listed."))
    if remind and meeting.by_appointment:
        raise MeetingError(
            _("This meeting is by appointment, so there is no set time to remind you of.")
        )
    Favourite.objects.filter(pk=favourite.pk).update(remind=remind)
    favourite.remind = remind
    return remind


def attended_start(meeting: Meeting, day: date, viewer_zone_name: str) -> tuple[datetime, bool]:
    """When the meeting the client went to on ``day`` (their own date) began.

    The occurrence whose start falls on that date in the client's zone; for a meeting by
    appointment, or a date it is not held on, midday of the date (and False).
    """
    viewer = first_zone(viewer_zone_name)
    midnight = datetime.combine(day, time(0), tzinfo=viewer)
    if not meeting.by_appointment and meeting.time is not None:
        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=viewer)
        found = schedule.starts_between(
            meeting.days, meeting.time, meeting.zone, midnight, end - timedelta(microseconds=1)
        )
        if found:
            return found[0], True
    return datetime.combine(day, time(12), tzinfo=viewer).astimezone(UTC), False


def log_attendance(
    *,
    enrollment: Enrollment,
    meeting: Meeting,
    day: date,
    client_uuid: uuid.UUID,
    by: User,
    online: bool | None = None,
    time_zone: str = "",
    now: datetime | None = None,
) -> tuple[Attendance, bool]:
    """Write down that the client went to ``meeting`` on ``day`` (their own date).

    Returns the entry and whether it is new: a ``client_uuid`` already kept, or the same
    meeting already logged for that day, changes nothing and returns what was kept (a
    meeting counts once a day for the gate, the ally and the log). ``online``: how they
    took part in a meeting that is both in person and online (otherwise the meeting
    says). ``time_zone``: the client's, for their date (default: their clinic's).
    """
    _own(by, enrollment)
    if not isinstance(client_uuid, uuid.UUID):
        raise MeetingError(_("Something went wrong with this form. Please reload the page."))
    stored = Attendance.objects.filter(enrollment=enrollment, client_uuid=client_uuid).first()
    if stored is not None:
        return stored, False
    _may_see(by, enrollment, meeting)
    zone_name = time_zone or enrollment.clinic.time_zone
    now = now or timezone.now()
    today = now.astimezone(first_zone(zone_name)).date()
    if day > today:
        raise MeetingError(_("Please choose today or a day before."), "day")
    if day < today - timedelta(days=LOG_DAYS_BACK):
        raise MeetingError(_("Please choose a day within the last year."), "day")
    if (
        not meeting.active
        and not Attendance.objects.filter(enrollment=enrollment, meeting=meeting).exists()
    ):
        raise MeetingError(_("That meeting is no longer listed."))
    same_day = Attendance.objects.filter(
        enrollment=enrollment, meeting=meeting, attended_on=day
    ).first()
    if same_day is not None:
        return same_day, False
    starts_at, _held = attended_start(meeting, day, zone_name)
    took_part_online = bool(online) if meeting.online and meeting.in_person else meeting.online
    try:
        with transaction.atomic():
            entry = Attendance.objects.create(
                enrollment=enrollment,
                meeting=meeting,
                client_uuid=client_uuid,
                attended_on=day,
                starts_at=starts_at,
                online=took_part_online,
                created_at=now,
            )
            events.record(
                enrollment=enrollment,
                kind=meeting_events.ATTENDED,
                actor=by,
                data={"attendance": entry.pk, "day": day.isoformat(), "meeting": meeting.name},
            )
    except IntegrityError:
        # Another request with the same form, or for the same meeting and day, won the race.
        stored = (
            Attendance.objects.filter(enrollment=enrollment, client_uuid=client_uuid).first()
            or Attendance.objects.filter(
                enrollment=enrollment, meeting=meeting, attended_on=day
            ).first()
        )
        if stored is None:
            raise
        return stored, False
    return entry, True


def remove_attendance(*, attendance: Attendance, by: User) -> None:
    """Take an entry off the client's own log (the client only)."""
    _own(by, attendance.enrollment)
    with transaction.atomic():
        events.record(
            enrollment=attendance.enrollment,
            kind=meeting_events.ATTENDANCE_REMOVED,
            actor=by,
            data={
                "attendance": attendance.pk,
                "day": attendance.attended_on.isoformat(),
                "meeting": attendance.meeting.name,
            },
        )
        attendance.delete()
