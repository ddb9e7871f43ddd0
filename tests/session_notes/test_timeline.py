"""The whole timeline: categories from the registered kinds, filters by category and days,
50 a page, newest first, and a number of queries that does not grow with the history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.assessments.helpers import sign_in
from tests.session_notes.helpers import exercise, signed
from waypost.core import event_kinds
from waypost.core.event_kinds import Category, EventKind
from waypost.core.models import AuditEvent, TimelineEvent

NOW = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # 14:00 in Singapore


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _url(cast) -> str:
    return reverse("session_notes:timeline", args=[cast.enrollment.pk])


# --- categories ------------------------------------------------------------------------


def test_every_registered_kind_falls_in_a_category_with_words():
    for kind in event_kinds.kinds():
        key = event_kinds.category_of(kind)
        assert key and str(event_kinds.category(key).label), kind.key
    keys = [c.key for c in event_kinds.categories()]
    assert len(keys) == len(set(keys))
    assert {"checkins", "urges_lapses", "measures", "stage", "sharing", "alerts", "notes"} <= set(
        keys
    )


@pytest.mark.parametrize(
    "key, category",
    [
        ("recovery.checked_in", "checkins"),
        ("recovery.urge_logged", "urges_lapses"),
        ("recovery.lapse_logged", "urges_lapses"),
        ("recovery.plan_saved", "plans"),
        ("assessments.completed", "measures"),
        ("program.stage_changed", "stage"),
        ("connect.consent_changed", "sharing"),
        ("safety.alert_raised", "alerts"),
        ("safety.plan_saved", "plans"),
        ("messaging.message_sent", "messages"),
        ("appointments.booked", "appointments"),
        ("session_notes.note_signed", "notes"),
        ("session_notes.exercise_done", "homework"),
        ("learn.module_read", "homework"),
    ],
)
def test_the_clinics_words_group_the_kinds(key, category):
    assert event_kinds.category_of(event_kinds.get(key)) == category


def test_a_kind_nobody_claims_falls_under_its_apps_name_and_its_own_category_wins():
    plain = EventKind("new_app.something", label="Something", text="Something")
    assert event_kinds.category_of(plain) == "new_app"
    assert str(event_kinds.category("new_app").label) == "New app"
    named = EventKind("recovery.checked_in_twice", label="x", text="x", category="notes")
    assert event_kinds.category_of(named) == "notes"
    # the longest start that claims a kind wins
    event_kinds.register_category(Category("test_longer", "Longer", includes=("recovery.plan_sa",)))
    try:
        assert event_kinds.category_of(event_kinds.get("recovery.plan_saved")) == "test_longer"
        assert event_kinds.category_of(event_kinds.get("recovery.plan_agreed")) == "plans"
    finally:
        event_kinds.unregister_category("test_longer")


def test_a_category_is_registered_once():
    with pytest.raises(ValueError, match="already registered"):
        event_kinds.register_category(Category("notes", "Something else"))


# --- the page ----------------------------------------------------------------------------


def _history(cast, n: int, *, start: int = 0) -> None:
    """n check-ins, lapses and notes' events, one a day back from yesterday."""
    from waypost.core import events

    for i in range(start, n):
        at = NOW - timedelta(days=i + 1)
        events.record(
            enrollment=cast.enrollment, kind="recovery.checked_in", actor=cast.client, at=at
        )
        events.record(
            enrollment=cast.enrollment, kind="recovery.lapse_logged", actor=cast.client, at=at
        )


@pytest.mark.django_db
def test_the_timeline_is_newest_first_fifty_a_page_and_audited(cast, client):
    _history(cast, 40)  # 80 events, and the cast's own (joined, stage, allies …)
    total = TimelineEvent.objects.filter(enrollment=cast.enrollment).count()
    browser = sign_in(client, cast.clinician)
    page = browser.get(_url(cast))
    text = page.content.decode()
    assert page.status_code == 200 and "<title>Timeline" in text
    assert f"{total} events" in text and "page 1 of 2" in text
    assert text.count('class="timeline-event"') == 50
    assert text.index("Sunday 1 March 2026") < text.index("Saturday 28 February 2026")
    second = browser.get(_url(cast) + "?page=2").content.decode()
    assert second.count('class="timeline-event"') == total - 50
    assert browser.get(_url(cast) + "?page=999").status_code == 200  # the last page instead
    assert AuditEvent.objects.filter(actor=cast.clinician, what="timeline").count() == 3


@pytest.mark.django_db
def test_filters_by_category_and_by_days_in_the_viewers_zone(cast, client):
    _history(cast, 5)
    signed(cast)
    exercise(cast)
    browser = sign_in(client, cast.clinician)
    text = browser.get(_url(cast) + "?category=notes&category=homework").content.decode()
    assert "Session note signed" in text and "Exercise set" in text
    assert "Lapse logged" not in text and "2 events" in text
    # 26 and 27 February, Singapore days
    text = browser.get(
        _url(cast) + "?category=urges_lapses&since=2026-02-26&until=2026-02-27"
    ).content.decode()
    assert "2 events" in text and "Friday 27 February 2026" in text
    assert "Saturday 28 February 2026" not in text
    # the pager keeps the filters
    _history(cast, 60, start=5)
    text = browser.get(_url(cast) + "?category=checkins").content.decode()
    assert "?category=checkins&amp;page=2" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "?since=2026-03-02&until=2026-03-01",
        "?since=yesterday",
        "?category=no_such_thing",
        # days far off: no time out of range (a 500), a clear error
        "?until=9999-12-31",
        "?since=0001-01-01",  # before the start of time once in Singapore's zone
        "?since=1999-12-31",
        "?until=2026-03-04",
    ],
)
def test_filters_that_make_no_sense_are_said_so_with_400(cast, client, query):
    page = sign_in(client, cast.clinician).get(_url(cast) + query)
    assert page.status_code == 400
    assert 'role="alert"' in page.content.decode()


@pytest.mark.django_db
def test_days_are_bounded_from_2000_to_tomorrow_and_the_error_says_so(cast, client):
    browser = sign_in(client, cast.clinician)
    page = browser.get(_url(cast) + "?since=2000-01-01&until=2026-03-03")
    assert page.status_code == 200
    page = browser.get(_url(cast) + "?since=0001-01-01&until=9999-12-31")
    assert page.status_code == 400
    assert "Please choose a day between 1 Jan 2000 and 3 Mar 2026." in page.content.decode()


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_history(cast, client):
    browser = sign_in(client, cast.clinician)
    _history(cast, 2)
    browser.get(_url(cast))

    def count(query: str = "") -> int:
        with CaptureQueriesContext(connection) as captured:
            assert browser.get(_url(cast) + query).status_code == 200
        return len(captured.captured_queries)

    few, few_filtered = count(), count("?category=checkins&since=2026-01-01")
    _history(cast, 120, start=2)
    assert count() == few
    assert count("?category=checkins&since=2026-01-01") == few_filtered
    assert count("?page=3") == few


@pytest.mark.django_db
def test_the_record_shows_the_latest_ten_and_leads_to_the_whole_timeline(cast, client):
    _history(cast, 10)
    page = sign_in(client, cast.clinician).get(
        reverse("caseload:record", args=[cast.enrollment.pk])
    )
    text = page.content.decode()
    card = text[text.index('id="timeline-heading"') :]
    card = card[: card.index("</section>")]
    assert card.count("<li>") == 10
    assert "See the whole timeline" in card and _url(cast) in card
