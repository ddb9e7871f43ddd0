"""The sections a progress report may hold, and which are ticked to begin with.

A report holds only the sections chosen, in this order. A report for the client starts
with every section ticked; one for a referral starts with fewer (the measures, the days
and the stages: what another service needs first), and holds nothing the person making
it did not tick.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MEASURES = "measures"
DAYS = "days"
CHECK_INS = "checkins"
ATTENDANCE = "attendance"
GOALS = "goals"
STAGES = "stages"


@dataclass(frozen=True)
class ReportSection:
    key: str
    title: StrOrPromise  # the heading in the report
    description: StrOrPromise  # what it holds, on the form


SECTIONS: tuple[ReportSection, ...] = (
    ReportSection(
        MEASURES,
        _("Measures and change"),
        _(
            "Each questionnaire's scores in the period, as a chart and a table, and whether "
            "the change is more than the usual ups and downs."
        ),
    ),
    ReportSection(
        DAYS,
        _("Streak and total days"),
        _(
            "The current and longest streak, the total days, lapse days, and how many urges "
            "were noted and got through (counts only)."
        ),
    ),
    ReportSection(
        CHECK_INS,
        _("Daily check-ins"),
        _(
            "On how many days there was a check-in, average mood and sleep, minutes of "
            "mindfulness, and mood week by week. Never the notes."
        ),
    ),
    ReportSection(
        ATTENDANCE,
        _("Meetings and groups"),
        _("How many peer meetings and group sessions were attended, and which."),
    ),
    ReportSection(
        GOALS,
        _("Long-term goals"),
        _("The Stage 4 goals: their area of life, status and steps done. Not the notes."),
    ),
    ReportSection(
        STAGES,
        _("Stages of the program"),
        _("The stage now, and each move between stages in the period, with its date."),
    ),
)

BY_KEY: dict[str, ReportSection] = {s.key: s for s in SECTIONS}
KEYS: tuple[str, ...] = tuple(BY_KEY)

#: What each purpose starts with ticked.
DEFAULTS: dict[str, tuple[str, ...]] = {
    "client": KEYS,
    "referral": (MEASURES, DAYS, STAGES),
}


def in_order(keys: list[str] | tuple[str, ...]) -> list[str]:
    """The known ``keys`` in the report's order, each once; unknown keys are dropped."""
    chosen = set(keys)
    return [key for key in KEYS if key in chosen]
