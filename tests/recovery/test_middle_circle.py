"""The middle-circle log: the service's rules, the pages, the offline replays, record and export."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.assessments.helpers import sign_in
from waypost.core import event_kinds, offline
from waypost.core.models import AuditEvent, TimelineEvent
from waypost.recovery import events, middle_selectors, middle_services
from waypost.recovery.models import MiddleCircleMoment
from waypost.recovery.selectors import client_today

pytestmark = pytest.mark.django_db

REPLAY = {"HTTP_X_WAYPOST_REPLAY": "1"}
NEW = "/middle/new/"
LOG = "/middle/"
MIDDLE = ["Scrolling social media in bed", "Staying up after midnight alone"]


def plan(cast, middle=MIDDLE, *, if_then=True):
    """The client's recovery plan with its middle circle, and a relapse-prevention plan."""
    from waypost.recovery.services.plans import save_prevention_plan, save_recovery_plan

    saved = save_recovery_plan(
        enrollment=cast.enrollment,
        by=cast.client,
        start_date=client_today(cast.enrollment),
        period_days=90,
        circles={"inner": ["Watching porn"], "middle": list(middle)},
    )
    if if_then:
        save_prevention_plan(
            enrollment=cast.enrollment,
            by=cast.client,
            content={"if_then": ["If I'm in bed with my phone then it goes to the kitchen"]},
        )
    return saved


def note(cast, **values):
    answers = {"items": [MIDDLE[0]]}
    answers.update(values)
    answers.setdefault("client_uuid", uuid4())
    return middle_services.note_moment(enrollment=cast.enrollment, by=cast.client, **answers)


def _events(cast, kind=events.MIDDLE_NOTED):
    return TimelineEvent.objects.filter(enrollment=cast.enrollment, kind=kind)


def _form(**changes) -> dict:
    answers = {"client_uuid": str(uuid4()), "items": [MIDDLE[1]]}
    answers.update(changes)
    return answers


# --- the service ---------------------------------------------------------------------------


def test_a_moment_is_kept_with_the_clients_local_date_and_hour_and_its_words(cast):
    # The cast's clinic is in Singapore (UTC+8): 15:30 UTC is 23:30 there.
    moment = datetime(2025, 3, 3, 15, 30, tzinfo=UTC)
    with time_machine.travel(moment + timedelta(minutes=1), tick=False):
        noted = note(
            cast,
            items=MIDDLE,
            other="  Texting my ex  ",
            note="Felt restless.",
            occurred_at=moment,
            plan_version=1,
        )

    stored = MiddleCircleMoment.objects.get()
    assert noted.created and noted.moment.pk == stored.pk
    assert (stored.local_date.isoformat(), stored.local_hour) == ("2025-03-03", 23)
    assert stored.items == "\n".join(MIDDLE)
    assert (stored.other, stored.note, stored.plan_version) == (
        "Texting my ex",
        "Felt restless.",
        1,
    )
    assert _events(cast).count() == 1


def test_the_words_are_encrypted_at_rest(cast):
    note(cast, other="Texting my ex", note="Felt restless.")

    with connection.cursor() as cursor:
        cursor.execute("SELECT items, other, note FROM recovery_middlecirclemoment")
        raw = " ".join(cursor.fetchone())
    for words in ("Scrolling", "Texting", "restless"):
        assert words not in raw


def test_the_same_submission_twice_is_stored_once_even_after_it_was_deleted(cast):
    submission = uuid4()
    first = note(cast, client_uuid=submission)

    again = note(cast, client_uuid=submission, items=[MIDDLE[1]])
    middle_services.delete_moment(moment=first.moment, by=cast.client)
    late = note(cast, client_uuid=submission)

    assert not again.created and again.moment.pk == first.moment.pk
    assert not late.created and late.moment.pk == first.moment.pk
    assert MiddleCircleMoment.objects.count() == 1
    assert _events(cast).count() == 1
    assert not middle_selectors.kept(cast.enrollment).exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"items": [], "other": ""}, "items"),
        ({"items": ["  "], "other": "   "}, "items"),
        ({"items": ["x" * 201]}, "items"),
        ({"items": [f"item {n}" for n in range(21)]}, "items"),
        ({"other": "x" * 101}, "other"),
        ({"note": "x" * 501}, "note"),
    ],
)
def test_what_cannot_be_kept_is_refused_kindly_and_nothing_is_written(cast, values, field):
    with pytest.raises(middle_services.MiddleError) as refused:
        note(cast, **values)

    assert refused.value.field == field
    assert not MiddleCircleMoment.objects.exists()
    assert not _events(cast).exists()


