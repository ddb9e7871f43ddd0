"""Shield's background work (huey): the silence check every 15 minutes, and the blocklists
downloaded again when they are older than ``SHIELD_REFRESH_HOURS`` (checked hourly)."""

from __future__ import annotations

import time

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from waypost import conf
from waypost.shield import blocklist, refresh, silence


def check_silence() -> dict[str, int]:
    """Clear the marks of devices heard from again; raise "Shield silent" for newly quiet ones."""
    result = silence.check()
    return {"cleared": result.cleared, "raised": len(result.raised)}


@db_periodic_task(crontab(minute="*/15"))  # type: ignore[untyped-decorator]  # huey is untyped
def silence_every_quarter_hour() -> dict[str, int]:
    return check_silence()


def refresh_lists_if_due(now: float | None = None) -> dict[str, object] | None:
    """Download and compile ``SHIELD_LISTS`` when the compiled file is missing, too old,
    or of a format this Waypost no longer reads (after an upgrade).

    None when there is nothing to do (no lists configured, or the file is recent).
    """
    if not settings.SHIELD_LISTS:
        return None
    folder = conf.data_dir() / "shield"
    compiled = folder / "lists.bin"
    now = time.time() if now is None else now
    if (
        compiled.exists()
        and now - compiled.stat().st_mtime < settings.SHIELD_REFRESH_HOURS * 3600
        and blocklist.compiled_version(compiled) == blocklist.VERSION
    ):
        return None
    return refresh.refresh(refresh.parse_sources(settings.SHIELD_LISTS), folder).as_json()


@db_periodic_task(crontab(minute="7"))  # type: ignore[untyped-decorator]  # huey is untyped
def lists_every_hour_when_due() -> dict[str, object] | None:
    return refresh_lists_if_due()
