"""How the page words its numbers: shares, days and waits."""

from __future__ import annotations

import pytest

from waypost.caseload.outcomes import stats
from waypost.caseload.outcomes.figure import days_text, hours_text, share_cell


@pytest.mark.parametrize(
    ("hours", "said"),
    [
        (None, "—"),
        (0.25, "15 minutes"),
        (0.001, "1 minute"),
        (1, "1 hour"),
        (2.45, "2.5 hours"),
        (47.9, "47.9 hours"),
        (60, "2.5 days"),
    ],
)
def test_waits_are_in_minutes_hours_or_days(hours, said):
    assert hours_text(hours) == said


@pytest.mark.parametrize(
    ("days", "said"), [(None, "—"), (0, "less than a day"), (1.2, "1 day"), (27.6, "28 days")]
)
def test_stays_are_in_whole_days(days, said):
    assert days_text(days) == said


def test_a_share_says_its_count_and_n_or_that_it_is_withheld():
    assert share_cell(stats.ClientShare(4, 6)).text == "67% (4 of 6)"
    withheld = share_cell(stats.ClientShare(2, 3))
    assert (withheld.text, withheld.withheld) == ("fewer than 5", True)
    assert share_cell(stats.ClientShare(0, 0)).text == "—"