def test_something_else_alone_is_enough_and_the_same_item_twice_is_kept_once(cast):
    note(cast, items=[], other="Up late alone")
    note(cast, items=["Scrolling in bed", "scrolling  in BED"])

    assert sorted(MiddleCircleMoment.objects.values_list("items", "other")) == [
        ("", "Up late alone"),
        ("Scrolling in bed", ""),
    ]


def test_a_time_to_come_or_more_than_three_days_ago_is_refused(cast):
    now = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        for moment in (now + timedelta(hours=1), now - timedelta(days=3, minutes=1)):
            with pytest.raises(middle_services.MiddleError) as refused:
                note(cast, occurred_at=moment)
            assert refused.value.field == "occurred_at"
        with pytest.raises(middle_services.MiddleError):
            note(cast, occurred_at=datetime(2025, 3, 3, 11, 0))  # noqa: DTZ001
        note(cast, occurred_at=now + timedelta(minutes=2))  # a phone clock a little ahead

    assert MiddleCircleMoment.objects.get().occurred_at == now


def test_only_the_client_in_stage_2_may_note_or_delete_a_moment(cast):
    for someone in (cast.clinician, cast.other_clinician, cast.admin, cast.ally_all):
        with pytest.raises(PermissionDenied):
            middle_services.note_moment(
                enrollment=cast.enrollment, by=someone, client_uuid=uuid4(), other="x"
            )
    with pytest.raises(PermissionDenied):
        middle_services.note_moment(
            enrollment=cast.foreign_enrollment,
            by=cast.foreign_client,
            client_uuid=uuid4(),
            other="x",
        )
    noted = note(cast)
    with pytest.raises(PermissionDenied):
        middle_services.delete_moment(moment=noted.moment, by=cast.clinician)
    assert middle_selectors.kept(cast.enrollment).count() == 1


def test_the_timeline_says_the_day_and_how_many_never_the_words(cast):
    note(cast, items=MIDDLE, other="Texting my ex", note="Very private")

    event = _events(cast).get()
    assert event.data == {"day": event.data["day"], "n": 3}
    assert event.summary.startswith("Noted a middle-circle moment on ")
    assert event.summary.endswith("(3 items)")
    for private in ("scrolling", "midnight", "ex", "private"):
        assert private not in event.summary.lower().split()
    # filtered with urges and lapses on the clinician's timeline
    assert event_kinds.get(events.MIDDLE_NOTED).category == "urges_lapses"


def test_deleting_empties_the_words_keeps_a_tombstone_and_says_so_once(cast):
    noted = note(cast, other="Texting my ex", note="Very private")

    middle_services.delete_moment(moment=noted.moment, by=cast.client)
    middle_services.delete_moment(moment=noted.moment, by=cast.client)  # a second tap

    stored = MiddleCircleMoment.objects.get()
    assert stored.deleted_at is not None
    assert (stored.items, stored.other, stored.note) == ("", "", "")
    assert _events(cast, events.MIDDLE_DELETED).count() == 1
    assert (
        _events(cast, events.MIDDLE_DELETED)
        .get()
        .summary.startswith("Took back a middle-circle moment noted for ")
    )


# --- the form page ---------------------------------------------------------------------------


