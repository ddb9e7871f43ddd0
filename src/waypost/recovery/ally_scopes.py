"""What a client may share with an ally from Stage 2: streak, weekly check-ins, lapse alerts.

Each scope is registered in the consent-scope registry (``core.consent_scopes``)
by this app, which owns the data, with a section for the ally's page and the same
facts as JSON for the API. Each returns only what its explanation promises:

- ``streak``: the current streak, total days, longest streak and the milestones
  the current streak has reached; numbers that never go down stand beside it;
- ``checkins``: on how many of the last seven days the client checked in, and their
  average mood; never whether a day went to plan, never a note;
- ``lapses``: the dates of lapses in the last 30 days; never what happened, the
  chain analysis or what was learnt.

Every day is the client's own local date (``selectors.client_today``), whoever
reads it. The keys are contracts: the ally alerts and digests use them too.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Avg, Count
from django.utils.translation import gettext_lazy as _

from waypost.core import consent_scopes
from waypost.core.consent_scopes import JSON, ConsentScope, SectionContext
from waypost.program.models import Stage
from waypost.recovery import selectors
from waypost.recovery.forms import MOODS
from waypost.recovery.models import CheckIn

if TYPE_CHECKING:
    from waypost.connect.models import AllyLink
    from waypost.program.models import Enrollment

STREAK = "streak"
CHECKINS = "checkins"
LAPSES = "lapses"

# The weekly summary covers the client's last seven local days, today included.
WEEK_DAYS = 7
# Lapse alerts list the lapses of the last 30 days: enough to notice, not a record to keep.
LAPSE_WINDOW_DAYS = 30


def _counting(enrollment: Enrollment) -> bool:
    """From Stage 2 on the client has a day counter and daily check-ins."""
    return enrollment.stage >= Stage.ABSTINENCE


# --- streak and milestones ----------------------------------------------------------------


def streak_context(link: AllyLink) -> SectionContext:
    """The counter's numbers and the current streak's milestones; nothing about the days."""
    enrollment = link.enrollment
    state = (
        selectors.today_state(enrollment, selectors.client_today(enrollment))
        if _counting(enrollment)
        else None
    )
    if state is None:
        return {"counting": False}
    counter = state.counter
    return {
        "counting": True,
        "current_streak": counter.current_streak,
        "total_days": counter.total_sober_days,
        "longest_streak": counter.longest_streak,
        "milestones": list(counter.milestones_reached),
        "next_milestone": counter.next_milestone,
        "days_to_next": counter.days_to_next,
        # A streak of 0 after a lapse: a new one is beginning (never "back to zero").
        "new_streak_beginning": counter.current_streak == 0 and counter.lapses > 0,
    }


def streak_api(link: AllyLink) -> dict[str, JSON]:
    """The streak as JSON (``null`` numbers before Stage 2, when nothing is counted yet)."""
    data = streak_context(link)
    if not data["counting"]:
        return {
            "counting": False,
            "current_streak": None,
            "total_days": None,
            "longest_streak": None,
            "milestones_reached": [],
            "next_milestone": None,
        }
    return {
        "counting": True,
        "current_streak": data["current_streak"],
        "total_days": data["total_days"],
        "longest_streak": data["longest_streak"],
        "milestones_reached": data["milestones"],
        "next_milestone": data["next_milestone"],
    }


# --- the weekly check-in summary ----------------------------------------------------------


def _mood_word(average: float | None) -> str:
    if average is None:
        return ""
    nearest = min(max(round(average), MOODS[0][0]), MOODS[-1][0])
    return str(dict(MOODS)[nearest])


def checkins_context(link: AllyLink) -> SectionContext:
    """How many of the last seven days had a check-in, and the average mood (1 to 5)."""
    enrollment = link.enrollment
    if not _counting(enrollment):
        return {"counting": False, "week_days": WEEK_DAYS}
    today = selectors.client_today(enrollment)
    row = CheckIn.objects.filter(
        enrollment=enrollment,
        local_date__gte=today - timedelta(days=WEEK_DAYS - 1),
        local_date__lte=today,
    ).aggregate(days=Count("pk"), mood=Avg("mood"))
    mood = round(float(row["mood"]), 1) if row["mood"] is not None else None
    return {
        "counting": True,
        "week_days": WEEK_DAYS,
        "days": row["days"],
        "mood": mood,
        "mood_word": _mood_word(mood),
    }


def checkins_api(link: AllyLink) -> dict[str, JSON]:
    data = checkins_context(link)
    return {
        "counting": data["counting"],
        "of_days": WEEK_DAYS,
        "days_checked_in": data.get("days", 0),
        "average_mood": data.get("mood"),
        "average_mood_label": data.get("mood_word", ""),
    }


# --- lapse alerts -------------------------------------------------------------------------


def _lapse_dates(enrollment: Enrollment) -> list[date]:
    today = selectors.client_today(enrollment)
    since = today - timedelta(days=LAPSE_WINDOW_DAYS - 1)
    return sorted(
        (day for day in selectors.lapse_days(enrollment, since) if day <= today), reverse=True
    )


def lapses_context(link: AllyLink) -> SectionContext:
    """The dates of the lapses of the last 30 days, newest first: only that, and when."""
    enrollment = link.enrollment
    if not _counting(enrollment):
        return {"counting": False, "window_days": LAPSE_WINDOW_DAYS, "dates": []}
    return {"counting": True, "window_days": LAPSE_WINDOW_DAYS, "dates": _lapse_dates(enrollment)}


def lapses_api(link: AllyLink) -> dict[str, JSON]:
    data = lapses_context(link)
    return {
        "window_days": LAPSE_WINDOW_DAYS,
        "dates": [day.isoformat() for day in data["dates"]],
    }


def register() -> None:
    """Offer the three scopes to clients (from ``RecoveryConfig.ready()``)."""
    for scope in (
        ConsentScope(
            STREAK,
            _("Streak and milestones"),
            _(
                "Your current streak, your total days, your longest streak and the "
                "milestones you have reached."
            ),
            template="recovery/ally/streak.html",
            context=streak_context,
            api=streak_api,
            order=20,
        ),
        ConsentScope(
            CHECKINS,
            _("Weekly check-in summary"),
            _(
                "On how many of the last seven days you checked in, and your average mood. "
                "Never your answers one by one, and never your notes."
            ),
            template="recovery/ally/checkins.html",
            context=checkins_context,
            api=checkins_api,
            order=30,
        ),
        ConsentScope(
            LAPSES,
            _("Lapse alerts"),
            _(
                "That a lapse happened and on which day, when you log one or check in "
                "saying a day did not go to plan. Never what happened or what you learnt."
            ),
            template="recovery/ally/lapses.html",
            context=lapses_context,
            api=lapses_api,
            order=50,
        ),
    ):
        consent_scopes.register(scope)
