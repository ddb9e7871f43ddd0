"""Reading a Meeting Guide feed: bytes in, checked meetings and the reasons for the rest out.

No Django and no database: :func:`parse` turns a feed (a JSON array of meetings, as
meeting-list software publishes it) into :class:`ParsedMeeting` values and a
:class:`Problem` for each meeting it cannot take, or raises :class:`FeedError` when the
feed as a whole cannot be read (not UTF-8, not JSON, not an array, too large, too
many meetings). ``services.import_feed`` stores the result.

What real feeds carry, and what is taken:

- ``name`` and ``slug`` are required (a slug may be a number); the slug is the
  meeting's identity across refreshes.
- ``day``: 0 (Sunday) to 6 (Saturday), a list of them, digits as text, or an English
  day name; ``time`` and ``end_time``: "19:00", "7:00", "19:00:00", "7:00 PM", "7 pm".
  A meeting with neither day nor time is "by appointment"; one without the other is
  refused, as is a time that is not one ("25:00").
- ``timezone``: an IANA name; without it the source's zone applies.
- ``conference_url`` / ``conference_phone`` make a meeting online; a street
  ``address`` (or ``"approximate": "no"``) besides makes it hybrid; the type ``TC``
  (location temporarily closed) takes the in-person side away.
- ``types``: codes (a list, or one code, or codes separated by commas); the language
  codes among them (EN, ES …) and a ``language`` field name the meeting's languages.
- ``fellowship`` (not in the specification; used by some multi-fellowship lists)
  overrides the source's fellowship for that meeting, if it is one Waypost knows.
- Links must be http:// or https://; coordinates must be on the globe.

Problems carry a code and parameters, never a sentence, so the clinic page can say
them in the reader's language (``reasons.describe``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from waypost.connect.meetings.feed_values import (
    LIMITS,
    MAX_TYPES,
    TEXT_FIELDS,
    MeetingProblem,
    Problem,
    is_zone,
    known_zones,
    parse_time,
    read_coordinate,
    read_days,
    read_fellowship,
    read_languages,
    read_phone,
    read_region,
    read_slug,
    read_text,
    read_time,
    read_types,
    read_updated,
    read_url,
    shown,
)

__all__ = [
    "LIMITS",
    "MAX_BYTES",
    "MAX_MEETINGS",
    "MAX_TYPES",
    "Feed",
    "FeedError",
    "MeetingProblem",
    "ParsedMeeting",
    "Problem",
    "Rejected",
    "check_meeting",
    "is_zone",
    "known_zones",
    "parse",
    "parse_time",
]

MAX_BYTES = 5 * 1024 * 1024
MAX_MEETINGS = 5000
# How deep lists and objects may nest within one meeting (the entry itself is 1; its
# "regions" or "day" list 2). Real feeds need 2; anything far deeper is not a meeting,
# and writing it out again (to quote it in a reason) could exhaust Python's stack.
MAX_ENTRY_DEPTH = 10


class FeedError(Exception):
    """The feed as a whole cannot be read; nothing of it is taken."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.problem = Problem(code, params)


@dataclass(frozen=True)
class Rejected:
    """One entry of the feed that was not taken, and why."""

    slug: str  # the entry's slug, or "#n" (its place in the feed, from 1) without one
    problem: Problem