def test_the_form_offers_the_plans_middle_circle_to_tick(cast, client):
    plan(cast)
    browser = sign_in(client, cast.client)

    response = browser.get(NEW)

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Slippery ground · Waypost</title>" in page
    for item in MIDDLE:
        assert f'<input type="checkbox" name="items" value="{item}">' in page
    assert 'name="other"' in page and 'name="plan_version"' in page and 'value="1"' in page
    assert "data-offline-queue" in page and "data-fresh-uuid" in page
    assert "Noticing is a skill" in page
    assert "never your note" in page
    assert "not written yet" not in page


def test_without_a_plan_the_page_says_so_kindly_and_words_still_work(cast, client):
    browser = sign_in(client, cast.client)

    page = browser.get(NEW).content.decode()
    assert "Your middle circle is not written yet" in page
    assert f'href="{reverse("recovery:plan")}"' in page
    assert 'type="checkbox" name="items"' not in page  # nothing to tick yet

    response = browser.post(NEW, _form(items=[], other="Up late alone"))

    assert response.status_code == 302
    stored = MiddleCircleMoment.objects.get()
    assert (stored.other, stored.plan_version) == ("Up late alone", None)


def test_saving_leads_to_what_might_help_now_with_the_clients_if_then_plans(cast, client):
    plan(cast)
    browser = sign_in(client, cast.client)

    response = browser.post(NEW, _form(items=MIDDLE, plan_version="1"), follow=True)

    assert response.redirect_chain[-1][0] == LOG + "?saved=1"
    page = response.content.decode()
    assert "Spotting slippery ground is a skill, and you just used it." in page
    assert "What might help now" in page
    assert "I&#x27;m in bed with my phone" in page and "it goes to the kitchen" in page
    for name in ("recovery:toolbox", "recovery:prevention", "help"):
        assert f'href="{reverse(name)}"' in page
    for word in ("failure", "relapse ", "clean", "dirty", "should"):
        assert word not in page.lower().replace("relapse-prevention", "")
    stored = MiddleCircleMoment.objects.get()
    assert (stored.items, stored.plan_version) == ("\n".join(MIDDLE), 1)


def test_nothing_ticked_or_named_shows_the_form_again_and_keeps_nothing(cast, client):
    plan(cast)
    browser = sign_in(client, cast.client)

    response = browser.post(NEW, _form(items=[], other=" "))

    assert response.status_code == 400
    assert "Please tick what it was, or say it in a few words" in response.content.decode()
    assert not MiddleCircleMoment.objects.exists()


def test_a_ticked_item_no_longer_in_the_plan_is_shown_again_ticked(cast, client):
    plan(cast)
    browser = sign_in(client, cast.client)

    page = browser.post(NEW, _form(items=["An old item"], note="x" * 501)).content.decode()

    assert '<input type="checkbox" name="items" value="An old item" checked>' in page
    assert '<details class="more" open>' in page  # the note's error is behind "Add more"


def test_a_local_time_from_the_form_is_in_the_clients_zone(cast, client):
    browser = sign_in(client, cast.client)
    with time_machine.travel(datetime(2025, 3, 3, 15, 0, tzinfo=UTC), tick=False):
        browser.post(NEW, _form(occurred_at="2025-03-03T21:10"))

    stored = MiddleCircleMoment.objects.get()
    assert stored.occurred_at == datetime(2025, 3, 3, 13, 10, tzinfo=UTC)
    assert stored.local_hour == 21


def test_a_posted_retry_is_stored_once(cast, client):
    browser = sign_in(client, cast.client)
    answers = _form()

    browser.post(NEW, answers)
    browser.post(NEW, answers)

    assert MiddleCircleMoment.objects.count() == 1


def test_a_client_before_stage_2_gets_a_kind_page_and_cannot_post(cast, client):
    browser = sign_in(client, cast.foreign_client)

    for url in (NEW, LOG):
        page = browser.get(url)
        assert page.status_code == 200 and "This starts in stage 2" in page.content.decode()
    assert browser.post(NEW, _form()).status_code == 403
    assert not MiddleCircleMoment.objects.exists()


# --- the offline queue's replays ---------------------------------------------------------------


