"""The time zones people choose from: real places, without legacy aliases."""

from __future__ import annotations

import zoneinfo
from functools import cache


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    names = sorted(
        name
        for name in zoneinfo.available_timezones()
        # Legacy aliases ("US/Eastern", "Etc/GMT+5", "EST", "Factory") only confuse the list.
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posixrules"))
    )
    return [("UTC", "UTC")] + [(name, name.replace("_", " ")) for name in names]


def first_zone_name(*names: str | None) -> str:
    """The first of ``names`` that is a real time zone, else "UTC".

    The one rule for "whose time is it": pass the person's own zone, then their
    clinic's. A name that no longer exists is passed over rather than failing.
    """
    for name in names:
        if not name:
            continue
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue
        return name
    return "UTC"


def first_zone(*names: str | None) -> zoneinfo.ZoneInfo:
    """:func:`first_zone_name` as a ``ZoneInfo``."""
    return zoneinfo.ZoneInfo(first_zone_name(*names))
