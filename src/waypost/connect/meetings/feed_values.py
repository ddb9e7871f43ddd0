"""Reading one value of a feed entry: days, times, links, coordinates, text … (no Django).

Each reader takes what the feed holds and returns the value as Waypost stores it, or
raises :class:`MeetingProblem` with a problem code (``reasons.REASONS``) and what the
reason quotes. ``feed.parse`` puts them together.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from waypost.connect.meetings.schedule import clean_days

MAX_TYPES = 40
# Longest accepted text per field (the specification asks 255 for a name).
LIMITS = {
    "slug": 100,
    "name": 255,
    "group": 255,
    "location": 255,
    "formatted_address": 500,
    "address": 255,
    "city": 120,
    "state": 120,
    "postal_code": 30,
    "country": 120,
    "region": 255,
    "conference_url": 1000,
    "conference_url_notes": 1000,
    "conference_phone": 80,
    "conference_phone_notes": 1000,
    "url": 1000,
    "notes": 10000,
    "location_notes": 5000,
    "timezone": 64,
    "fellowship": 20,
}
TEXT_FIELDS = (
    "group",
    "location",
    "formatted_address",
    "address",
    "city",
    "state",
    "postal_code",
    "country",
    "conference_url_notes",
    "conference_phone_notes",
    "notes",
    "location_notes",
)
MULTILINE = frozenset({"notes", "location_notes", "conference_url_notes", "conference_phone_notes"})

DAY_NAMES = {
    name: number
    for number, names in enumerate(
        (
            ("sunday", "sun"),
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
        )
    )
    for name in names
}
# Meeting Guide's language type codes (and the two-letter codes feeds also use), as
# ISO 639-1 codes. "S" is Spanish in the specification's list.
LANGUAGE_CODES = {
    "EN": "en",
    "S": "es",
    "ES": "es",
    "FR": "fr",
    "DE": "de",
    "ITA": "it",
    "IT": "it",
    "POR": "pt",
    "PT": "pt",
    "POL": "pl",
    "PL": "pl",
    "RUS": "ru",
    "RU": "ru",
    "UK": "uk",
    "JA": "ja",
    "KOR": "ko",
    "KO": "ko",
    "ZH": "zh",
    "MS": "ms",
    "TA": "ta",
    "HI": "hi",
    "TL": "tl",
    "TH": "th",
    "HE": "he",
    "FA": "fa",
    "EL": "el",
    "DA": "da",
    "NO": "no",
    "SV": "sv",
    "HU": "hu",
    "HR": "hr",
    "LT": "lt",
    "SK": "sk",
    "AM": "am",
    "ML": "ml",
    "PUN": "pa",
}
LANGUAGE_NAMES = {
    "english": "en",
    "spanish": "es",
    "español": "es",
    "french": "fr",
    "german": "de",
    "italian": "it",
    "portuguese": "pt",
    "polish": "pl",
    "russian": "ru",
    "ukrainian": "uk",
    "japanese": "ja",
    "korean": "ko",
    "chinese": "zh",
    "mandarin": "zh",
    "cantonese": "yue",
    "malay": "ms",
    "bahasa melayu": "ms",
    "tamil": "ta",
    "hindi": "hi",
    "tagalog": "tl",
    "thai": "th",
}
_TIME = re.compile(
    r"^(?P<h>\d{1,2})(?::(?P<m>\d{2}))?(?::(?P<s>\d{2}))?\s*(?P<ampm>[ap])?\.?\s*(?:m\.?)?$",
    re.IGNORECASE | re.ASCII,  # "１９:００" is not a time a feed means
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A JSON "\ud800" without its pair: Python keeps it, but UTF-8 (the database, the
# terminal) cannot say it.
_SURROGATE = re.compile("[\ud800-\udfff]")
_PHONE = re.compile(r"^\+?[0-9 ()\-.,*#]+$")


@dataclass(frozen=True)
class Problem:
    """Why something was not taken: a code (``reasons.REASONS``) and its parameters."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


