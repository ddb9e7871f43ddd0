"""What the client's Today page shows: one next step first, then the rest, calmly.

The steps and the dated things ahead come from the registries in
``core.next_steps`` and ``core.coming_up``, filled by the apps; this module
only orders and words them. The kind line under the greeting changes once a
day, by the client's own date, and is the same all that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waypost.core.coming_up import ComingUp, coming_up
from waypost.core.next_steps import next_steps

if TYPE_CHECKING:
    from datetime import date, datetime

    from django.http import HttpRequest
    from django_stubs_ext import StrOrPromise

    from waypost.program.models import Enrollment

# Kind, plain words for anyone on any kind of day; never about counting or starting over.
ENCOURAGEMENTS: tuple[StrOrPromise, ...] = (
    gettext_lazy("Every day you show up counts, whatever yesterday was like."),
    gettext_lazy("Small steps still take you somewhere. One is enough for today."),
    gettext_lazy("Be as kind to yourself today as you would be to a good friend."),
    gettext_lazy("A hard moment passes. You have come through hard moments before."),
    gettext_lazy("Rest is part of the work too. Go gently today."),
    gettext_lazy("Reaching out is a sign of strength, not of weakness."),
    gettext_lazy("You are learning something every day, even on the difficult ones."),
    gettext_lazy("Notice one thing today that went a little better than you expected."),
    gettext_lazy("What you are building takes time, and you are giving it that time."),
    gettext_lazy("You do not have to do this alone, and you are not doing it alone."),
)

# How many of the waiting steps show under the first before the rest fold away.
SHOWN_UNDER_FIRST = 3


def encouragement_for(day: date) -> StrOrPromise:
    """The line for ``day``: the same all day, a different one the next."""
    return ENCOURAGEMENTS[day.toordinal() % len(ENCOURAGEMENTS)]


def when_label(moment: datetime, today: date) -> str:
    """ "Today at 4 p.m.", "Tomorrow at 9:30 a.m.", "Thursday at 4 p.m.", "Monday 16 June at 4 p.m."

    In the active time zone: the client's own (``clinics.middleware``).
    """
    local = timezone.localtime(moment)
    time = formats.time_format(local)
    days = (local.date() - today).days
    if days == 0:
        return _("Today at %(time)s") % {"time": time}
    if days == 1:
        return _("Tomorrow at %(time)s") % {"time": time}
    weekday = formats.date_format(local, "l")
    if days < 7:
        return _("%(weekday)s at %(time)s") % {"weekday": weekday, "time": time}
    day = formats.date_format(local, "j F")
    return _("%(weekday)s %(day)s at %(time)s") % {"weekday": weekday, "day": day, "time": time}


@dataclass(frozen=True)
class Ahead:
    item: ComingUp
    when: str


def today_context(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any]:
    """Everything the Today page needs beyond the enrollment."""
    steps = next_steps(request, enrollment)
    today = timezone.localdate()
    return {
        "first_step": steps[0] if steps else None,
        "also_shown": steps[1 : 1 + SHOWN_UNDER_FIRST],
        "also_folded": steps[1 + SHOWN_UNDER_FIRST :],
        "ahead": [
            Ahead(item, when_label(item.starts_at, today))
            for item in coming_up(request, enrollment)
        ],
        "encouragement": encouragement_for(today),
    }
