"""The caseload's Stage 2 column: the client's current streak, total and last check-in.

From ``selectors.caseload_states``: three queries for the whole list. A client from
Stage 2 on who has not checked in for ``QUIET_DAYS`` days (or not at all since
counting began that long ago) needs attention: a gentle call, not an alarm.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from waypost.core.columns import Cell, Column, links, register
from waypost.recovery import selectors

if TYPE_CHECKING:
    from waypost.program.models import Enrollment

QUIET_DAYS = 3


def _last_check_in(state: selectors.CaseloadState) -> tuple[str, bool]:
    """Words for the last check-in, and whether it has been quiet too long."""
    last = state.last_check_in
    if last is None:
        return _("no check-in yet"), (state.today - state.counter.start).days >= QUIET_DAYS
    ago = (state.today - last).days
    if ago <= 0:
        return _("checked in today"), False
    if ago == 1:
        return _("checked in yesterday"), False
    words = ngettext("last check-in %(n)d day ago", "last check-in %(n)d days ago", ago)
    return words % {"n": ago}, ago >= QUIET_DAYS


def streaks(enrollments: Sequence[Enrollment]) -> dict[int, Cell]:
    """ "12 days · checked in today" for each client from Stage 2 on, and the total of
    sober days below it ("40 days in all")."""
    cells = {}
    record = links("caseload:record")
    for pk, state in selectors.caseload_states(enrollments).items():
        counter = state.counter
        streak = ngettext("%(n)d day", "%(n)d days", counter.current_streak) % {
            "n": counter.current_streak
        }
        check_in, quiet = _last_check_in(state)
        label = ngettext(
            "current streak; %(total)d day in all",
            "current streak; %(total)d days in all",
            counter.total_sober_days,
        ) % {"total": counter.total_sober_days}
        cells[pk] = Cell(
            text=f"{streak} · {check_in}",
            url=record(pk),
            attention=quiet,
            label=label,
            detail=ngettext("%(n)d day in all", "%(n)d days in all", counter.total_sober_days)
            % {"n": counter.total_sober_days},
            sort=counter.current_streak,
        )
    return cells


def register_all() -> None:
    # Sorted by the current streak; quiet check-ins count 2 in "needs attention first".
    register(
        Column(
            "recovery.streak",
            gettext_lazy("Streak · check-in"),
            streaks,
            order=20,
            sorts=True,
            weight=2,
        )
    )
