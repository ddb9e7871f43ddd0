"""Assigning measures: once, every N weeks, before each session; refusals; ending a schedule."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from tests.assessments.helpers import assign, page, sign_in
from waypost.assessments import services
from waypost.assessments.models import Administration, Assignment, Session
from waypost.assessments.services import MeasureError
from waypost.core.models import AuditEvent, TimelineEvent

pytestmark = pytest.mark.django_db


def _forms(cast):
    return Administration.objects.filter(enrollment=cast.enrollment).order_by("opens_at")


# --- once ------------------------------------------------------------------------------


def test_once_opens_a_form_at_once_for_the_window(cast):
    # given a moment the clinician assigns PHQ-9 once, open for 5 days
    now = timezone.now()
    # when they assign it
    assignment = assign(cast, "phq-9", window_days=5, at=now)
    # then one form is open from now for 5 days, for that instrument and version
    form = _forms(cast).get()
    assert form.assignment == assignment
    assert form.status == Administration.Status.OPEN
    assert form.instrument_id == "phq-9" and form.instrument_version == "1.0"
    assert (form.opens_at, form.closes_at) == (now, now + timedelta(days=5))
    assert form.answers == {} and form.total is None


def test_once_never_opens_a_second_form_even_after_the_first_closes(cast):
    # given a once-assignment whose form closed unanswered
    now = timezone.now()
    assign(cast, "gad-7", window_days=3, at=now)
    services.expire_closed_forms(now=now + timedelta(days=3))
    # when forms are opened again, weeks later
    created = services.open_due_forms(enrollment=cast.enrollment, now=now + timedelta(weeks=5))
    # then nothing new: "once" means once
    assert created == []
    assert list(_forms(cast).values_list("status", flat=True)) == ["expired"]


def test_assign_writes_the_audit_trail_and_the_timeline(cast):
    # when the clinician assigns WHO-5
    assignment = assign(cast, "who-5")
    # then the audit trail notes the change by the clinician, about this client
    event = AuditEvent.objects.get(what="measure assigned")
    assert (event.actor, event.client, event.action) == (cast.clinician, cast.client, "change")
    # and the timeline says which questionnaire, and who
    line = TimelineEvent.objects.get(enrollment=cast.enrollment, kind="assessments.assigned")
    assert line.summary == "WHO-5 was assigned"
    assert line.actor == cast.clinician
    assert line.data == {"assignment": assignment.pk, "instrument": "who-5"}


# --- every N weeks ---------------------------------------------------------------------


def test_every_n_weeks_opens_the_latest_occurrence_only_after_a_gap(cast):
    # given PHQ-9 every 2 weeks from a start about 4.5 weeks ago, with nothing run since
    start = timezone.now() - timedelta(weeks=4, days=3)
    assignment = assign(cast, "phq-9", schedule="weeks", every_weeks=2, window_days=7, at=start)
    first = _forms(cast).get()
    assert first.opens_at == start
    services.expire_closed_forms(now=start + timedelta(weeks=1))
    # when forms are opened four and a half weeks later
    later = start + timedelta(weeks=4, days=3)
    created = services.open_due_forms(enrollment=cast.enrollment, now=later)
    # then only the latest occurrence (week 4) opens: the missed week-2 form is not made up
    assert [f.opens_at for f in created] == [start + timedelta(weeks=4)]
    assert created[0].closes_at == start + timedelta(weeks=4, days=7)
    assert created[0].assignment == assignment
    assert _forms(cast).count() == 2


def test_every_n_weeks_opens_nothing_when_the_latest_occurrence_already_closed(cast):
    # given PHQ-9 every 2 weeks, open 3 days each time, from a start five weeks ago
    start = timezone.now() - timedelta(weeks=5)
    assign(cast, "phq-9", schedule="weeks", every_weeks=2, window_days=3, at=start)
    # when the sweep next runs in week 5, after the week-4 form's three days are over
    created = services.open_due_forms(now=start + timedelta(weeks=5))
    # then nothing opens late, and nothing is made up: the next form waits for week 6
    assert created == []
    assert _forms(cast).count() == 1
    assert [f.opens_at for f in services.open_due_forms(now=start + timedelta(weeks=6))] == [
        start + timedelta(weeks=6)
    ]


def test_every_n_weeks_opens_a_new_form_each_period_and_only_once(cast):
    # given PHQ-9 every 2 weeks, assigned now
    start = timezone.now() - timedelta(weeks=3)
    assign(cast, "phq-9", schedule="weeks", every_weeks=2, window_days=7, at=start)
    # when the sweep runs again and again within the first period
    for days in (1, 6, 13):
        assert services.open_due_forms(now=start + timedelta(days=days)) == []
    # then after 2 weeks a new form opens, exactly once however often the sweep runs
    second = services.open_due_forms(now=start + timedelta(weeks=2, minutes=1))
    assert [f.opens_at for f in second] == [start + timedelta(weeks=2)]
    assert services.open_due_forms(now=start + timedelta(weeks=2, hours=5)) == []
    assert _forms(cast).count() == 2


def test_a_window_longer_than_the_period_is_cut_to_the_period(cast):
    # given every week, with 10 days to fill each form in
    start = timezone.now() - timedelta(days=2)
    assign(cast, "gad-7", schedule="weeks", every_weeks=1, window_days=10, at=start)
    # then each form closes when the next one opens
    assert _forms(cast).get().closes_at == start + timedelta(weeks=1)


def test_ending_a_schedule_stops_new_forms_but_keeps_the_open_one(cast):
    # given a weekly schedule with its first form open
    start = timezone.now() - timedelta(days=3)
    assignment = assign(cast, "phq-9", schedule="weeks", every_weeks=1, window_days=5, at=start)
    # when the clinician ends it
    services.end_assignment(assignment=assignment, by=cast.clinician)
    # then no later form opens, the open one stays open, and the change is audited
    assert services.open_due_forms(now=start + timedelta(weeks=3)) == []
    assert _forms(cast).get().status == Administration.Status.OPEN
    assignment.refresh_from_db()
    assert assignment.ended_at is not None and not assignment.is_active
    assert AuditEvent.objects.filter(
        what="measure schedule ended", actor=cast.clinician, client=cast.client
    ).exists()


def test_ending_a_schedule_through_the_page(cast, client):
    # given a schedule
    assignment = assign(cast, "who-5", schedule="weeks", every_weeks=4)
    browser = sign_in(client, cast.clinician)
    # when the clinician presses End on the measures page
    url = reverse("assessments:end_assignment", args=[cast.enrollment.pk, assignment.pk])
    response = browser.post(url)
    # then they are back on the page, which lists no current schedule any more
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "assessments:clinician_measures", args=[cast.enrollment.pk]
    )
    assignment.refresh_from_db()
    assert assignment.ended_at is not None
    after = page(browser.get(response["Location"]))
    assert "Schedule ended" in after


def test_forms_do_not_open_for_an_enrollment_that_has_ended(cast):
    # given a weekly schedule, and the client's program ended
    start = timezone.now() - timedelta(days=1)
    assign(cast, "phq-9", schedule="weeks", every_weeks=1, at=start)
    type(cast.enrollment).objects.filter(pk=cast.enrollment.pk).update(status="ended")
    # then the next week's form does not open
    assert services.open_due_forms(now=start + timedelta(weeks=1, minutes=1)) == []


# --- before each session ---------------------------------------------------------------


def test_before_session_opens_two_days_ahead_and_closes_when_the_session_starts(cast):
    # given PHQ-9 before each session, and a session in five days
    now = timezone.now()
    assign(cast, "phq-9", schedule="session", at=now)
    session_at = now + timedelta(days=5)
    services.plan_session(enrollment=cast.enrollment, starts_at=session_at, by=cast.clinician)
    assert not _forms(cast).exists()
    # when the sweep runs just under, then just over, two days before the session
    assert services.open_due_forms(now=session_at - timedelta(days=2, minutes=1)) == []
    created = services.open_due_forms(now=session_at - timedelta(days=2) + timedelta(minutes=1))
    # then one form opens two days ahead and closes as the session starts
    assert [(f.opens_at, f.closes_at) for f in created] == [
        (session_at - timedelta(days=2), session_at)
    ]
    assert services.open_due_forms(now=session_at - timedelta(hours=1)) == []
    # and once the session starts the unfinished form expires
    assert services.expire_closed_forms(now=session_at) == 1
    assert _forms(cast).get().status == Administration.Status.EXPIRED


def test_a_session_planned_within_two_days_opens_the_form_at_once(cast):
    # given PHQ-9 before each session
    assign(cast, "phq-9", schedule="session")
    # when the clinician plans a session tomorrow
    session = services.plan_session(
        enrollment=cast.enrollment, starts_at=timezone.now() + timedelta(days=1), by=cast.clinician
    )
    # then the form is open now, until the session starts
    form = _forms(cast).get()
    assert form.is_open and form.closes_at == session.starts_at
    assert AuditEvent.objects.filter(what="session planned", actor=cast.clinician).exists()


def test_a_cancelled_session_opens_nothing(cast):
    # given PHQ-9 before each session, and a session in four days that is then cancelled
    now = timezone.now()
    assign(cast, "phq-9", schedule="session", at=now)
    session = services.plan_session(
        enrollment=cast.enrollment, starts_at=now + timedelta(days=4), by=cast.clinician
    )
    services.cancel_session(session=session, by=cast.clinician)
    # when the sweep runs a day before it
    created = services.open_due_forms(now=now + timedelta(days=3))
    # then nothing opens
    assert created == [] and not _forms(cast).exists()
    assert Session.objects.get().cancelled_at is not None
    assert AuditEvent.objects.filter(what="session cancelled", actor=cast.clinician).exists()


def test_each_planned_session_gets_its_own_form(cast):
    # given before-session PHQ-9 and two sessions a week apart
    now = timezone.now()
    assign(cast, "phq-9", schedule="session", at=now)
    first = now + timedelta(days=3)
    second = now + timedelta(days=10)
    for when in (first, second):
        services.plan_session(enrollment=cast.enrollment, starts_at=when, by=cast.clinician)
    # when the sweep runs before each
    services.open_due_forms(now=first - timedelta(days=1))
    services.open_due_forms(now=second - timedelta(days=1))
    # then each session had its own form, closing at its start
    assert list(_forms(cast).values_list("closes_at", flat=True)) == [first, second]


@pytest.mark.parametrize(
    ("starts_in", "message"),
    [
        (timedelta(hours=-1), "Please choose a time in the future."),
        (timedelta(days=400), "Please choose a time within the next year."),
    ],
)
def test_a_session_in_the_past_or_too_far_ahead_is_refused(cast, starts_in, message):
    with pytest.raises(MeasureError) as caught:
        services.plan_session(
            enrollment=cast.enrollment, starts_at=timezone.now() + starts_in, by=cast.clinician
        )
    assert caught.value.message == message
    assert not Session.objects.exists()


# --- refused ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"instrument_id": "no-such"}, "There is no questionnaire called no-such."),
        (
            {"schedule": "weeks", "every_weeks": 0},
            "Please give how often, from every 1 to every 52 weeks.",
        ),
        (
            {"schedule": "weeks", "every_weeks": 53},
            "Please give how often, from every 1 to every 52 weeks.",
        ),
        ({"schedule": "weeks"}, "Please give how often, from every 1 to every 52 weeks."),
        ({"window_days": 0}, "A questionnaire can stay open from 1 to 28 days."),
        ({"window_days": 29}, "A questionnaire can stay open from 1 to 28 days."),
        ({"schedule": "monthly"}, "Please choose when the questionnaire is due."),
    ],
)
def test_bad_requests_are_refused_with_a_plain_message_and_nothing_made(cast, options, message):
    arguments = {"instrument_id": "phq-9", **options}
    # when the clinician asks for something that cannot be done
    with pytest.raises(MeasureError) as caught:
        assign(cast, **arguments)
    # then the message says why, and nothing was created or recorded
    assert caught.value.message == message
    assert not Assignment.objects.exists() and not Administration.objects.exists()
    assert not AuditEvent.objects.filter(what="measure assigned").exists()
    assert not TimelineEvent.objects.filter(kind="assessments.assigned").exists()


def test_a_second_schedule_for_the_same_questionnaire_is_refused(cast):
    # given PHQ-9 every 4 weeks
    assign(cast, "phq-9", schedule="weeks", every_weeks=4)
    # when the clinician adds a before-session schedule for PHQ-9 too
    with pytest.raises(MeasureError) as caught:
        assign(cast, "phq-9", schedule="session")
    # then it is refused: one schedule per questionnaire
    assert caught.value.message == (
        "PHQ-9 is already on a schedule for this client. End that one first."
    )
    assert Assignment.objects.count() == 1


def test_a_new_schedule_is_fine_once_the_old_one_ended(cast):
    old = assign(cast, "phq-9", schedule="weeks", every_weeks=4)
    services.end_assignment(assignment=old, by=cast.clinician)
    assert assign(cast, "phq-9", schedule="weeks", every_weeks=2).every_weeks == 2


def test_a_once_form_while_the_same_one_is_waiting_is_refused(cast):
    # given PHQ-9 waiting for the client
    assign(cast, "phq-9")
    # when the clinician assigns it once more
    with pytest.raises(MeasureError) as caught:
        assign(cast, "phq-9")
    # then it is refused and still one form waits
    assert caught.value.message == "PHQ-9 is already waiting for this client."
    assert Assignment.objects.count() == 1 and Administration.objects.count() == 1


def test_once_again_is_fine_after_the_first_was_completed(cast):
    # given PHQ-9 assigned once and completed by the client
    form = assign(cast, "phq-9").forms.get()
    for n in range(1, 10):
        services.record_answer(form=form, link_id=f"phq9-{n}", value=0, by=cast.client)
    services.submit(form=form, by=cast.client)
    # when the clinician assigns it once again
    assign(cast, "phq-9")
    # then a second form opens
    assert Administration.objects.filter(status="open").count() == 1


def test_every_weeks_is_ignored_when_not_on_a_weekly_schedule(cast):
    assert assign(cast, "who-5", every_weeks=3).every_weeks is None


@pytest.mark.parametrize("who", ["other_clinician", "foreign_clinician", "admin", "client"])
def test_only_the_primary_clinician_may_assign(cast, who):
    with pytest.raises(PermissionDenied):
        services.assign_measure(
            enrollment=cast.enrollment, instrument_id="phq-9", by=cast.role(who)
        )
    assert not Assignment.objects.exists() and not Administration.objects.exists()


@pytest.mark.parametrize("who", ["other_clinician", "client"])
def test_only_the_primary_clinician_may_end_a_schedule_or_plan_sessions(cast, who):
    assignment = assign(cast, "phq-9", schedule="weeks", every_weeks=2)
    with pytest.raises(PermissionDenied):
        services.end_assignment(assignment=assignment, by=cast.role(who))
    with pytest.raises(PermissionDenied):
        services.plan_session(
            enrollment=cast.enrollment,
            starts_at=timezone.now() + timedelta(days=3),
            by=cast.role(who),
        )
    assignment.refresh_from_db()
    assert assignment.ended_at is None and not Session.objects.exists()


# --- through the clinician's page ------------------------------------------------------


def test_assigning_through_the_page_opens_the_form_and_says_so(cast, client):
    browser = sign_in(client, cast.clinician)
    url = reverse("assessments:assign", args=[cast.enrollment.pk])
    # when the clinician assigns GAD-7 every 2 weeks on the measures page
    response = browser.post(
        url, {"instrument": "gad-7", "schedule": "weeks", "every_weeks": 2, "window_days": 7}
    )
    # then they are sent back to the page, which confirms and lists the open form
    assert response.status_code == 302
    after = page(browser.get(response["Location"]))
    assert "Assigned. The client sees it on their Today page." in after
    assert "every 2 weeks" in after
    assignment = Assignment.objects.get()
    assert (assignment.instrument_id, assignment.schedule, assignment.every_weeks) == (
        "gad-7",
        "weeks",
        2,
    )
    assert assignment.created_by == cast.clinician
    assert Administration.objects.get().is_open


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"instrument": "nope", "schedule": "once", "window_days": 7},
            "Select a valid choice.",
        ),
        (
            {"instrument": "phq-9", "schedule": "weeks", "window_days": 7},
            "Please give how often, in weeks.",
        ),
        (
            {"instrument": "phq-9", "schedule": "weeks", "every_weeks": 53, "window_days": 7},
            "Ensure this value is less than or equal to 52.",
        ),
        (
            {"instrument": "phq-9", "schedule": "once", "window_days": 0},
            "Ensure this value is greater than or equal to 1.",
        ),
        (
            {"instrument": "phq-9", "schedule": "once", "window_days": "soon"},
            "Enter a whole number.",
        ),
    ],
)
def test_bad_input_on_the_page_is_a_400_with_a_message(cast, client, data, message):
    browser = sign_in(client, cast.clinician)
    response = browser.post(reverse("assessments:assign", args=[cast.enrollment.pk]), data)
    assert response.status_code == 400
    assert message in page(response)
    assert not Assignment.objects.exists()


def test_a_duplicate_on_the_page_is_a_400_with_the_services_message(cast, client):
    # given PHQ-9 already waiting
    assign(cast, "phq-9")
    browser = sign_in(client, cast.clinician)
    # when the clinician assigns it again on the page
    response = browser.post(
        reverse("assessments:assign", args=[cast.enrollment.pk]),
        {"instrument": "phq-9", "schedule": "once", "window_days": 7},
    )
    # then the page says why, and nothing more was made
    assert response.status_code == 400
    assert "PHQ-9 is already waiting for this client." in page(response)
    assert Assignment.objects.count() == 1


def test_planning_and_removing_a_session_through_the_page(cast, client):
    browser = sign_in(client, cast.clinician)
    # (the form reads the time in the clinician's time zone, the clinic's)
    local = ZoneInfo(cast.clinic.time_zone)
    when = (timezone.now() + timedelta(days=6)).astimezone(local).replace(second=0, microsecond=0)
    # when the clinician adds a session
    response = browser.post(
        reverse("assessments:plan_session", args=[cast.enrollment.pk]),
        {"starts_at": when.strftime("%Y-%m-%dT%H:%M")},
    )
    # then it is planned and listed
    assert response.status_code == 302
    session = Session.objects.get()
    assert session.starts_at == when and session.created_by == cast.clinician
    assert "Session added." in page(browser.get(response["Location"]))
    # and removing it cancels it
    response = browser.post(
        reverse("assessments:cancel_session", args=[cast.enrollment.pk, session.pk])
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.cancelled_at is not None


@pytest.mark.parametrize(
    ("value", "message"),
    [("yesterday", "Enter a valid date/time."), ("2000-01-01T10:00", "in the future")],
)
def test_a_bad_session_time_on_the_page_is_a_400(cast, client, value, message):
    browser = sign_in(client, cast.clinician)
    response = browser.post(
        reverse("assessments:plan_session", args=[cast.enrollment.pk]), {"starts_at": value}
    )
    assert response.status_code == 400
    assert message in page(response)
    assert not Session.objects.exists()
