"""The caseload's Stage 2 column: the client's current streak, total and last check-in.

From ``selectors.caseload_states``: two queries for the page's rows. A client from
Stage 2 on whose check-ins have gone quiet needs attention, a gentle call, not an alarm:
no check-in for two days past when one was expected on their rhythm
(``check_in_rhythm.quiet_days``: 3 days on the usual daily rhythm, 4 on Stage 4's
"a few times a week", 9 on weekly), or none at all since counting began that long ago.
Who is quiet, for the whole list, comes from ``selectors.quiet_clients`` (one query).
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


def _last_check_in(state: selectors.CaseloadState) -> str:
    """Words for the last check-in."""
    last = state.last_check_in
    if last is None:
        return _("no check-in yet")
    ago = (state.today - last).days
    if ago <= 0:
        return _("checked in today")
    if ago == 1:
        return _("checked in yesterday")
    words = ngettext("last check-in %(n)d day ago", "last check-in %(n)d days ago", ago)
    return words % {"n": ago}


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
        check_in = _last_check_in(state)
        label = ngettext(
            "current streak; %(total)d day in all",
            "current streak; %(total)d days in all",
            counter.total_sober_days,
        ) % {"total": counter.total_sober_days}
        cells[pk] = Cell(
            text=f"{streak} · {check_in}",
            url=record(pk),
            attention=state.quiet,
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
            attention=selectors.quiet_clients,
        )
    )
