"""The urge log: the service's rules, the pages, the offline queue's replays and the cards."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.assessments.helpers import sign_in
from waypost.core.models import AuditEvent, TimelineEvent
from waypost.recovery import events, selectors, urge_selectors
from waypost.recovery.models import Urge
from waypost.recovery.services import urges

pytestmark = pytest.mark.django_db

REPLAY = {"HTTP_X_WAYPOST_REPLAY": "1"}
NEW = "/urges/new/"


def log(cast, **values):
    answers = {"intensity": 6, "trigger": "Stress"}
    answers.update(values)
    answers.setdefault("client_uuid", uuid4())
    return urges.log_urge(enrollment=cast.enrollment, by=cast.client, **answers)


def _events(cast):
    return TimelineEvent.objects.filter(enrollment=cast.enrollment, kind=events.URGE_LOGGED)


def _form(**changes) -> dict:
    answers = {"client_uuid": str(uuid4()), "intensity": "7", "trigger": "Boredom"}
    answers.update(changes)
    return answers


# --- the service ---------------------------------------------------------------------------


def test_an_urge_is_kept_with_the_clients_local_date_and_hour(cast):
    # The cast's clinic is in Singapore (UTC+8): 15:30 UTC is 23:30 there.
    moment = datetime(2025, 3, 3, 15, 30, tzinfo=UTC)
    with time_machine.travel(moment + timedelta(minutes=1), tick=False):
        logged = log(cast, occurred_at=moment, note="On the sofa with the laptop.")

    stored = Urge.objects.get()
    assert logged.created and logged.urge.pk == stored.pk
    assert (stored.local_date.isoformat(), stored.local_hour) == ("2025-03-03", 23)
    assert stored.occurred_at == moment
    assert stored.note == "On the sofa with the laptop."
    assert stored.outcome == Urge.Outcome.RESISTED
    assert _events(cast).count() == 1


def test_a_travelling_client_keeps_the_hour_where_they_are(cast):
    cast.client.time_zone = "Europe/London"
    cast.client.save(update_fields=["time_zone"])
    moment = datetime(2025, 7, 1, 21, 15, tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        log(cast, occurred_at=moment)

    assert Urge.objects.get().local_hour == 22  # British Summer Time


def test_the_same_submission_twice_is_stored_once(cast):
    submission = uuid4()
    first = log(cast, client_uuid=submission)

    again = log(cast, client_uuid=submission, intensity=2)

    assert not again.created and again.urge.pk == first.urge.pk
    assert Urge.objects.get().intensity == 6
    assert _events(cast).count() == 1


@pytest.mark.parametrize(
    "values",
    [
        {"intensity": -1},
        {"intensity": 11},
        {"intensity": "5"},
        {"intensity": True},
        {"emotion": "furious"},
        {"outcome": "relapsed"},
        {"hungry": "yes"},
        {"trigger": "x" * 101},
        {"place": "x" * 101},
        {"instead": ["x" * 101]},
        {"instead": [f"step {n}" for n in range(13)]},
        {"note": "x" * 2001},
    ],
)
def test_an_answer_that_cannot_be_kept_is_refused_and_nothing_is_written(cast, values):
    with pytest.raises(urges.UrgeError):
        log(cast, **values)

    assert not Urge.objects.exists()
    assert not _events(cast).exists()


def test_a_time_to_come_or_more_than_three_days_ago_is_refused(cast):
    now = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        for moment in (now + timedelta(hours=1), now - timedelta(days=3, minutes=1)):
            with pytest.raises(urges.UrgeError) as refused:
                log(cast, occurred_at=moment)
            assert refused.value.field == "occurred_at"
        # A phone clock a little ahead is taken as now; a naive time is refused.
        log(cast, occurred_at=now + timedelta(minutes=2))
        with pytest.raises(urges.UrgeError):
            log(cast, occurred_at=datetime(2025, 3, 3, 11, 0))  # noqa: DTZ001

    assert Urge.objects.get().occurred_at == now


def test_an_urge_can_be_changed_for_three_days_and_keeps_its_id(cast):
    start = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        logged = log(cast, outcome=Urge.Outcome.UNSURE)
    with time_machine.travel(start + timedelta(days=2), tick=False):
        urges.change_urge(
            urge=logged.urge, by=cast.client, intensity=4, outcome="resisted", instead=["Walk"]
        )
    stored = Urge.objects.get()
    assert (stored.intensity, stored.outcome, stored.instead) == (4, "resisted", "Walk")
    assert stored.occurred_at == start and stored.client_uuid == logged.urge.client_uuid
    assert [e.data["updated"] for e in _events(cast).order_by("pk")] == [False, True]

    later = start + timedelta(days=3, minutes=1)
    with time_machine.travel(later, tick=False), pytest.raises(urges.UrgeError):
        urges.change_urge(urge=stored, by=cast.client, intensity=9)
    assert Urge.objects.get().intensity == 4


def test_only_the_client_in_stage_2_may_log_an_urge(cast):
    for someone in (cast.clinician, cast.other_clinician, cast.admin, cast.ally_all):
        with pytest.raises(PermissionDenied):
            urges.log_urge(enrollment=cast.enrollment, by=someone, client_uuid=uuid4(), intensity=3)
    with pytest.raises(PermissionDenied):
        urges.log_urge(
            enrollment=cast.foreign_enrollment,
            by=cast.foreign_client,
            client_uuid=uuid4(),
            intensity=3,
        )
    logged = log(cast)
    with pytest.raises(PermissionDenied):
        urges.change_urge(urge=logged.urge, by=cast.clinician, intensity=1)
    assert Urge.objects.count() == 1


def test_the_timeline_is_discreet(cast):
    log(cast, trigger="Something private", note="Very private", intensity=9)

    event = _events(cast).get()
    assert set(event.data) == {"day", "updated"}
    assert event.summary.startswith("Noted a hard moment on ")
    for private in ("private", "urge", "9"):
        assert private not in event.summary.lower().replace("2025", "")


# --- the form page ---------------------------------------------------------------------------


def test_the_form_offers_big_intensity_buttons_chips_and_more_behind_add_more(cast, client):
    log(cast, trigger="After church", instead=["Called my brother"])
    browser = sign_in(client, cast.client)

    response = browser.get(NEW)

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('name="intensity"') == 11
    # The client's own trigger comes before the common ones.
    assert page.index('value="After church"') < page.index('value="Boredom"')
    assert 'value="Called my brother"' in page
    assert '<details class="more">' in page and "Add more" in page
    for name in ("hungry", "angry", "lonely", "tired", "emotion", "place", "occurred_at", "note"):
        assert f'name="{name}"' in page
    assert "<title>Hard moment · Waypost</title>" in page


def test_saving_a_ridden_out_urge_goes_back_to_today_with_a_warm_line(cast, client):
    browser = sign_in(client, cast.client)

    response = browser.post(NEW, _form(), follow=True)

    assert response.redirect_chain[-1][0] == reverse("program:today")
    page = response.content.decode()
    assert "You rode it out. That counts: 1 urge ridden out so far." in page
    assert "Urges ridden out" in page
    stored = Urge.objects.get()
    assert (stored.intensity, stored.trigger, stored.outcome) == (7, "Boredom", "resisted")


def test_something_else_takes_the_words_typed(cast, client):
    browser = sign_in(client, cast.client)

    browser.post(NEW, _form(trigger="_other", trigger_text="  A text from my ex "))
    browser.post(NEW, _form(trigger="Stress", trigger_text="ignored with a chip"))

    assert sorted(Urge.objects.values_list("trigger", flat=True)) == ["A text from my ex", "Stress"]


def test_the_details_are_kept_when_given(cast, client):
    browser = sign_in(client, cast.client)

    browser.post(
        NEW,
        _form(
            hungry="on",
            tired="on",
            emotion="lonely",
            place="In bed",
            instead=["Slow breathing", "Left the room"],
            instead_text="Texted Sam",
            outcome="unsure",
            note="Hard evening.",
        ),
    )

    stored = Urge.objects.get()
    assert (stored.hungry, stored.angry, stored.lonely, stored.tired) == (True, False, False, True)
    assert (stored.emotion, stored.place, stored.outcome) == ("lonely", "In bed", "unsure")
    assert stored.instead == "Slow breathing\nLeft the room\nTexted Sam"


def test_a_local_time_from_the_form_is_in_the_clients_zone(cast, client):
    browser = sign_in(client, cast.client)
    with time_machine.travel(datetime(2025, 3, 3, 15, 0, tzinfo=UTC), tick=False):
        browser.post(NEW, _form(occurred_at="2025-03-03T21:10"))

    stored = Urge.objects.get()
    assert stored.occurred_at == datetime(2025, 3, 3, 13, 10, tzinfo=UTC)
    assert stored.local_hour == 21


def test_a_lapse_leads_kindly_to_looking_back_at_it(cast, client):
    browser = sign_in(client, cast.client)

    response = browser.post(NEW, _form(outcome="lapsed"))

    assert response.status_code == 302
    assert response["Location"] == reverse("recovery:lapse_new")
    page = browser.get(response["Location"]).content.decode()
    assert "Thank you for being honest." in page
    for word in ("failure", "relapse", "reset"):
        assert word not in page.lower().replace("relapse-prevention", "")


def test_a_missing_intensity_shows_the_form_again_and_keeps_nothing(cast, client):
    browser = sign_in(client, cast.client)

    response = browser.post(NEW, _form(intensity=""))

    assert response.status_code == 400
    assert "Please choose how strong it was, 0 to 10." in response.content.decode()
    assert not Urge.objects.exists()


@pytest.mark.parametrize("changes", [{"intensity": "12"}, {"occurred_at": "not a time"}])
def test_bad_input_is_refused_kindly_never_a_crash(cast, client, changes):
    browser = sign_in(client, cast.client)

    response = browser.post(NEW, _form(**changes))

    assert response.status_code == 400
    assert not Urge.objects.exists()


def test_a_posted_retry_is_stored_once(cast, client):
    browser = sign_in(client, cast.client)
    answers = _form()

    browser.post(NEW, answers)
    browser.post(NEW, answers)

    assert Urge.objects.count() == 1


# --- the offline queue's replays ---------------------------------------------------------------


def test_a_replay_is_answered_in_json_201_then_200(cast, client):
    browser = sign_in(client, cast.client)
    answers = _form(occurred_at=(datetime.now(UTC) - timedelta(hours=5)).isoformat())

    first = browser.post(NEW, answers, **REPLAY)
    again = browser.post(NEW, answers, **REPLAY)

    stored = Urge.objects.get()
    assert first.status_code == 201 and again.status_code == 200
    body = json.loads(first.content)
    assert body == {
        "stored": True,
        "id": stored.pk,
        "next": reverse("program:today"),
        "message": "You rode it out. That counts: 1 urge ridden out so far.",
    }
    assert json.loads(again.content) == body
    assert abs(stored.occurred_at - datetime.fromisoformat(answers["occurred_at"])) < timedelta(
        seconds=1
    )


def test_a_replay_that_cannot_be_kept_gets_its_errors_in_json(cast, client):
    browser = sign_in(client, cast.client)
    old = (datetime.now(UTC) - timedelta(days=4)).isoformat()

    missing = browser.post(NEW, _form(intensity=""), **REPLAY)
    too_old = browser.post(NEW, _form(occurred_at=old), **REPLAY)

    assert missing.status_code == 400 and "intensity" in json.loads(missing.content)["errors"]
    assert too_old.status_code == 400
    assert json.loads(too_old.content) == {
        "stored": False,
        "errors": {"occurred_at": ["An urge can be logged for the last three days, not earlier."]},
    }
    assert not Urge.objects.exists()


def test_an_urge_saved_on_the_phone_counts_as_of_when_it_was_saved(cast, client):
    browser = sign_in(client, cast.client)
    saved = datetime.now(UTC) - timedelta(hours=9)

    browser.post(NEW, _form(queued_at=saved.isoformat().replace("+00:00", "Z")), **REPLAY)
    browser.post(NEW, _form(queued_at=saved.isoformat()))  # not a replay: as of now

    first, second = Urge.objects.order_by("pk")
    assert abs(first.occurred_at - saved) < timedelta(seconds=1)
    assert datetime.now(UTC) - second.occurred_at < timedelta(minutes=1)


def test_a_replayed_lapse_leads_to_the_lapse_log(cast, client):
    browser = sign_in(client, cast.client)

    body = json.loads(browser.post(NEW, _form(outcome="lapsed"), **REPLAY).content)

    assert body["next"] == reverse("recovery:lapse_new")
    assert body["message"].startswith("Thank you for being honest.")


def test_a_replay_keeps_csrf_protection(cast, client):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.client)

    response = browser.post(NEW, _form(), **REPLAY)

    assert response.status_code == 403
    assert not Urge.objects.exists()


# --- changing, and the pattern view -------------------------------------------------------------


def test_an_urge_can_be_changed_from_its_page_and_someone_elses_is_not_found(cast, client):
    logged = log(cast, trigger="Stress", outcome="unsure")
    browser = sign_in(client, cast.client)
    url = reverse("recovery:urge_edit", args=[logged.urge.pk])

    page = browser.get(url).content.decode()
    assert "Change this urge" in page and 'value="Stress" checked' in page
    response = browser.post(url, _form(intensity="3", trigger="Stress", outcome="resisted"))

    assert response["Location"] == reverse("recovery:urge_patterns")
    assert Urge.objects.get().intensity == 3
    assert browser.get(reverse("recovery:urge_edit", args=[logged.urge.pk + 99])).status_code == 404


def test_saying_later_that_it_ended_in_a_lapse_leads_to_the_lapse_log(cast, client):
    logged = log(cast, outcome="unsure")
    browser = sign_in(client, cast.client)

    response = browser.post(
        reverse("recovery:urge_edit", args=[logged.urge.pk]), _form(outcome="lapsed")
    )

    assert response["Location"] == reverse("recovery:lapse_new")
    assert Urge.objects.get().outcome == "lapsed"


def test_an_urge_older_than_three_days_is_kept_as_it_is(cast, client):
    start = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        logged = log(cast)
    browser = sign_in(client, cast.client)
    with time_machine.travel(start + timedelta(days=4), tick=False):
        response = browser.post(
            reverse("recovery:urge_edit", args=[logged.urge.pk]), _form(intensity="1")
        )
    assert response["Location"] == reverse("recovery:urge_patterns")
    assert Urge.objects.get().intensity == 6


def test_the_pattern_view_shows_each_chart_with_its_numbers(cast, client):
    log(cast, trigger="stress", instead=["Walk"], hungry=True, emotion="stressed")
    log(cast, trigger="Stress", instead=["Walk"], outcome="lapsed")
    log(cast, trigger="Boredom", intensity=2)
    browser = sign_in(client, cast.client)

    response = browser.get(reverse("recovery:urge_patterns"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Hard moments · Waypost</title>" in page
    for heading in (
        "By hour of day",
        "By day of the week",
        "What set them off",
        "Feelings",
        "Hungry, angry, lonely, tired",
        "What worked",
        "Recent",
    ):
        assert heading in page
    assert 'class="hour-chart"' in page and '<table class="bars">' in page
    assert '<span class="bar-label">Stress</span>' in page
    assert "1 of 2" in page  # "Walk": tried with two urges, one ridden out
    assert page.count('class="urge-change"') == 3
    assert "style=" not in page  # the CSP blocks inline styles: the bars are SVG attributes


def test_the_pattern_view_without_urges_is_calm(cast, client):
    browser = sign_in(client, cast.client)

    page = browser.get(reverse("recovery:urge_patterns") + "?period=nonsense").content.decode()

    assert "Nothing logged in this time" in page


def test_the_period_limits_the_patterns(cast, client):
    start = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        log(cast)
    with time_machine.travel(start + timedelta(days=60), tick=False):
        log(cast)
        today = selectors.client_today(cast.enrollment)
        last_30 = urge_selectors.pattern_view(cast.enrollment, today, "30")
        last_90 = urge_selectors.pattern_view(cast.enrollment, today, "90")
        ever = urge_selectors.pattern_view(cast.enrollment, today, "all")

    assert (last_30.summary.total, last_90.summary.total, ever.summary.total) == (1, 2, 2)


def test_a_client_before_stage_2_gets_a_kind_page_and_cannot_post(cast, client):
    browser = sign_in(client, cast.foreign_client)

    page = browser.get(NEW)
    assert page.status_code == 200 and "This starts in stage 2" in page.content.decode()
    assert browser.post(NEW, _form()).status_code == 403
    assert not Urge.objects.exists()


# --- Today and the record ------------------------------------------------------------------------


def test_today_has_a_discreet_way_in_and_counts_urges_ridden_out(cast, client):
    log(cast)
    log(cast, outcome="lapsed")
    browser = sign_in(client, cast.client)

    page = browser.get(reverse("program:today")).content.decode()

    # "Log an urge" is on the day card, Today's first card, above the next step
    assert f'href="{NEW}">Log an urge</a>' in page
    assert page.index("Log an urge") < page.index("Your next step")
    assert 'class="count resisted"><dt>Urges ridden out</dt><dd>1</dd>' in page


def test_the_clinician_sees_the_numbers_of_the_last_30_days_and_it_is_audited(cast, client):
    log(cast, trigger="stress", intensity=8)
    log(cast, trigger="Stress", intensity=4, outcome="lapsed")
    log(cast, trigger="Boredom", intensity=6)
    browser = sign_in(client, cast.clinician)

    page = browser.get(reverse("caseload:record", args=[cast.enrollment.pk])).content.decode()

    assert "Urges, last 30 days" in page
    assert "<dt>Logged</dt><dd>3</dd>" in page
    assert "6.0 of 10" in page
    assert "Stress (2), Boredom (1)" in page
    assert "2 (67%)" in page  # ridden out
    assert AuditEvent.objects.filter(
        client=cast.client, actor=cast.clinician, what="urges and devices", action="view"
    ).exists()


def test_the_export_holds_every_urge_with_what_the_client_wrote(cast):
    log(cast, trigger="Stress", instead=["Walk", "Called Sam"], note="A note")

    data = urge_selectors.export_urges(cast.client)

    (row,) = data["urges"]
    assert (row["trigger"], row["instead"], row["note"]) == (
        "Stress",
        ["Walk", "Called Sam"],
        "A note",
    )
    assert row["outcome"] == "I rode it out"
