"""The caseload: needs attention first, sorted by any column, filtered, a page at a time."""

from __future__ import annotations

import re
import uuid
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.cast import make_user
from waypost.assessments.models import Administration
from waypost.caseload import views
from waypost.caseload.messages.models import Message
from waypost.core.models import AuditEvent
from waypost.program.models import Enrollment
from waypost.program.services import change_stage, enroll_client
from waypost.recovery.warnings.models import EarlyWarning
from waypost.safety.services import raise_alert

pytestmark = pytest.mark.django_db

ROW_NAME = re.compile(r'<th scope="row" class="col-client"><a href="[^"]*">([^<]+)</a>')


def _client(cast, name: str, *, stage: int = 1, days_ago: int = 20) -> Enrollment:
    enrollment = enroll_client(
        client=make_user(f"{name.lower().replace(' ', '.')}@north.test", name),
        clinician_profile=cast.clinician_profile,
        by=cast.clinician,
        at=timezone.now() - timedelta(days=days_ago),
    )
    for step in range(2, stage + 1):
        change_stage(
            enrollment=enrollment,
            to_stage=step,
            reason="Ready.",
            by=cast.clinician,
            at=timezone.now() - timedelta(days=days_ago - step),
        )
    enrollment.refresh_from_db()
    return enrollment


def _alert(enrollment: Enrollment, n: int = 1) -> None:
    for _ in range(n):
        raise_alert(enrollment=enrollment, kind="x", summary="s", source_label="s", notify=False)


def _warning(enrollment: Enrollment) -> None:
    now = timezone.now()
    EarlyWarning.objects.create(
        enrollment=enrollment,
        rule="recovery.check_ins_missed",
        numbers={"days": 3},
        raised_at=now,
        updated_at=now,
    )


def _unread(enrollment: Enrollment) -> None:
    Message.objects.create(
        enrollment=enrollment,
        sender=enrollment.client,
        from_client=True,
        body="Hello",
        client_uuid=uuid.uuid4(),
    )


def _missed_form(enrollment: Enrollment, *, days_ago: int = 3) -> None:
    now = timezone.now()
    Administration.objects.create(
        enrollment=enrollment,
        instrument_id="gad-7",
        status=Administration.Status.EXPIRED,
        opens_at=now - timedelta(days=days_ago + 7),
        closes_at=now - timedelta(days=days_ago),
    )


def _names(browser, **params) -> list[str]:
    response = browser.get(reverse("caseload:list"), params)
    assert response.status_code == 200
    return ROW_NAME.findall(response.content.decode())


@pytest.fixture
def browser(cast, client):
    client.force_login(cast.clinician)
    return client


# --- needs attention first ------------------------------------------------------------------


def test_needs_attention_first_puts_risk_then_warnings_messages_and_missed_forms(cast, browser):
    # given clients in Stage 1, each with one reason for attention (and two calm ones)
    calm_b, calm_a = _client(cast, "Bea Calm"), _client(cast, "Abe Calm")
    missed = _client(cast, "Mo Missed")
    _missed_form(missed)
    unread = _client(cast, "Una Unread")
    _unread(unread)
    warned = _client(cast, "Wes Warned")
    _warning(warned)
    alerted_z, alerted_a = _client(cast, "Zed Alerted"), _client(cast, "Ann Alerted")
    _alert(alerted_z)
    _alert(alerted_a)
    # a warning, a message and a missed form together still weigh less than one alert
    everything = _client(cast, "Eve Everything")
    _warning(everything)
    _unread(everything)
    _missed_form(everything)
    # when the clinician opens the caseload (Stage 1: the cast's own client is in Stage 2)
    names = _names(browser, stage=1)
    # then risk comes first (ties by name), then the sum of the other weights, calm last
    assert names == [
        "Ann Alerted",
        "Zed Alerted",
        "Eve Everything",
        "Wes Warned",
        "Una Unread",
        "Mo Missed",
        "Abe Calm",
        "Bea Calm",
    ]
    assert calm_a and calm_b


def test_the_cell_that_needs_attention_is_marked_and_the_order_explained(cast, browser):
    _alert(_client(cast, "Ann Alerted"))
    html = browser.get(reverse("caseload:list")).content.decode()
    assert "needs attention first (risk alerts weigh most), then by name" in html
    row = html[html.index("Ann Alerted") : html.index("</tr>", html.index("Ann Alerted"))]
    assert 'class="flag" data-label="Risk alerts"' in row


def test_only_those_who_need_attention(cast, browser):
    _alert(_client(cast, "Ann Alerted"))
    _client(cast, "Abe Calm")
    assert _names(browser, show="attention", stage=1) == ["Ann Alerted"]


# --- sorting --------------------------------------------------------------------------------


def test_sorting_by_name_both_ways_with_aria_sort_and_a_link_that_flips_it(cast, browser):
    for name in ("Cyd Three", "Abe One", "Bo Two"):
        _client(cast, name)
    assert _names(browser, stage=1, sort="name") == ["Abe One", "Bo Two", "Cyd Three"]
    assert _names(browser, stage=1, sort="name", dir="desc") == ["Cyd Three", "Bo Two", "Abe One"]
    html = browser.get(reverse("caseload:list"), {"stage": 1, "sort": "name"}).content.decode()
    header = re.search(r'<th scope="col" class="col-client"([^>]*)><a href="([^"]*)"', html)
    assert header is not None
    assert 'aria-sort="ascending"' in header.group(1)
    # the header's link keeps the filter and turns the order round
    assert header.group(2).replace("&amp;", "&") == "?stage=1&sort=name&dir=desc"
    # the usual order has no aria-sort on the name
    usual = browser.get(reverse("caseload:list")).content.decode()
    assert 'class="col-client" aria-sort' not in usual


