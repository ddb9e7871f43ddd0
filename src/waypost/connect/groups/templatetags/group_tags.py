"""Display helpers for group therapy: a schedule in words, a session's day and time."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waypost.connect.groups.models import GroupProgramme, Weekday
from waypost.connect.groups.schedule import Occurrence

register = template.Library()


@register.filter
def schedule_words(programme: GroupProgramme) -> str:
    """ "Every 2 weeks on Saturday, 13:00–15:00 (Asia/Singapore time), until 30 Jun 2030"."""
    words = ngettext(
        "Every week on %(day)s, %(start)s–%(end)s (%(zone)s time)",
        "Every %(n)d weeks on %(day)s, %(start)s–%(end)s (%(zone)s time)",
        programme.interval_weeks,
    ) % {
        "n": programme.interval_weeks,
        "day": Weekday(programme.weekday).label,
        "start": programme.start_time.strftime("%H:%M"),
        "end": programme.end_time.strftime("%H:%M"),
        "zone": programme.time_zone.replace("_", " "),
    }
    series = programme.series
    if series.last_day is not None:
        words += ", " + _("last session %(day)s") % {
            "day": formats.date_format(series.last_day, "j M Y")
        }
    return words


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


@register.filter
def session_when(occurrence: Occurrence) -> str:
    """ "Sat 1 Mar 2030, 13:00–15:00" in the viewer's time zone."""
    start, end = _local(occurrence.start), _local(occurrence.end)
    day = formats.date_format(start, "D j M Y")
    if start.date() != end.date():
        return _("%(day)s, %(start)s – %(end_day)s %(end)s") % {
            "day": day,
            "start": start.strftime("%H:%M"),
            "end_day": formats.date_format(end, "D j M"),
            "end": end.strftime("%H:%M"),
        }
    return _("%(day)s, %(start)s–%(end)s") % {
        "day": day,
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
    }


@register.filter
def original_when(occurrence: Occurrence) -> str:
    """Where the series had put a moved session, in the viewer's time zone."""
    start = _local(occurrence.original)
    return _("%(day)s at %(time)s") % {
        "day": formats.date_format(start, "D j M"),
        "time": start.strftime("%H:%M"),
    }


@register.simple_tag
def viewer_zone() -> str:
    return str(timezone.get_current_timezone_name()).replace("_", " ")