def test_a_replay_is_answered_in_json_201_then_200(cast, client):
    browser = sign_in(client, cast.client)
    answers = _form(occurred_at=(datetime.now(UTC) - timedelta(hours=5)).isoformat())

    first = browser.post(NEW, answers, **REPLAY)
    again = browser.post(NEW, answers, **REPLAY)

    stored = MiddleCircleMoment.objects.get()
    assert (first.status_code, again.status_code) == (201, 200)
    body = json.loads(first.content)
    assert body == {
        "stored": True,
        "id": stored.pk,
        "next": LOG + "?saved=1",
        "message": (
            "Noted. Spotting slippery ground is a skill, and you just used it. "
            "Nothing is lost: this is the moment your plan is for."
        ),
    }
    assert json.loads(again.content) == body


def test_a_replay_that_cannot_be_kept_gets_its_errors_in_json(cast, client):
    browser = sign_in(client, cast.client)
    old = (datetime.now(UTC) - timedelta(days=4)).isoformat()

    empty = browser.post(NEW, _form(items=[]), **REPLAY)
    too_old = browser.post(NEW, _form(occurred_at=old), **REPLAY)

    assert empty.status_code == 400 and "items" in json.loads(empty.content)["errors"]
    assert json.loads(too_old.content) == {
        "stored": False,
        "errors": {"occurred_at": ["A moment can be noted for the last three days, not earlier."]},
    }
    assert not MiddleCircleMoment.objects.exists()


def test_a_moment_saved_on_the_phone_counts_as_of_when_it_was_saved(cast, client):
    browser = sign_in(client, cast.client)
    saved = datetime.now(UTC) - timedelta(hours=9)

    browser.post(NEW, _form(queued_at=saved.isoformat().replace("+00:00", "Z")), **REPLAY)

    assert abs(MiddleCircleMoment.objects.get().occurred_at - saved) < timedelta(seconds=1)


def test_a_replay_keeps_csrf_protection(cast):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.client)

    assert browser.post(NEW, _form(), **REPLAY).status_code == 403
    assert not MiddleCircleMoment.objects.exists()


def test_the_form_is_kept_for_use_without_a_signal():
    assert NEW in offline.page_urls()
    assert "recovery/middle.css" in offline.asset_paths()
    assert ("Note slippery ground", NEW) in [
        (str(label), url) for label, url in offline.offline_links()
    ]


# --- the log: recent moments, deleting one -----------------------------------------------------


def test_the_log_lists_recent_moments_in_the_clients_time_with_a_way_to_delete(cast, client):
    with time_machine.travel(datetime(2025, 3, 3, 15, 30, tzinfo=UTC), tick=False):
        noted = note(cast, items=MIDDLE, other="Texting my ex", note="My own note")
        browser = sign_in(client, cast.client)
        page = browser.get(LOG).content.decode()

    assert "Mon 3 Mar, 23:30" in page
    assert "Scrolling social media in bed · Staying up after midnight alone · Texting my ex" in page
    assert "My own note" in page  # the client reads their own note
    assert reverse("recovery:middle_delete", args=[noted.moment.pk]) in page
    assert "What might help now" not in page  # only just after a save


def test_a_moment_can_be_deleted_from_the_log_and_someone_elses_is_not_found(cast, client):
    noted = note(cast, other="A mistake")
    browser = sign_in(client, cast.client)
    url = reverse("recovery:middle_delete", args=[noted.moment.pk])

    response = browser.post(url, follow=True)

    assert response.redirect_chain[-1][0] == LOG
    page = response.content.decode()
    assert "Deleted. It is no longer in your log." in page
    assert "A mistake" not in page and "Nothing noted yet" in page
    assert browser.post(url).status_code == 404  # already taken back
    assert browser.get(url).status_code == 405
    assert (
        browser.post(reverse("recovery:middle_delete", args=[noted.moment.pk + 99])).status_code
        == 404
    )


# --- ways in -----------------------------------------------------------------------------------


def test_the_urge_log_pages_lead_to_the_middle_circle_log(cast, client):
    browser = sign_in(client, cast.client)

    for url in (reverse("recovery:urge_new"), reverse("recovery:urge_patterns")):
        page = browser.get(url).content.decode()
        assert f'href="{NEW}"' in page


