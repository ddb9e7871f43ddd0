"""Bad intake answers get a plain message and change nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.intake.helpers import fill_intake
from waypost.intake import services

pytestmark = pytest.mark.django_db


def topic_url(number: int) -> str:
    return reverse("intake:topic", kwargs={"number": number})


def saved(cast) -> dict:
    return services.intake_of(cast.enrollment).answers


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"current_age": "4", "first_exposure_age": "4"}, "Please enter an age between 5 and 99."),
        (
            {"current_age": "100", "first_exposure_age": "12"},
            "Please enter an age between 5 and 99.",
        ),
        ({"current_age": "thirty", "first_exposure_age": "12"}, "between 5 and 99"),
        (
            {"current_age": "20", "first_exposure_age": "25"},
            "This is older than the age you are now (20).",
        ),
    ],
)
def test_ages_must_be_plausible(cast, as_user, data, message):
    # given a client on the first topic
    browser = as_user(cast.client)
    # when they send an impossible age
    response = browser.post(topic_url(1), data)
    # then they see why, and nothing is saved
    assert response.status_code == 400
    assert message in response.content.decode()
    assert saved(cast) == {}


def test_years_of_use_cannot_exceed_age(cast, as_user):
    # given a client who said they are 20 (first exposure unknown: not saved yet)
    fill_intake(
        cast.enrollment,
        cast.client,
        {"first_exposure": {"current_age": 20, "first_exposure_age": 20}},
    )
    browser = as_user(cast.client)
    # when they say it has been a problem for 21 years
    response = browser.post(topic_url(2), {"years": "21"})
    # then they are asked to check the number
    assert response.status_code == 400
    assert "That is more years than your age (20)" in response.content.decode()
    assert "duration" not in saved(cast)


def test_years_of_use_cannot_start_before_first_exposure(cast, as_user):
    # given a client aged 30 who first came across it at 25
    fill_intake(
        cast.enrollment,
        cast.client,
        {"first_exposure": {"current_age": 30, "first_exposure_age": 25}},
    )
    browser = as_user(cast.client)
    # when they give 6 years
    response = browser.post(topic_url(2), {"years": "6"})
    # then the message names both ages and the most it can be
    body = response.content.decode()
    assert response.status_code == 400
    assert "You first came across it at 25 and you are 30, so this can be at most 5 years" in body
    # and 5 years is accepted
    assert browser.post(topic_url(2), {"years": "5"}).status_code == 302
    assert saved(cast)["duration"] == {"years": 5}


def test_changing_ages_later_is_checked_against_the_years_already_given(cast, as_user):
    # given ages and 12 years saved
    fill_intake(cast.enrollment, cast.client, only={"first_exposure", "duration"})
    browser = as_user(cast.client)
    # when they change their age to 20 with first exposure at 11 (only 9 years possible)
    response = browser.post(topic_url(1), {"current_age": "20", "first_exposure_age": "11"})
    # then they are told which numbers disagree, and the ages stay as they were
    assert response.status_code == 400
    assert "for 12 years" in response.content.decode()
    assert saved(cast)["first_exposure"]["current_age"] == 34


@pytest.mark.parametrize(
    ("hours", "ok"),
    [
        ("0", True),
        ("168", True),
        ("12.5", True),
        ("168.5", False),
        ("-1", False),
        ("2.25", False),
        ("NaN", False),
        ("1e400", False),
    ],
)
def test_hours_per_week_lie_between_0_and_168(cast, as_user, hours, ok):
    browser = as_user(cast.client)
    response = browser.post(topic_url(3), {"sessions_per_week": "3", "hours_per_week": hours})
    if ok:
        assert response.status_code == 302
        assert saved(cast)["frequency"]["hours_per_week"] == float(hours)
    else:
        assert response.status_code == 400
        assert "frequency" not in saved(cast)
        body = response.content.decode()
        assert "between 0 and 168" in body or "one decimal place" in body


def test_sessions_per_week_have_a_ceiling(cast, as_user):
    response = as_user(cast.client).post(
        topic_url(3), {"sessions_per_week": "500", "hours_per_week": "3"}
    )
    assert response.status_code == 400
    assert "Please enter a whole number between 0 and 100." in response.content.decode()


def test_words_without_the_tick_count_as_something_else(cast, as_user):
    browser = as_user(cast.client)
    # when words are written for "something else" without ticking it
    browser.post(topic_url(4), {"other": "Erotic audio stories"})
    # then the tick is added for them
    assert saved(cast)["activities"] == {"kinds": ["other"], "other": "Erotic audio stories"}


def test_unknown_choices_are_refused(cast, as_user):
    browser = as_user(cast.client)
    response = browser.post(
        topic_url(5), {"more_time": "maybe", "more_extreme": "yes", "values_conflict": "no"}
    )
    assert response.status_code == 400
    assert "Please choose one of the answers shown." in response.content.decode()
    response = browser.post(topic_url(10), {"moral_distress": "11", "control_distress": "3"})
    assert response.status_code == 400
    assert saved(cast) == {}


def test_free_text_has_a_limit(cast, as_user):
    response = as_user(cast.client).post(
        topic_url(7), {"conditions": ["anxiety"], "treatment": "x" * 2001}
    )
    assert response.status_code == 400
    assert "Please keep this under 2000 characters." in response.content.decode()


@pytest.mark.parametrize("number", [0, 11, 999])
def test_topics_that_do_not_exist_are_not_found(cast, as_user, number):
    assert as_user(cast.client).get(topic_url(number)).status_code == 404


def test_the_moral_scale_is_stored_as_numbers(cast, as_user):
    as_user(cast.client).post(
        topic_url(10), {"moral_distress": "7", "control_distress": "4", "note": "  "}
    )
    assert saved(cast)["moral"] == {"moral_distress": 7, "control_distress": 4, "note": ""}
