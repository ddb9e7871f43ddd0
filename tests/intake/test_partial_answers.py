"""A rough guess or a skip is fine: no topic refuses a partial answer, and what must be
fixed is named at the top of the form, which takes the focus."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.intake.helpers import fill_intake
from waypost.intake import services, summary
from waypost.intake.topics import TOPICS

pytestmark = pytest.mark.django_db


def topic_url(number: int) -> str:
    return reverse("intake:topic", kwargs={"number": number})


def saved(cast) -> dict:
    return services.intake_of(cast.enrollment).answers


def test_what_it_has_affected_saves_with_only_one_area_answered(cast, as_user):
    # given a client on topic 8, who knows only how work has been affected
    browser = as_user(cast.client)
    # when they answer that one and leave the rest blank
    response = browser.post(topic_url(8), {"work": "some"})
    # then it is saved and they move on
    assert response.status_code == 302
    assert response["Location"] == topic_url(9)
    assert saved(cast)["impairment"]["work"] == "some"
    assert saved(cast)["impairment"]["money"] == ""


@pytest.mark.parametrize("topic", TOPICS, ids=lambda t: t.key)
def test_every_topic_saves_when_left_blank(cast, as_user, topic):
    # given a client who would rather not answer this topic's questions yet
    browser = as_user(cast.client)
    # when they press Save with nothing filled in
    response = browser.post(topic_url(topic.number), {})
    # then nothing is refused: the topic is saved as it is
    assert response.status_code == 302
    assert topic.key in saved(cast)


def test_a_tried_count_without_the_longest_time_is_kept(cast, as_user):
    # when a client says they tried twice but not for how long
    response = as_user(cast.client).post(topic_url(6), {"count": "2"})
    # then it is saved as it is
    assert response.status_code == 302
    assert saved(cast)["attempts"]["count"] == 2
    assert saved(cast)["attempts"]["longest"] == ""


def test_half_a_scale_pair_is_kept_and_the_summary_copes(cast, as_user):
    # given a client who answers only the first of the two scales on topic 10
    as_user(cast.client).post(topic_url(10), {"moral_distress": "8"})
    # then it is stored as a number beside a blank
    moral = saved(cast)["moral"]
    assert moral["moral_distress"] == 8
    assert moral["control_distress"] is None
    # and the clinician's summary reads it without inventing an answer
    rows = {row.key: row for row in summary.summary_rows(saved(cast))}
    assert rows["high_moral_incongruence"].present is True
    assert "loss of control –/10" in rows["high_moral_incongruence"].answer


def test_a_topic_saved_blank_stays_unknown_in_the_summary(cast):
    # given escalation and impairment saved with every question blank
    fill_intake(
        cast.enrollment,
        cast.client,
        {
            "escalation": {"more_time": "", "more_extreme": "", "values_conflict": ""},
            "impairment": {"work": "", "relationships": "", "money": "", "legal": "", "detail": ""},
        },
    )
    # when the summary is read
    rows = {row.key: row for row in summary.summary_rows(saved(cast))}
    # then both are "not known yet", never "absent"
    assert rows["escalation"].present is None
    assert rows["serious_impairment"].present is None


def test_a_needed_fix_is_named_at_the_top_and_focused(cast, as_user):
    # given a client who gives an age out of range
    response = as_user(cast.client).post(
        topic_url(1), {"current_age": "20", "first_exposure_age": "25"}
    )
    # then the form is shown again with a summary above it that takes the focus
    assert response.status_code == 400
    page = response.content.decode()
    summary_at = page.index('id="error-summary"')
    assert summary_at < page.index('<form method="post" class="stack"')
    tag = page[page.rindex("<div", 0, summary_at) : page.index(">", summary_at)]
    assert "autofocus" in tag and 'tabindex="-1"' in tag
    # and it names the question and links to it
    assert 'href="#id_first_exposure_age"' in page
    assert "This is older than the age you are now (20)." in page
    assert saved(cast) == {}


def test_a_clean_form_has_no_summary(cast, as_user):
    response = as_user(cast.client).get(topic_url(1))
    assert 'id="error-summary"' not in response.content.decode()
