"""Today leads with one next step, lists the rest briefly, shows the next session in the
client's own time, and folds the stable cards away."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.program import scenarios
from waypost.program.today import ENCOURAGEMENTS, SHOWN_UNDER_FIRST, encouragement_for, when_label

pytestmark = pytest.mark.django_db

TODAY = reverse("program:today")
STEP = re.compile(r'data-step="([^"]+)"')


def _page(client, user) -> str:
    client.force_login(user)
    response = client.get(TODAY)
    assert response.status_code == 200
    return response.content.decode()


def _section(html: str, marker: str, end: str = "</section>") -> str:
    start = html.index(marker)
    return html[start : html.index(end, start)]


# --- the next steps ------------------------------------------------------------------------


def test_the_most_urgent_step_leads_and_the_rest_follow_in_order(cast, client):
    # given a client with questionnaires, reading, a request, unfinished history and no plan
    scenarios.busy(cast)
    gad7 = cast.enrollment.measure_forms.get(instrument_id="gad-7")
    phq9 = cast.enrollment.measure_forms.get(instrument_id="phq-9")
    from waypost.learn.content import library

    first_core = library().core[0].slug
    # when they open Today
    html = _page(client, cast.client)
    # then every step shows once, most urgent first:
    assert STEP.findall(html) == [
        f"assessments.form.{gad7.pk}",  # closes within two days
        f"assessments.form.{phq9.pk}",  # asked for, with a closing date
        "learn.triggers-and-the-chain",  # asked for (by the order the apps registered)
        "motivation.balance",
        "intake.history",  # their own unfinished work
        "recovery.device_plan",  # their own work not begun yet (by registration order)
        "intake.story",
        f"learn.{first_core}",  # gentle suggestions
        "motivation.readiness",
        "safety.plan",  # worth doing once, never pressing
    ]
    # the first as a large card with a primary button, right under the greeting
    card = _section(html, 'class="card next-step"')
    assert 'id="next-step-heading">Worry questionnaire</h2>' in card
    assert "button-primary" in card
    assert html.index("Hello, Sam Client") < html.index('class="card next-step"')
    # then three more, and the rest folded behind "6 more things"
    also = _section(html, 'id="also-waiting-heading"')
    shown = also[: also.index('<details class="more-steps">')]
    assert len(STEP.findall(shown)) == SHOWN_UNDER_FIRST
    assert "6 more things" in also


def test_a_step_that_is_the_first_is_not_repeated_below(cast, client):
    scenarios.busy(cast)
    html = _page(client, cast.client)
    assert html.count("Worry questionnaire") == 2  # the heading, and its button's hidden name
    assert html.count('data-step="assessments.form.') == 2  # GAD-7 on top, PHQ-9 below


def test_with_nothing_waiting_today_says_so_kindly_and_points_at_the_journey(cast, client):
    scenarios.quiet(cast)
    html = _page(client, cast.client)
    assert STEP.findall(html) == []
    card = _section(html, 'class="card next-step calm"')
    assert "Nothing is waiting for you today" in card
    assert f'href="{reverse("program:journey")}"' in card
    assert f'href="{reverse("learn:library")}"' in card
    assert "Also waiting" not in html


def test_get_help_now_is_only_in_the_header(cast, client):
    html = _page(client, cast.client)
    assert html.count(">Get help now</a>") == 1
    header = _section(html, '<header class="site-header">', "</header>")
    assert ">Get help now</a>" in header


def test_the_clinician_and_the_journey_are_folded_away(cast, client):
    html = _page(client, cast.client)
    fold = _section(html, '<details class="card fold">', "</details>")
    assert "Your clinician and your journey" in fold
    assert "Cleo Clinician, North Clinic" in fold
    assert 'aria-label="The four stages of the program"' in fold
    assert '<details class="card fold" open' not in html


def test_another_clients_things_never_show(cast, client):
    scenarios.busy(cast)
    html = _page(client, cast.foreign_client)
    keys = STEP.findall(html)
    assert not [k for k in keys if k.startswith(("assessments.", "learn.triggers", "motivation.b"))]
    assert "Coming up" not in html


# --- the kind line -------------------------------------------------------------------------


def test_the_line_is_the_same_all_day_and_changes_the_next():
    day = date(2030, 6, 10)
    assert encouragement_for(day) == encouragement_for(date(2030, 6, 10))
    for offset in range(60):
        one = day + timedelta(days=offset)
        assert encouragement_for(one) != encouragement_for(one + timedelta(days=1))
    # and over as many days as there are lines, each is used once
    used = {str(encouragement_for(day + timedelta(days=n))) for n in range(len(ENCOURAGEMENTS))}
    assert len(used) == len(ENCOURAGEMENTS)


def test_the_lines_are_kind_and_never_about_starting_over():
    assert 8 <= len(ENCOURAGEMENTS) <= 12
    banned = re.compile(r"clean|dirty|relapse|reset|addict|fail|zero|streak", re.I)
    for line in ENCOURAGEMENTS:
        assert not banned.search(str(line)), line


def test_the_page_picks_the_line_by_the_clients_own_date(cast, client):
    # 20:00 in London on 10 June is already 04:00 on 11 June in Singapore, the client's zone
    with time_machine.travel(datetime(2030, 6, 10, 20, 0, tzinfo=UTC), tick=False):
        first = _page(client, cast.client)
    assert str(encouragement_for(date(2030, 6, 11))) in first
    assert str(encouragement_for(date(2030, 6, 10))) not in first
    # later the same local day: the same line
    with time_machine.travel(datetime(2030, 6, 11, 14, 0, tzinfo=UTC), tick=False):
        assert str(encouragement_for(date(2030, 6, 11))) in _page(client, cast.client)
    # the next local day: another
    with time_machine.travel(datetime(2030, 6, 11, 16, 30, tzinfo=UTC), tick=False):
        later = _page(client, cast.client)
    assert str(encouragement_for(date(2030, 6, 12))) in later
    assert str(encouragement_for(date(2030, 6, 11))) not in later


# --- the next session ----------------------------------------------------------------------

MONDAY_MORNING = datetime(2030, 6, 10, 2, 0, tzinfo=UTC)  # 10:00 on Monday in Singapore
THURSDAY_AFTERNOON = datetime(2030, 6, 13, 8, 0, tzinfo=UTC)  # 16:00 on Thursday in Singapore


def _plan(cast, starts_at: datetime):
    from waypost.assessments.services import plan_session

    return plan_session(enrollment=cast.enrollment, starts_at=starts_at, by=cast.clinician)


def test_the_next_session_shows_in_the_clients_time_zone(cast, client):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        _plan(cast, THURSDAY_AFTERNOON)
        _plan(cast, THURSDAY_AFTERNOON + timedelta(days=7))
        html = _page(client, cast.client)
    coming = _section(html, 'id="coming-up-heading"')
    # the clinic's zone (Singapore), as the client has none of their own
    assert "Thursday at 4 p.m." in coming
    assert "Your session with Cleo Clinician" in coming
    assert coming.count("Your session with") == 1  # only the next one
    # and in the client's own zone once they choose one
    cast.client.time_zone = "Europe/London"
    cast.client.save(update_fields=["time_zone"])
    with time_machine.travel(MONDAY_MORNING, tick=False):
        html = _page(client, cast.client)
    assert "Thursday at 9 a.m." in _section(html, 'id="coming-up-heading"')


def test_a_cancelled_session_is_not_shown(cast, client):
    from waypost.assessments.services import cancel_session

    with time_machine.travel(MONDAY_MORNING, tick=False):
        session = _plan(cast, THURSDAY_AFTERNOON)
        cancel_session(session=session, by=cast.clinician)
        html = _page(client, cast.client)
    assert "Coming up" not in html
    assert "Your session with" not in html


def test_a_past_session_is_not_shown(cast, client):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        _plan(cast, THURSDAY_AFTERNOON)
    with time_machine.travel(THURSDAY_AFTERNOON + timedelta(minutes=1), tick=False):
        html = _page(client, cast.client)
    assert "Your session with" not in html


@pytest.mark.parametrize(
    ("moment", "label"),
    [
        (datetime(2030, 6, 10, 8, 0, tzinfo=UTC), "Today at 4 p.m."),
        (datetime(2030, 6, 11, 1, 30, tzinfo=UTC), "Tomorrow at 9:30 a.m."),
        (datetime(2030, 6, 16, 4, 0, tzinfo=UTC), "Sunday at noon"),
        (datetime(2030, 6, 17, 8, 0, tzinfo=UTC), "Monday 17 June at 4 p.m."),
    ],
)
def test_when_a_session_is_said_in_words(moment, label):
    with timezone.override("Asia/Singapore"):
        assert when_label(moment, date(2030, 6, 10)) == label