def test_sorting_by_a_column_puts_clients_without_a_cell_last_either_way(cast, browser):
    two, one, none_b, none_a = (
        _client(cast, "Tia Two"),
        _client(cast, "Oli One"),
        _client(cast, "Nat None"),
        _client(cast, "Ned None"),
    )
    _alert(two, 2)
    _alert(one, 1)
    assert none_a and none_b
    most_first = _names(browser, stage=1, sort="safety.alerts")
    assert most_first == ["Tia Two", "Oli One", "Nat None", "Ned None"]
    fewest_first = _names(browser, stage=1, sort="safety.alerts", dir="asc")
    assert fewest_first == ["Oli One", "Tia Two", "Nat None", "Ned None"]
    html = browser.get(reverse("caseload:list"), {"sort": "safety.alerts"}).content.decode()
    assert re.search(r'<th scope="col" aria-sort="descending"><a href="[^"]*">Risk alerts', html)


def test_sorting_by_stage_and_by_days_in_stage(cast, browser):
    _client(cast, "Early Two", stage=2, days_ago=50)
    _client(cast, "Late Two", stage=2, days_ago=10)
    _client(cast, "Some One", stage=1, days_ago=5)
    stage = [n for n in _names(browser, sort="stage") if n != "Sam Client"]
    assert stage == ["Some One", "Early Two", "Late Two"]
    longest = [n for n in _names(browser, sort="days") if n != "Sam Client"]
    assert longest.index("Early Two") < longest.index("Late Two")
    shortest = [n for n in _names(browser, sort="days", dir="asc") if n != "Sam Client"]
    assert shortest.index("Some One") < shortest.index("Late Two") < shortest.index("Early Two")


def test_the_next_appointment_sorts_soonest_first(cast, browser):
    from waypost.caseload.appointments import services
    from waypost.caseload.appointments.models import Booking

    today = timezone.localdate()
    for name, days in (("Far Later", 20), ("Near Soon", 3)):
        services.book_appointment(
            enrollment=_client(cast, name),
            by=cast.clinician,
            plan=services.Plan(
                first_day=today + timedelta(days=days),
                start_time=time(10, 0),
                duration_minutes=50,
                mode=Booking.Mode.IN_PERSON,
                place="Room 3",
            ),
        )
    _client(cast, "Al Nothing")
    names = _names(browser, stage=1, sort="appointments.next")
    assert names == ["Near Soon", "Far Later", "Al Nothing"]


# --- filters --------------------------------------------------------------------------------


def test_the_name_search_ignores_case_and_is_kept_in_every_link(cast, browser):
    _client(cast, "Dana Lim")
    _client(cast, "Lim Wei")
    _client(cast, "Omar Haddad")
    assert sorted(_names(browser, q="  LIM ")) == ["Dana Lim", "Lim Wei"]
    html = browser.get(reverse("caseload:list"), {"q": "lim", "stage": "1"}).content.decode()
    assert 'value="lim"' in html
    links = re.findall(r'<th scope="col"[^>]*><a href="([^"]*)"', html)
    assert links and all("q=lim" in link and "stage=1" in link for link in links)
    assert "Nobody matches" in browser.get(reverse("caseload:list"), {"q": "zzz"}).content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "password"},
        {"sort": "safety.alerts'--", "dir": "sideways"},
        {"dir": "up"},
        {"stage": "9"},
        {"stage": "x"},
        {"page": "abc"},
        {"page": "-3"},
        {"page": "99999999999999999999"},
        {"show": "everything"},
        {"q": "x" * 5000},
        {"q": "Ann\x00Alerted"},  # PostgreSQL refuses NUL in text
        {"q": "\x1b[2J"},
    ],
)
def test_nonsense_in_the_url_is_ignored_never_an_error(cast, browser, params):
    _alert(_client(cast, "Ann Alerted"))
    _client(cast, "Abe Calm")
    response = browser.get(reverse("caseload:list"), params)
    assert response.status_code == 200
    if "q" not in params:
        names = ROW_NAME.findall(response.content.decode())
        assert names[0] == "Ann Alerted"  # the usual order, or the filter asked for
        assert "Abe Calm" in names


def test_control_characters_are_left_out_of_the_search(cast, browser):
    _client(cast, "Ann Alerted")
    html = browser.get(reverse("caseload:list"), {"q": "Ann\x00"}).content.decode()
    assert ROW_NAME.findall(html) == ["Ann Alerted"]
    assert 'value="Ann"' in html


def test_a_long_search_is_cut_to_a_hundred_characters(cast, browser):
    html = browser.get(reverse("caseload:list"), {"q": "a" * 500}).content.decode()
    assert 'value="' + "a" * 100 + '"' in html and "a" * 101 not in html


# --- pages ----------------------------------------------------------------------------------


def test_a_page_at_a_time_with_the_filters_kept_and_only_those_shown_audited(
    cast, browser, monkeypatch
):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for name in ("Ab", "Bc", "Cd", "De", "Ef"):
        _client(cast, f"{name} Client")
    before = AuditEvent.objects.count()
    first = browser.get(reverse("caseload:list"), {"stage": 1, "sort": "name"}).content.decode()
    assert ROW_NAME.findall(first) == ["Ab Client", "Bc Client"]
    assert AuditEvent.objects.count() == before + 2
    assert "5 clients" in first and "showing 1–2" in first
    link = re.search(r'<a href="([^"]*)" rel="next">', first)
    assert link is not None
    assert link.group(1).replace("&amp;", "&") == "?stage=1&sort=name&page=2"
    assert _names(browser, stage=1, sort="name", page=3) == ["Ef Client"]
    # a page past the end shows the last
    assert _names(browser, stage=1, sort="name", page=40) == ["Ef Client"]