class MeetingProblem(Exception):
    """One meeting cannot be taken; ``problem`` says why."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.problem = Problem(code, params)


@cache
def known_zones() -> frozenset[str]:
    """Every IANA zone name this machine knows (tzdata)."""
    return frozenset(zoneinfo.available_timezones())


def is_zone(name: str) -> bool:
    return name in known_zones() or name == "UTC"


def without_surrogates(text: str) -> str:
    """``text`` with any lone surrogate replaced by U+FFFD, so it can be stored and printed."""
    return _SURROGATE.sub("\ufffd", text)


def shown(value: Any) -> str:
    """A value as a reason may quote it: short, one line. Never fails, whatever the value."""
    if isinstance(value, str):
        text = value
    else:
        try:
            text = json.dumps(value, ensure_ascii=False)[:60]
        except (RecursionError, ValueError, TypeError):
            # nested too deeply to write out, or a number too long to: say what it is
            text = "[…]" if isinstance(value, list) else "{…}" if isinstance(value, dict) else "…"
    text = without_surrogates(_CONTROL.sub("", text)).replace("\n", " ")
    return text if len(text) <= 40 else text[:39] + "…"


def read_slug(value: Any) -> str:
    if isinstance(value, bool):
        raise MeetingProblem("bad_type", field="slug", expected="text")
    if isinstance(value, int):
        value = str(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise MeetingProblem("missing", field="slug")
    if not isinstance(value, str):
        raise MeetingProblem("bad_type", field="slug", expected="text")
    slug = value.strip()
    if len(slug) > LIMITS["slug"]:
        raise MeetingProblem("too_long", field="slug", limit=LIMITS["slug"])
    if _CONTROL.search(slug) or _SURROGATE.search(slug) or any(ch.isspace() for ch in slug):
        raise MeetingProblem("bad_slug", value=shown(slug))
    return slug


def read_text(entry: Mapping[str, Any], key: str, *, numbers: bool = False) -> str:
    value = entry.get(key)
    if value is None:
        return ""
    if numbers and isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise MeetingProblem("bad_type", field=key, expected="text")
    value = unicodedata.normalize("NFC", without_surrogates(value))
    if key in MULTILINE:
        value = "\n".join(line.rstrip() for line in value.replace("\r\n", "\n").split("\n"))
        value = _CONTROL.sub("", value).strip()
    else:
        value = " ".join(_CONTROL.sub("", value).split())
    limit = LIMITS.get(key, 255)
    if len(value) > limit:
        raise MeetingProblem("too_long", field=key, limit=limit)
    return value


def read_days(value: Any) -> list[int]:
    if value is None or value == "" or value == []:
        return []
    values = value if isinstance(value, list) else [value]
    if len(values) > 7:
        raise MeetingProblem("bad_day", value=shown(value))
    days = []
    for one in values:
        day = _day(one)
        if day is None:
            raise MeetingProblem("bad_day", value=shown(one))
        days.append(day)
    return clean_days(days)


def _day(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= 6 else None
    if isinstance(value, float) and value.is_integer():
        return _day(int(value))
    if isinstance(value, str):
        text = value.strip().lower()
        # ASCII only: "²" and "٣" are digits to isdigit(), and int("²") raises
        if len(text) == 1 and text.isascii() and text.isdigit():
            return _day(int(text))
        return DAY_NAMES.get(text)
    return None


def parse_time(value: str) -> dt.time | None:
    """A time of day as feeds write it ("19:00", "19:00:00", "7:00 PM", "7 pm"); else None."""
    found = _TIME.match(value.strip())
    if not found:
        return None
    hour, minute = int(found["h"]), int(found["m"] or 0)
    second = int(found["s"] or 0)
    ampm = (found["ampm"] or "").lower()
    has_suffix = bool(ampm) or value.strip().lower().endswith("m")
    if has_suffix and not ampm:
        return None  # "7 m"
    if not ampm and found["m"] is None:
        return None  # a bare "19" could be anything
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return dt.time(hour, minute)


def read_time(value: Any, key: str) -> dt.time | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise MeetingProblem("bad_time", field=key, value=shown(value))
    parsed = parse_time(value)
    if parsed is None:
        raise MeetingProblem("bad_time", field=key, value=shown(value))
    return parsed


def read_types(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or len(value) > MAX_TYPES:
        raise MeetingProblem("bad_types")
    codes: list[str] = []
    for one in value:
        if (
            not isinstance(one, str)
            or len(one.strip()) > 20
            or _CONTROL.search(one)
            or _SURROGATE.search(one)
        ):
            raise MeetingProblem("bad_types")
        code = one.strip()
        if code and code not in codes:
            codes.append(code)
    return codes


def read_languages(types: list[str], value: Any) -> list[str]:
    found = [LANGUAGE_CODES[code.upper()] for code in types if code.upper() in LANGUAGE_CODES]
    named = value if isinstance(value, list) else [value]
    for one in named:
        if not isinstance(one, str) or not one.strip() or len(one) > 40:
            continue
        text = one.strip()
        code = LANGUAGE_NAMES.get(text.lower()) or LANGUAGE_CODES.get(text.upper())
        if code is None and len(text) == 2 and text.isalpha():
            code = text.lower()
        if code:
            found.append(code)
    return list(dict.fromkeys(found))


def read_fellowship(value: Any, known: frozenset[str]) -> str:
    if value is None or value == "":
        return ""
    if not isinstance(value, str):
        raise MeetingProblem("bad_type", field="fellowship", expected="text")
    wanted = value.strip().upper()
    for code in known:
        if code.upper() == wanted:
            return code
    raise MeetingProblem("unknown_fellowship", value=shown(value))


def read_phone(entry: Mapping[str, Any]) -> str:
    phone = read_text(entry, "conference_phone", numbers=True)
    if phone and not _PHONE.match(phone):
        raise MeetingProblem("bad_phone", value=shown(phone))
    return phone


def read_url(entry: Mapping[str, Any], key: str) -> str:
    text = read_text(entry, key)
    if not text:
        return ""
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise MeetingProblem("bad_url", field=key, value=shown(text))
    return text


def read_coordinate(value: Any, key: str, limit: int) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise MeetingProblem("bad_coordinate", field=key, limit=limit)
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise MeetingProblem("bad_coordinate", field=key, limit=limit) from None
    if not isinstance(value, int | float) or not -limit <= value <= limit or value != value:
        raise MeetingProblem("bad_coordinate", field=key, limit=limit)
    return round(float(value), 6)


def read_region(entry: Mapping[str, Any]) -> str:
    regions = entry.get("regions")
    parts: list[Any]
    if isinstance(regions, list) and regions:
        parts = [r for r in regions if isinstance(r, str) and r.strip()]
    else:
        parts = [entry.get("region"), entry.get("sub_region")]
    names = []
    for part in parts:
        if isinstance(part, str) and part.strip():
            names.append(" ".join(without_surrogates(_CONTROL.sub("", part)).split()))
        elif part is not None and part != "":
            raise MeetingProblem("bad_type", field="region", expected="text")
    region = " › ".join(names)
    if len(region) > LIMITS["region"]:
        raise MeetingProblem("too_long", field="region", limit=LIMITS["region"])
    return region


def read_updated(value: Any) -> datetime | None:
    """The feed's "last updated" (UTC by the specification); anything unreadable is left out."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if not 1990 <= moment.year <= 2200:
        return None
    return moment.astimezone(UTC)