@dataclass(frozen=True)
class ParsedMeeting:
    """One meeting, checked and in the shape it is stored in."""

    slug: str
    name: str
    days: list[int]
    time: dt.time | None
    end_time: dt.time | None
    time_zone: str
    types: list[str]
    languages: list[str]
    fellowship: str  # "" when the source's applies
    online: bool
    in_person: bool
    conference_url: str = ""
    conference_url_notes: str = ""
    conference_phone: str = ""
    conference_phone_notes: str = ""
    location: str = ""
    location_notes: str = ""
    formatted_address: str = ""
    address: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""
    region: str = ""
    latitude: float | None = None
    longitude: float | None = None
    notes: str = ""
    group: str = ""
    url: str = ""
    updated: datetime | None = None

    def fields(self) -> dict[str, Any]:
        """The values as model fields (``Meeting``), without the slug."""
        values = asdict(self)
        values.pop("slug")
        return values

    def fingerprint(self) -> str:
        """A hash of everything the feed says about the meeting: equal means unchanged."""
        values = self.fields()
        for key in ("time", "end_time", "updated"):
            if values[key] is not None:
                values[key] = values[key].isoformat()
        text = json.dumps(values, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Feed:
    """What :func:`parse` made of a feed: the meetings taken and the entries refused."""

    meetings: list[ParsedMeeting]
    rejected: list[Rejected]
    entries: int  # how many entries the array had


def parse(
    raw: bytes,
    *,
    time_zone: str,
    fellowships: frozenset[str] = frozenset(),
    max_bytes: int = MAX_BYTES,
    max_meetings: int = MAX_MEETINGS,
) -> Feed:
    """Read a feed. ``time_zone``: the source's zone, for meetings that name none.

    Raises :class:`FeedError` when the feed cannot be read at all; otherwise every entry
    is either a meeting or a :class:`Rejected` with its reason, whatever the entry holds
    (an entry that trips up a reader is refused as unreadable, never raised).
    ``fellowships``: the codes a meeting may name to override the source's.
    """
    if len(raw) > max_bytes:
        raise FeedError("too_large", limit_mb=max_bytes // (1024 * 1024) or 1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FeedError("not_utf8", at=exc.start) from None
    if not text.strip():
        raise FeedError("empty_file")
    try:
        data = json.loads(text)
    except RecursionError:
        raise FeedError("too_deep") from None
    except ValueError as exc:
        detail = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        line = exc.lineno if isinstance(exc, json.JSONDecodeError) else 0
        raise FeedError("not_json", detail=detail, line=line) from None
    if not isinstance(data, list):
        raise FeedError("not_a_list", kind=_kind(data))
    if len(data) > max_meetings:
        raise FeedError("too_many", count=len(data), limit=max_meetings)
    meetings: list[ParsedMeeting] = []
    rejected: list[Rejected] = []
    seen: dict[str, int] = {}
    for n, entry in enumerate(data, start=1):
        label = f"#{n}"
        try:
            if not isinstance(entry, dict):
                raise MeetingProblem("not_an_object", n=n, kind=_kind(entry))
            raw_slug = entry.get("slug")
            if isinstance(raw_slug, str | int) and not isinstance(raw_slug, bool):
                label = shown(str(raw_slug).strip()) or label
            if _deeper_than(entry, MAX_ENTRY_DEPTH):
                raise MeetingProblem("too_deep_entry", n=n)
            slug = read_slug(raw_slug)
            label = slug
            meeting = _meeting(entry, slug, time_zone=time_zone, fellowships=fellowships)
            if slug in seen:
                raise MeetingProblem("duplicate_slug", value=shown(slug), first=seen[slug])
        except MeetingProblem as refused:
            rejected.append(Rejected(label, refused.problem))
            continue
        except (ValueError, TypeError, RecursionError):
            # A value no reader foresaw: that meeting is refused, the feed is still read.
            rejected.append(Rejected(label, Problem("unreadable_entry", {"n": n})))
            continue
        seen[slug] = n
        meetings.append(meeting)
    return Feed(meetings=meetings, rejected=rejected, entries=len(data))


def check_meeting(
    entry: Mapping[str, Any], *, time_zone: str, fellowships: frozenset[str] = frozenset()
) -> ParsedMeeting:
    """One meeting, as a feed entry, checked by the rules of :func:`parse`.

    For a meeting added by hand. Raises :class:`MeetingProblem`.
    """
    return _meeting(
        entry, read_slug(entry.get("slug")), time_zone=time_zone, fellowships=fellowships
    )


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether lists and objects nest more than ``limit`` deep in ``value`` (no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "null"


def _meeting(
    entry: Mapping[str, Any], slug: str, *, time_zone: str, fellowships: frozenset[str]
) -> ParsedMeeting:
    name = read_text(entry, "name")
    if not name:
        raise MeetingProblem("missing", field="name")
    days = read_days(entry.get("day"))
    start = read_time(entry.get("time"), "time")
    end = read_time(entry.get("end_time"), "end_time")
    if days and start is None:
        raise MeetingProblem("day_without_time")
    if start is not None and not days:
        raise MeetingProblem("time_without_day")
    if end is not None and start is None:
        end = None  # an end without a start says nothing
    zone = read_text(entry, "timezone") or time_zone
    if not is_zone(zone):
        raise MeetingProblem("unknown_zone", value=shown(zone))
    types = read_types(entry.get("types"))
    url = read_url(entry, "url")
    conference_url = read_url(entry, "conference_url")
    conference_phone = read_phone(entry)
    texts = {key: read_text(entry, key, numbers=key == "postal_code") for key in TEXT_FIELDS}
    latitude = read_coordinate(entry.get("latitude"), "latitude", 90)
    longitude = read_coordinate(entry.get("longitude"), "longitude", 180)
    if latitude is None or longitude is None or (latitude == 0 and longitude == 0):
        latitude = longitude = None  # (0, 0) is a placeholder in many feeds, not a place
    online = bool(conference_url or conference_phone)
    approximate = entry.get("approximate")
    approximate = approximate.strip().lower() if isinstance(approximate, str) else ""
    if "TC" in types:
        in_person = False
    elif not online:
        in_person = True
    else:
        in_person = bool(texts["address"]) or approximate == "no"
    return ParsedMeeting(
        slug=slug,
        name=name,
        days=days,
        time=start,
        end_time=end,
        time_zone=zone,
        types=types,
        languages=read_languages(types, entry.get("language")),
        fellowship=read_fellowship(entry.get("fellowship"), fellowships),
        online=online,
        in_person=in_person,
        conference_url=conference_url,
        conference_phone=conference_phone,
        region=read_region(entry),
        latitude=latitude,
        longitude=longitude,
        url=url,
        updated=read_updated(entry.get("updated")),
        **texts,
    )
