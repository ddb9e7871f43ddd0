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