def test_journey_lists_the_log_from_stage_2():
    from waypost.core import nav

    assert "recovery.middle" not in {link.key for link in nav.journey_links(1)}
    (link,) = [link for link in nav.journey_links(2) if link.key == "recovery.middle"]
    assert link.url_name == "recovery:middle_log"


# --- the clinician's record and the client's data ------------------------------------------------


def test_the_clinician_sees_what_was_ticked_never_the_note_and_it_is_audited(cast, client):
    plan(cast)
    note(cast, items=MIDDLE, note="Very private words")
    note(cast, items=[MIDDLE[0]], other="Texting my ex")
    browser = sign_in(client, cast.clinician)

    page = browser.get(reverse("caseload:record", args=[cast.enrollment.pk])).content.decode()

    assert "Middle circle, last 30 days" in page
    assert "<dt>Moments noted</dt><dd>2</dd>" in page
    assert "<dt>Days with one</dt><dd>1</dd>" in page
    assert '<li><span>Scrolling social media in bed</span> <span class="num">2</span></li>' in page
    assert '<li><span>Texting my ex</span> <span class="num">1</span></li>' in page
    assert "Very private words" not in page
    assert AuditEvent.objects.filter(
        client=cast.client, actor=cast.clinician, what="middle-circle log", action="view"
    ).exists()


def test_the_record_makes_the_same_queries_however_many_moments(cast, client):
    note(cast)
    browser = sign_in(client, cast.clinician)
    url = reverse("caseload:record", args=[cast.enrollment.pk])
    browser.get(url)  # warm up caches shared by every page

    with CaptureQueriesContext(connection) as few:
        browser.get(url)
    for n in range(6):
        note(cast, other=f"Something {n}")
    with CaptureQueriesContext(connection) as many:
        browser.get(url)

    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_export_holds_every_kept_moment_with_what_the_client_wrote(cast):
    note(cast, items=MIDDLE, other="Texting my ex", note="A note", plan_version=1)
    gone = note(cast, other="A mistake")
    middle_services.delete_moment(moment=gone.moment, by=cast.client)

    data = middle_selectors.export_moments(cast.client)

    (row,) = data["moments"]
    assert (row["items"], row["other"], row["note"], row["plan_version"]) == (
        MIDDLE,
        "Texting my ex",
        "A note",
        1,
    )


# --- the demo ---------------------------------------------------------------------------------


def test_the_demos_stage_2_client_has_a_middle_circle_log_that_raises_the_warning(demo):
    from waypost.recovery.warnings import services as warning_services
    from waypost.recovery.warnings.models import EarlyWarning

    now, client = demo
    enrollment = client(2)
    moments = middle_selectors.recent(enrollment)
    assert len(moments) == 6
    ticked = {thing for one in moments for thing in one.things}
    assert "Scrolling social media in bed" in ticked  # from his plan's middle circle
    assert (
        TimelineEvent.objects.filter(enrollment=enrollment, kind=events.MIDDLE_NOTED).count() == 6
    )
    today = client_today(enrollment, now)
    assert all(one.moment.local_date < today for one in moments)

    warning_services.evaluate(now=now)

    warning = EarlyWarning.objects.get(enrollment=enrollment, rule="recovery.middle_circle")
    assert warning.numbers == {"days_with_moments": 2, "moments": 2, "window_days": 7}


def test_an_ally_with_every_scope_sees_nothing_of_the_log(cast, client):
    note(cast, items=MIDDLE, other="Texting my ex")
    browser = sign_in(client, cast.ally_all)

    for url in (
        reverse("connect:ally_home"),
        reverse("connect:ally_shared", kwargs={"link_id": cast.links["all"].pk}),
    ):
        response = browser.get(url)
        page = response.content.decode()
        assert response.status_code == 200
        for words in (*MIDDLE, "Texting my ex", "middle-circle", "Slippery ground"):
            assert words not in page
