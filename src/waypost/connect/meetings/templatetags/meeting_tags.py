"""``{% load meeting_tags %}``: a meeting's own schedule and its starts, in words."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from waypost.connect.meetings import vocabulary
from waypost.connect.meetings.models import Meeting

register = template.Library()


@register.filter
def own_schedule(meeting: Meeting) -> str:
    """ "Mondays and Thursdays, 7:30 p.m.–9 p.m., America/New York time", or "By appointment"."""
    if meeting.by_appointment or meeting.time is None:
        return _("By appointment")
    days = [str(vocabulary.WEEKDAYS_PLURAL[d]) for d in meeting.days]
    if len(days) == 7:
        when = _("Every day")
    elif len(days) > 1:
        when = _("%(days)s and %(last)s") % {"days": ", ".join(days[:-1]), "last": days[-1]}
    else:
        when = days[0]
    hours = formats.time_format(meeting.time)
    if meeting.end_time is not None:
        hours = f"{hours}–{formats.time_format(meeting.end_time)}"
    zone = meeting.time_zone.replace("_", " ")
    return _("%(when)s, %(hours)s, %(zone)s time") % {"when": when, "hours": hours, "zone": zone}


@register.filter
def slot(moment: datetime) -> str:
    """One start in the active (the viewer's) zone: "Tue 9:00 a.m."."""
    local = timezone.localtime(moment)
    return f"{formats.date_format(local, 'D')} {formats.time_format(local)}"


_MONDAY_FIRST = (1, 2, 3, 4, 5, 6, 0)


def _days_words(days: list[int]) -> str:
    if len(days) == 7:
        return str(_("Every day"))
    names = [str(vocabulary.WEEKDAYS_PLURAL[d]) for d in sorted(days, key=_MONDAY_FIRST.index)]
    if len(names) == 1:
        return names[0]
    return _("%(days)s and %(last)s") % {"days": ", ".join(names[:-1]), "last": names[-1]}


@register.filter
def weekly_words(slots: list[datetime]) -> str:
    """A meeting's starts in the viewer's zone, grouped: "Every day at 8 a.m.",
    "Mondays and Thursdays at 9 a.m.; Saturdays at 7 p.m."."""
    by_time: dict[str, list[int]] = {}
    for moment in sorted(slots, key=lambda m: timezone.localtime(m).time()):
        local = timezone.localtime(moment)
        by_time.setdefault(formats.time_format(local), []).append((local.weekday() + 1) % 7)
    return "; ".join(
        _("%(day)s at %(time)s") % {"day": _days_words(days), "time": at}
        for at, days in by_time.items()
    )


@register.filter
def next_words(moment: datetime | None) -> str:
    """ "Today at 8 a.m.", "Tomorrow at …", "Thursday at …" (the viewer's zone)."""
    if moment is None:
        return ""
    from waypost.program.today import when_label

    return when_label(moment, timezone.localdate())


@register.filter
def weekly(moment: datetime) -> str:
    """One weekly start in the viewer's zone: "Tuesdays at 9:00 a.m."."""
    local = timezone.localtime(moment)
    day = vocabulary.WEEKDAYS_PLURAL[(local.weekday() + 1) % 7]
    return _("%(day)s at %(time)s") % {"day": day, "time": formats.time_format(local)}


@register.filter
def km(distance: float | None) -> str:
    if distance is None:
        return ""
    if distance < 1:
        return _("%(m)d m away") % {"m": round(distance * 1000, -1)}
    if distance < 20:
        return _("%(km)s km away") % {"km": formats.number_format(distance, 1)}
    return _("%(km)d km away") % {"km": round(distance)}
