"""What recovery shares with an ally: streak, weekly check-ins, lapse alerts; nothing more.

The client's Stage 2 history (tests/connect/helpers.py): Stage 2 from 23 Feb 2030,
check-ins on 12 (mood 5), 13 (mood 2, the inner circle not kept, a note) and 14 March
(mood 4), a lapse logged for 13 March with what happened; today is 14 March.
"""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from tests.connect.helpers import NOW, PRIVATE_TEXTS, section_texts, shared_url, stage_two_history
from waypost.connect import scopes
from waypost.recovery import ally_scopes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def history(cast):
    stage_two_history(cast)
    return cast


def page_of(link) -> str:
    browser = Client()
    browser.force_login(link.ally)
    response = browser.get(shared_url(link))
    assert response.status_code == 200
    return response.content.decode()


def test_the_three_scopes_are_registered_under_their_contract_keys():
    for key, label in (
        ("streak", "Streak and milestones"),
        ("checkins", "Weekly check-in summary"),
        ("lapses", "Lapse alerts"),
    ):
        scope = scopes.get(key)
        assert scope is not None and str(scope.label) == label
        assert scope.template == f"recovery/ally/{key}.html"


def test_the_streak_gives_the_counter_and_milestones_only(history):
    data = ally_scopes.streak_context(history.links["streak"])
    assert data == {
        "counting": True,
        "current_streak": 1,
        "total_days": 20,
        "longest_streak": 19,
        "milestones": [1],
        "next_milestone": 7,
        "days_to_next": 6,
        "new_streak_beginning": False,
    }
    assert ally_scopes.streak_api(history.links["streak"]) == {
        "counting": True,
        "current_streak": 1,
        "total_days": 20,
        "longest_streak": 19,
        "milestones_reached": [1],
        "next_milestone": 7,
    }


def test_the_streak_page_shows_numbers_that_never_go_down_beside_the_streak(history):
    texts = section_texts(page_of(history.links["streak"]), "streak")
    for text in ("Current streak", "1 day", "Total days", "20 days", "Longest streak", "19 days"):
        assert text in texts
    joined = " ".join(texts).lower()
    assert "never go down" in joined
    for word in ("reset", "broken", "back to zero", "failure"):
        assert word not in joined


def test_on_the_day_of_a_lapse_the_streak_is_a_new_beginning_not_a_zero(history, cast):
    # given the client logs a lapse for today as well
    from uuid import uuid4

    from waypost.recovery.services import lapses

    lapses.log_lapse(
        enrollment=cast.enrollment, by=cast.client, day=NOW.date(), client_uuid=uuid4()
    )
    texts = section_texts(page_of(cast.links["streak"]), "streak")
    assert "A new one is beginning" in texts
    assert "0 days" not in texts
    # and the totals stay: 21 days of the plan, two of them lapse days
    assert "19 days" in texts


def test_the_weekly_summary_counts_days_and_averages_the_mood(history):
    data = ally_scopes.checkins_context(history.links["checkins"])
    assert data == {
        "counting": True,
        "week_days": 7,
        "days": 3,
        "mood": 3.7,
        "mood_word": "Good",
    }
    texts = section_texts(page_of(history.links["checkins"]), "checkins")
    assert "3 of the last 7" in texts and "Good" in texts
    api = ally_scopes.checkins_api(history.links["checkins"])
    assert api == {
        "counting": True,
        "of_days": 7,
        "days_checked_in": 3,
        "average_mood": 3.7,
        "average_mood_label": "Good",
    }


def test_the_weekly_summary_never_says_whether_a_day_went_to_plan(history):
    page = page_of(history.links["checkins"])
    texts = " ".join(section_texts(page, "checkins")).lower()
    for word in ("lapse", "inner circle", "kept", "urge", "sleep"):
        assert word not in texts


def test_a_check_in_older_than_a_week_is_not_counted(history, cast):
    from waypost.recovery.models import CheckIn

    CheckIn.objects.filter(enrollment=cast.enrollment, mood=5).update(
        local_date=NOW.date().replace(day=7)
    )
    data = ally_scopes.checkins_context(cast.links["checkins"])
    assert data["days"] == 2 and data["mood"] == 3.0 and data["mood_word"] == "Okay"


def test_lapse_alerts_give_the_day_and_nothing_else(history):
    data = ally_scopes.lapses_context(history.links["lapses"])
    assert data == {"counting": True, "window_days": 30, "dates": [NOW.date().replace(day=13)]}
    assert ally_scopes.lapses_api(history.links["lapses"]) == {
        "window_days": 30,
        "dates": ["2030-03-13"],
    }
    texts = section_texts(page_of(history.links["lapses"]), "lapses")
    assert "Sam Client logged a lapse on 13 Mar." in texts
    assert "A lapse is a moment to learn from; a calm word helps more than questions." in texts


def test_without_a_lapse_the_alerts_say_so_calmly(cast):
    cast.enrollment.stage_entered_at = NOW.replace(day=1)
    cast.enrollment.save(update_fields=["stage_entered_at"])
    texts = section_texts(page_of(cast.links["lapses"]), "lapses")
    assert texts == ["Lapse alerts", "No lapse logged in the last 30 days."]


@pytest.mark.parametrize("key", ["streak", "checkins", "lapses"])
def test_nothing_the_client_wrote_ever_reaches_an_ally(history, key):
    page = page_of(history.links[key])
    for text in PRIVATE_TEXTS:
        assert text not in page
    api = Client()
    api.force_login(history.links[key].ally)
    body = api.get(f"/api/v1/ally/links/{history.links[key].pk}/shared").content.decode()
    for text in PRIVATE_TEXTS:
        assert text not in body


@pytest.mark.parametrize("key", ["streak", "checkins", "lapses"])
def test_before_stage_two_each_section_explains_when_it_starts(cast, key):
    cast.enrollment.stage = 1
    cast.enrollment.save(update_fields=["stage"])
    texts = " ".join(section_texts(page_of(cast.links[key]), key))
    assert "stage 2" in texts


@pytest.mark.parametrize("key", ["streak", "checkins", "lapses"])
def test_each_section_is_only_on_the_page_of_an_ally_who_may_see_it(history, key):
    others = [k for k in ("streak", "checkins", "lapses") if k != key]
    page = page_of(history.links[key])
    assert section_texts(page, key)
    for other in others:
        assert section_texts(page, other) == []
