"""The recovery plan and the relapse-prevention plan: versions, in session, reviews, gates."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.assessments.helpers import sign_in
from tests.recovery.helpers import today_of
from waypost.core import exports as core_exports
from waypost.core import nav
from waypost.core.models import AuditEvent, TimelineEvent
from waypost.program import gates
from waypost.recovery import prevention_content
from waypost.recovery.models import PlanReview, PreventionPlan, RecoveryPlan
from waypost.recovery.selectors import today_state
from waypost.recovery.services import plans
from waypost.recovery.services.plans import PlanError

pytestmark = pytest.mark.django_db

CIRCLES = {
    "inner": ["Watching porn on any device", "Paid chat sites"],
    "middle": ["Scrolling in bed after midnight"],
    "outer": ["A run before work", "Calling my brother"],
}


def _save(cast, by=None, **changes):
    values = {
        "start_date": today_of(cast),
        "period_days": 90,
        "circles": CIRCLES,
    }
    values.update(changes)
    return plans.save_recovery_plan(enrollment=cast.enrollment, by=by or cast.client, **values)


def _prevent(cast, by=None, content=None):
    return plans.save_prevention_plan(
        enrollment=cast.enrollment,
        by=by or cast.client,
        content=content
        or {
            "reasons": ["Being there for my kids"],
            "if_then": ["If I'm alone with my laptop after 10 → I take it to the living room"],
            "people": ["Sam (sponsor), 9123 4567"],
        },
    )


# --- the recovery plan: versions -----------------------------------------------------------------


def test_the_client_writes_their_plan_in_their_own_words(cast):
    plan = _save(cast)

    assert (plan.version, plan.period_days, plan.start_date) == (1, 90, today_of(cast))
    assert not plan.in_session
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM recovery_recoveryplan")
        assert "Paid chat sites" not in cursor.fetchone()[0]  # encrypted at rest
    event = TimelineEvent.objects.get(kind="recovery.plan_saved")
    assert event.summary == "Recovery plan written"
    assert not AuditEvent.objects.filter(what="recovery plan").exists()


def test_each_save_is_a_new_version_and_the_same_plan_twice_is_one(cast):
    first = _save(cast)
    again = _save(cast)
    second = _save(cast, period_days=60)

    assert again.pk == first.pk
    assert second.version == 2
    assert list(RecoveryPlan.objects.values_list("version", "period_days")) == [(2, 60), (1, 90)]


def test_the_clinician_writes_it_with_the_client_in_session_and_it_is_audited(cast):
    plan = _save(cast, by=cast.clinician, period_days=40)

    assert plan.in_session
    event = TimelineEvent.objects.get(kind="recovery.plan_saved")
    assert event.summary == "Recovery plan written in session"
    assert AuditEvent.objects.filter(
        actor=cast.clinician, what="recovery plan", action="change"
    ).exists()


def test_an_empty_inner_circle_is_refused_and_nothing_is_kept(cast):
    with pytest.raises(PlanError, match="at least one line in your inner circle"):
        _save(cast, circles={"outer": ["Running"]})
    assert not RecoveryPlan.objects.exists()


@pytest.mark.parametrize("days", [6, 366, 0, True, "90", None])
def test_a_period_outside_7_to_365_days_is_refused(cast, days):
    with pytest.raises(PlanError, match="from 7 to 365 days"):
        _save(cast, period_days=days)
    assert not RecoveryPlan.objects.exists()


@pytest.mark.parametrize(
    ("offset", "ok"), [(-365, True), (-366, False), (30, True), (31, False), (0, True)]
)
def test_the_start_is_at_most_a_year_back_and_30_days_ahead(cast, offset, ok):
    day = today_of(cast) + timedelta(days=offset)
    if ok:
        assert _save(cast, start_date=day).start_date == day
    else:
        with pytest.raises(PlanError):
            _save(cast, start_date=day)
        assert not RecoveryPlan.objects.exists()


def test_a_start_long_ago_is_kept_when_the_circles_change(cast):
    start = today_of(cast) - timedelta(days=300)
    _save(cast, start_date=start)

    # a hundred days later the start is more than a year back
    with time_machine.travel(timezone.now() + timedelta(days=100)):
        plan = _save(cast, start_date=start, circles={**CIRCLES, "outer": ["Swimming"]})
        with pytest.raises(PlanError, match="at most a year ago"):
            _save(cast, start_date=start + timedelta(days=1))

    assert plan.version == 2 and plan.start_date == start


def test_the_day_counter_counts_from_the_plans_start(cast):
    _save(cast, start_date=today_of(cast) - timedelta(days=9))

    state = today_state(cast.enrollment, today_of(cast))

    assert state.has_plan
    assert state.counter.start == today_of(cast) - timedelta(days=9)
    assert state.counter.total_sober_days == 9  # today counts once checked in


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("client", True),
        ("clinician", True),
        ("other_clinician", False),
        ("foreign_clinician", False),
        ("admin", False),
        ("ally_all", False),
        ("foreign_client", False),
    ],
)
def test_only_the_client_and_their_clinician_may_write_the_plans(cast, role, allowed):
    person = getattr(cast, role)
    if allowed:
        _save(cast, by=person)
        _prevent(cast, by=person)
        assert RecoveryPlan.objects.count() == PreventionPlan.objects.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            _save(cast, by=person)
        with pytest.raises(PermissionDenied):
            _prevent(cast, by=person)
        assert not RecoveryPlan.objects.exists() and not PreventionPlan.objects.exists()


def test_below_stage_2_there_is_no_plan_to_write(cast):
    with pytest.raises(PermissionDenied):
        plans.save_recovery_plan(
            enrollment=cast.foreign_enrollment,
            by=cast.foreign_client,
            start_date=today_of(cast),
            period_days=90,
            circles=CIRCLES,
        )


# --- the relapse-prevention plan -----------------------------------------------------------------


def test_the_prevention_plan_is_versioned_and_an_empty_one_is_refused(cast):
    first = _prevent(cast)
    same = _prevent(cast)
    with pytest.raises(PlanError, match="empty"):
        _prevent(cast, content={"reasons": ["  "]})
    second = _prevent(cast, by=cast.clinician)

    assert same.pk == first.pk
    assert (second.version, second.in_session) == (2, True)
    data = prevention_content.loads(second.content)
    assert data["if_then"][0].then == "I take it to the living room"
    assert data["people"][0].phone == "9123 4567"


# --- the clinician agrees and reviews ------------------------------------------------------------


def test_the_clinician_agrees_the_newest_version_once(cast):
    _save(cast)
    _save(cast, period_days=60)

    review = plans.review_plan(
        enrollment=cast.enrollment, by=cast.clinician, document="recovery", version=2
    )
    again = plans.review_plan(
        enrollment=cast.enrollment, by=cast.clinician, document="recovery", version=2
    )

    assert again.pk == review.pk
    assert PlanReview.objects.count() == 1
    event = TimelineEvent.objects.get(kind="recovery.plan_agreed")
    assert event.summary == "Recovery plan agreed with the clinician (version 2)"
    assert AuditEvent.objects.filter(actor=cast.clinician, what="recovery plan").exists()


def test_an_old_version_or_no_plan_or_an_unknown_document_is_refused(cast):
    with pytest.raises(PlanError, match="no plan to review"):
        plans.review_plan(
            enrollment=cast.enrollment, by=cast.clinician, document="prevention", version=1
        )
    _save(cast)
    _save(cast, period_days=40)
    with pytest.raises(PlanError, match="version 2 is the newest"):
        plans.review_plan(
            enrollment=cast.enrollment, by=cast.clinician, document="recovery", version=1
        )
    with pytest.raises(PlanError):
        plans.review_plan(
            enrollment=cast.enrollment, by=cast.clinician, document="diary", version=2
        )
    assert not PlanReview.objects.exists()


@pytest.mark.parametrize("role", ["client", "other_clinician", "foreign_clinician", "admin"])
def test_only_the_primary_clinician_agrees_or_reviews(cast, role):
    _save(cast)
    _prevent(cast)
    for document in ("recovery", "prevention"):
        with pytest.raises(PermissionDenied):
            plans.review_plan(
                enrollment=cast.enrollment, by=getattr(cast, role), document=document, version=1
            )
    assert not PlanReview.objects.exists()


# --- gate criteria -------------------------------------------------------------------------------


def _check(cast, key):
    [check] = [c for c in gates.checklist(cast.enrollment, stage=2) if c.criterion.key == key]
    return check


def test_the_stage_2_gate_asks_for_both_plans_with_the_clinician(cast):
    agreed = _check(cast, "recovery_plan_agreed")
    assert agreed.label == "Recovery plan agreed with the clinician"
    assert (agreed.result.met, agreed.result.detail) == (False, "Not written yet")

    _save(cast)
    _prevent(cast)
    plans.review_plan(enrollment=cast.enrollment, by=cast.clinician, document="recovery", version=1)
    assert _check(cast, "recovery_plan_agreed").result.met
    reviewed = _check(cast, "prevention_plan_reviewed")
    assert reviewed.label == "Relapse-prevention plan reviewed with the clinician"
    assert (reviewed.result.met, reviewed.result.detail) == (False, "Version 1 not yet")

    # a change after the agreement asks for another
    _save(cast, period_days=60)
    again = _check(cast, "recovery_plan_agreed").result
    assert not again.met
    assert again.detail.startswith("Version 1 was, on ")
    assert again.detail.endswith("version 2 not yet")


# --- the client's pages --------------------------------------------------------------------------


def test_the_plan_page_shows_the_day_of_the_period_and_its_end(cast, client):
    _save(cast, start_date=today_of(cast) - timedelta(days=11))
    browser = sign_in(client, cast.client)

    page = browser.get(reverse("recovery:plan")).content.decode()

    assert "Day 12 of 90" in page
    end = today_of(cast) - timedelta(days=11) + timedelta(days=89)
    assert f"ends {end.day} {end:%b %Y}" in page
    assert "Paid chat sites" in page and "A run before work" in page
    assert "Not agreed with your clinician yet" in page
    assert "<title>My plan · Waypost</title>" in page


def test_without_a_plan_the_page_invites_writing_it_and_today_offers_it(cast, client):
    browser = sign_in(client, cast.client)

    assert "Write your plan" in browser.get(reverse("recovery:plan")).content.decode()
    today = browser.get(reverse("program:today")).context
    keys = [s.key for s in [today["first_step"], *today["also_shown"], *today["also_folded"]] if s]
    assert "recovery.plan" in keys

    _save(cast)
    today = browser.get(reverse("program:today")).context
    keys = [s.key for s in [today["first_step"], *today["also_shown"], *today["also_folded"]] if s]
    assert "recovery.plan" not in keys


def test_the_edit_page_saves_a_period_of_another_length(cast, client):
    browser = sign_in(client, cast.client)
    form = browser.get(reverse("recovery:plan_edit")).content.decode()
    assert 'value="90" checked' in form.replace("\n", " ") or 'value="90"' in form

    response = browser.post(
        reverse("recovery:plan_edit"),
        {
            "period": "other",
            "period_other": "120",
            "start_date": today_of(cast).isoformat(),
            "inner": "Porn\n- Cam sites\n\n",
            "middle": "",
            "outer": "Swimming",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("recovery:plan")
    assert "Your plan is saved." in response.content.decode()
    plan = RecoveryPlan.objects.get()
    assert plan.period_days == 120
    assert "Cam sites" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"period": "other", "period_other": ""}, "Please write how many days"),
        ({"period": "other", "period_other": "400"}, "less than or equal to 365"),
        ({"period": ""}, "Please choose how many days."),
        ({"start_date": "not a day"}, "Please give the start as a date."),
        ({"start_date": "2001-01-01"}, "at most a year ago"),
        ({"inner": ""}, "at least one line in your inner circle"),
        ({"inner": "x" * 201}, "keep each line under 200 letters"),
    ],
)
def test_bad_input_shows_the_form_again_kindly_and_keeps_nothing(cast, client, changes, message):
    browser = sign_in(client, cast.client)
    data = {
        "period": "90",
        "period_other": "",
        "start_date": today_of(cast).isoformat(),
        "inner": "Porn",
        "middle": "",
        "outer": "",
    }
    data.update(changes)

    response = browser.post(reverse("recovery:plan_edit"), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RecoveryPlan.objects.exists()


def test_earlier_versions_are_listed_and_each_can_be_read(cast, client):
    _save(cast)
    _save(cast, by=cast.clinician, circles={**CIRCLES, "outer": ["Swimming"]})
    browser = sign_in(client, cast.client)

    page = browser.get(reverse("recovery:plan")).content.decode()
    assert "All versions" in page and "with Cleo Clinician in session" in page
    old = browser.get(reverse("recovery:plan_version", args=[1])).content.decode()
    assert "This is an earlier version" in old and "A run before work" in old
    assert browser.get(reverse("recovery:plan_version", args=[9])).status_code == 404


def test_the_prevention_plan_page_and_its_edit(cast, client):
    browser = sign_in(client, cast.client)
    assert (
        "No relapse-prevention plan yet"
        in browser.get(reverse("recovery:prevention")).content.decode()
    )

    response = browser.post(
        reverse("recovery:prevention_edit"),
        {
            "reasons": "My kids",
            "if_then": "If I feel the pull in bed then I get up and make tea",
            "people": "Sam, 9123 4567",
        },
        follow=True,
    )

    page = response.content.decode()
    assert "Your relapse-prevention plan is saved." in page
    assert "I get up and make tea" in page
    assert 'href="tel:91234567"' in page
    assert browser.post(reverse("recovery:prevention_edit"), {}).status_code == 400


def test_the_printable_card_puts_the_hard_moment_first_under_a_discreet_title(cast, client):
    browser = sign_in(client, cast.client)
    assert (
        "Nothing to print yet" in browser.get(reverse("recovery:prevention_card")).content.decode()
    )
    _prevent(
        cast,
        content={
            "triggers": ["Rejection"],
            "reasons": ["My kids"],
            "people": ["Sam, 9123 4567"],
            "if_then": [{"if": "Alone after 10", "then": "laptop to the living room"}],
            "learnings": [f"Learning {n}" for n in range(9)],
        },
    )

    page = browser.get(reverse("recovery:prevention_card")).content.decode()

    assert "<title>My card · Waypost</title>" in page
    assert "When it gets hard" in page
    order = [page.index(words) for words in ("Alone after 10", "My kids", "9123 4567", "Rejection")]
    assert order == sorted(order)
    assert "Learning 3" in page and "Learning 4" not in page and "and 5 more in Waypost" in page
    assert "recovery/print.css" in page


def test_a_client_below_stage_2_gets_a_kind_page_and_cannot_post(cast, client):
    browser = sign_in(client, cast.foreign_client)

    for name in ("recovery:plan", "recovery:plan_edit", "recovery:prevention_card"):
        page = browser.get(reverse(name))
        assert page.status_code == 200
        assert "Your plan starts in stage 2" in page.content.decode()
    assert browser.post(reverse("recovery:plan_edit"), {"period": "90"}).status_code == 403
    assert browser.post(reverse("recovery:prevention_edit"), {}).status_code == 403


def test_the_plan_pages_light_journey():
    for name in ("recovery:plan", "recovery:plan_edit", "recovery:prevention_card"):
        assert nav.tab_for_view(name) == "journey"
    assert nav.tab_for_view("recovery:checkin") == "today"


# --- the clinician's side ------------------------------------------------------------------------


def test_the_record_shows_the_plan_and_the_clinician_agrees_it_there(cast, client):
    _save(cast, start_date=today_of(cast) - timedelta(days=4))
    _prevent(cast)
    browser = sign_in(client, cast.clinician)
    record = reverse("caseload:record", args=[cast.enrollment.pk])

    page = browser.get(record).content.decode()
    assert "Plan and lapses" in page
    assert "Day 5 of 90" in page
    assert "Version 1 not agreed yet" in page and "not reviewed yet" in page
    assert "Paid chat sites" in page
    assert AuditEvent.objects.filter(what="recovery plans and lapses").exists()

    plan_page = browser.get(reverse("recovery:client_plan", args=[cast.enrollment.pk]))
    assert "Agree version 1 with the client" in plan_page.content.decode()
    assert AuditEvent.objects.filter(actor=cast.clinician, what="recovery plan").exists()
    response = browser.post(
        reverse("recovery:client_plan_review", args=[cast.enrollment.pk]),
        {"document": "recovery", "version": "1"},
        follow=True,
    )
    assert "Version 1 of the plan is agreed." in response.content.decode()
    browser.post(
        reverse("recovery:client_plan_review", args=[cast.enrollment.pk]),
        {"document": "prevention", "version": "1"},
    )
    page = browser.get(record).content.decode()
    assert "Version 1 agreed" in page and "reviewed" in page
    assert _check(cast, "recovery_plan_agreed").result.met
    assert _check(cast, "prevention_plan_reviewed").result.met

    # and the client sees it
    mine = sign_in(client, cast.client).get(reverse("recovery:plan")).content.decode()
    assert "Agreed with Cleo Clinician on" in mine


def test_agreeing_a_version_that_changed_meanwhile_says_so_kindly(cast, client):
    _save(cast)
    _save(cast, period_days=60)
    browser = sign_in(client, cast.clinician)

    response = browser.post(
        reverse("recovery:client_plan_review", args=[cast.enrollment.pk]),
        {"document": "recovery", "version": "1"},
        follow=True,
    )
    assert "version 2 is the newest" in response.content.decode()
    response = browser.post(
        reverse("recovery:client_plan_review", args=[cast.enrollment.pk]),
        {"document": "recovery", "version": "x"},
    )
    assert response.status_code == 302
    assert not PlanReview.objects.exists()


def test_the_clinician_edits_in_session_from_the_record(cast, client):
    browser = sign_in(client, cast.clinician)

    response = browser.post(
        reverse("recovery:client_plan_edit", args=[cast.enrollment.pk]),
        {
            "period": "40",
            "start_date": today_of(cast).isoformat(),
            "inner": "Porn",
            "middle": "",
            "outer": "",
        },
        follow=True,
    )

    assert "Plan saved, marked as written together in session." in response.content.decode()
    assert RecoveryPlan.objects.get().in_session


def test_the_clinician_of_a_client_below_stage_2_sees_a_note_and_cannot_edit(cast, client):
    browser = sign_in(client, cast.foreign_clinician)
    url = reverse("recovery:client_plan", args=[cast.foreign_enrollment.pk])

    assert "is not in stage 2 yet" in browser.get(url).content.decode()
    edit = reverse("recovery:client_plan_edit", args=[cast.foreign_enrollment.pk])
    assert browser.get(edit).status_code == 403


# --- the data download ---------------------------------------------------------------------------


def test_the_download_holds_both_plans_every_version(cast):
    _save(cast)
    _prevent(cast)
    plans.review_plan(enrollment=cast.enrollment, by=cast.clinician, document="recovery", version=1)

    [section] = [c for c in core_exports.collect(cast.client) if c.key == "recovery_plans"]

    [plan] = section.data["recovery_plan_versions"]
    assert plan["inner"] == CIRCLES["inner"] and plan["period_days"] == 90
    assert plan["agreed_at"] is not None and plan["saved_by"] == "You"
    [prevention] = section.data["prevention_plan_versions"]
    assert prevention["plan"]["people"] == [{"name": "Sam (sponsor)", "phone": "9123 4567"}]
    assert prevention["reviewed_at"] is None
