"""The lapse log: logging a lapse, its chain analysis, the one-tap learning, pages, the record."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.assessments.helpers import sign_in
from tests.recovery.helpers import keep, today_of
from waypost.core import exports as core_exports
from waypost.core.models import AuditEvent, TimelineEvent
from waypost.recovery import chain_content, prevention_content
from waypost.recovery.models import Lapse, PreventionPlan
from waypost.recovery.selectors import today_state
from waypost.recovery.services import lapses, plans
from waypost.recovery.services.lapses import LapseError

pytestmark = pytest.mark.django_db

CHAIN = {
    "vulnerabilities": "Little sleep, a row at work.",
    "trigger": "Alone with my phone in bed",
    "thoughts": "Just this once.",
    "feelings": "Restless, lonely.",
    "actions": "Kept scrolling, closed the door.",
    "consequences": "Slept badly.",
    "differently": "I leave the phone in the kitchen and call Sam",
    "learning": "A row plus a phone in bed is my riskiest mix.",
}


def _days_in(cast, days: int) -> None:
    """The client entered Stage 2 ``days`` days ago."""
    cast.enrollment.stage_entered_at -= timedelta(days=days)
    cast.enrollment.save(update_fields=["stage_entered_at"])


def _log(cast, days_ago: int = 0, **values) -> Lapse:
    values.setdefault("client_uuid", uuid4())
    return lapses.log_lapse(
        enrollment=cast.enrollment,
        by=values.pop("by", cast.client),
        day=today_of(cast) - timedelta(days=days_ago),
        **values,
    )


def _chain(cast, lapse, chain=None) -> Lapse:
    return lapses.save_chain(lapse=lapse, by=cast.client, chain=chain or CHAIN)


# --- logging a lapse -----------------------------------------------------------------------------


def test_a_lapse_starts_a_new_streak_and_the_totals_stay(cast):
    # given ten kept days (the tenth, today, not checked in yet)
    _days_in(cast, 9)
    before = today_state(cast.enrollment, today_of(cast)).counter
    assert (before.current_streak, before.total_sober_days, before.longest_streak) == (9, 9, 9)

    # when a lapse is logged for today
    lapse = _log(cast, what_happened="Late, alone.")

    # then a new streak begins tomorrow; the total and the longest streak stay
    after = today_state(cast.enrollment, today_of(cast)).counter
    assert (after.current_streak, after.total_sober_days, after.longest_streak) == (0, 9, 9)
    assert chain_content.loads(lapse.chain)["what_happened"] == "Late, alone."
    event = TimelineEvent.objects.get(kind="recovery.lapse_logged")
    assert event.summary.startswith("Lapse logged for ")
    assert "Late" not in event.summary


def test_it_happened_is_enough(cast):
    lapse = _log(cast)
    assert lapse.chain == ""
    assert lapse.learning_version is None


def test_a_retried_submission_is_stored_once(cast):
    same = uuid4()
    first = _log(cast, client_uuid=same)
    again = _log(cast, days_ago=1, client_uuid=same)

    assert again.pk == first.pk
    assert Lapse.objects.count() == 1
    assert TimelineEvent.objects.filter(kind="recovery.lapse_logged").count() == 1


def test_a_lapse_may_be_logged_up_to_14_days_back_within_the_plan(cast):
    _days_in(cast, 30)

    assert _log(cast, days_ago=14).local_date == today_of(cast) - timedelta(days=14)
    with pytest.raises(LapseError, match="last 14 days"):
        _log(cast, days_ago=15)
    with pytest.raises(LapseError, match="not a later day"):
        _log(cast, days_ago=-1)
    assert Lapse.objects.count() == 1


def test_a_day_before_the_plan_began_is_refused(cast):
    _days_in(cast, 2)  # the count began two days ago
    days = lapses.lapse_days_open(cast.enrollment, today_of(cast))
    assert days == [today_of(cast) - timedelta(days=n) for n in range(3)]
    with pytest.raises(LapseError):
        _log(cast, days_ago=3)


@pytest.mark.parametrize(
    "role", ["clinician", "other_clinician", "foreign_clinician", "admin", "ally_all"]
)
def test_only_the_client_logs_and_looks_back(cast, role):
    person = getattr(cast, role)
    with pytest.raises(PermissionDenied):
        _log(cast, by=person)
    lapse = _log(cast)
    with pytest.raises(PermissionDenied):
        lapses.save_chain(lapse=lapse, by=person, chain={"learning": "x"})
    _chain(cast, lapse)
    with pytest.raises(PermissionDenied):
        lapses.add_learning(lapse=lapse, by=person)
    assert Lapse.objects.get().learning_version is None


def test_below_stage_2_there_is_no_lapse_log(cast):
    with pytest.raises(PermissionDenied):
        lapses.log_lapse(
            enrollment=cast.foreign_enrollment,
            by=cast.foreign_client,
            day=today_of(cast),
            client_uuid=uuid4(),
        )


# --- the chain analysis --------------------------------------------------------------------------


def test_steps_are_written_one_at_a_time_and_the_others_stay(cast):
    lapse = _log(cast, what_happened="It happened.")

    _chain(cast, lapse, {"trigger": "  An image\r\nin my feed  ", "nonsense": "ignored"})
    _chain(cast, lapse, {"learning": "Bed by\n11."})

    chain = chain_content.loads(Lapse.objects.get().chain)
    assert chain["what_happened"] == "It happened."
    assert chain["trigger"] == "An image\nin my feed"
    assert chain["learning"] == "Bed by 11."
    assert "nonsense" not in chain


def test_a_step_too_long_is_refused_and_nothing_changes(cast):
    lapse = _chain(cast, _log(cast), {"trigger": "Tired"})
    with pytest.raises(LapseError, match="under 300 letters"):
        _chain(cast, lapse, {"learning": "x" * 301})
    with pytest.raises(LapseError, match="under 2000 letters"):
        _chain(cast, lapse, {"thoughts": "x" * 2001})
    assert chain_content.loads(Lapse.objects.get().chain)["trigger"] == "Tired"


# --- the one-tap learning ------------------------------------------------------------------------


def test_one_tap_adds_the_learning_and_an_if_then_to_the_plan_once(cast):
    plans.save_prevention_plan(
        enrollment=cast.enrollment, by=cast.client, content={"reasons": ["My kids"]}
    )
    lapse = _chain(cast, _log(cast))

    updated, added = lapses.add_learning(lapse=lapse, by=cast.client)
    again, added_again = lapses.add_learning(lapse=lapse, by=cast.client)

    assert (added, added_again) == (True, False)
    assert updated.learning_version == again.learning_version == 2
    assert PreventionPlan.objects.count() == 2
    plan = prevention_content.loads(PreventionPlan.objects.get(version=2).content)
    assert plan["reasons"] == ["My kids"]
    assert plan["learnings"] == [CHAIN["learning"]]
    assert plan["if_then"] == [prevention_content.IfThen(CHAIN["trigger"], CHAIN["differently"])]
    event = TimelineEvent.objects.get(kind="recovery.learning_added")
    assert event.summary == (
        "A learning from a lapse added to the relapse-prevention plan (version 2)"
    )


def test_without_a_plan_the_learning_starts_one_and_no_trigger_means_no_if_then(cast):
    lapse = _chain(cast, _log(cast), {"learning": "Sleep first."})

    updated, added = lapses.add_learning(lapse=lapse, by=cast.client)

    assert added and updated.learning_version == 1
    plan = prevention_content.loads(PreventionPlan.objects.get().content)
    assert plan["learnings"] == ["Sleep first."]
    assert plan["if_then"] == []


def test_without_a_learning_there_is_nothing_to_add(cast):
    lapse = _chain(cast, _log(cast), {"trigger": "Tired"})
    with pytest.raises(LapseError, match="Write one sentence to keep first"):
        lapses.add_learning(lapse=lapse, by=cast.client)
    assert not PreventionPlan.objects.exists()


def test_a_plan_with_no_room_left_says_so_and_changes_nothing(cast):
    plans.save_prevention_plan(
        enrollment=cast.enrollment,
        by=cast.client,
        content={"learnings": [f"Learning {n}" for n in range(prevention_content.MAX_ITEMS)]},
    )
    lapse = _chain(cast, _log(cast), {"learning": "One more."})
    with pytest.raises(LapseError, match="no room"):
        lapses.add_learning(lapse=lapse, by=cast.client)
    assert PreventionPlan.objects.count() == 1
    assert Lapse.objects.get().learning_version is None


# --- the pages -----------------------------------------------------------------------------------


def test_logging_a_lapse_shows_the_counter_with_kind_words(cast, client):
    _days_in(cast, 5)
    browser = sign_in(client, cast.client)
    form = browser.get(reverse("recovery:lapse_new")).content.decode()
    assert "<title>Looking back · Waypost</title>" in form
    assert "Today, " in form and "Yesterday, " in form

    response = browser.post(
        reverse("recovery:lapse_new"),
        {"day": today_of(cast).isoformat(), "what_happened": "", "client_uuid": str(uuid4())},
        follow=True,
    )

    lapse = Lapse.objects.get()
    assert response.redirect_chain[-1][0] == reverse("recovery:lapse", args=[lapse.pk]) + "?new=1"
    page = response.content.decode()
    assert "Thank you for being honest." in page
    assert "<dt>Current streak</dt><dd>A new one begins tomorrow</dd>" in page
    assert "<dt>Total days</dt><dd>5 days</dd>" in page
    assert "<dt>Longest streak</dt><dd>5 days</dd>" in page
    assert "Your total days and your longest streak stay yours." in page
    assert "Look back now" in page
    for word in ("clean", "reset", "failure", "failed", "zero"):
        assert word not in page.lower()


def test_a_lapse_yesterday_means_a_new_streak_begins_today(cast, client):
    _days_in(cast, 5)
    browser = sign_in(client, cast.client)
    lapse = _log(cast, days_ago=1)

    page = browser.get(reverse("recovery:lapse", args=[lapse.pk]) + "?new=1").content.decode()

    assert "<dt>Current streak</dt><dd>A new one begins today</dd>" in page


def test_bad_input_on_the_new_lapse_page_keeps_nothing(cast, client):
    browser = sign_in(client, cast.client)
    for day in ("", "2001-01-01", "soon", (today_of(cast) + timedelta(days=1)).isoformat()):
        response = browser.post(
            reverse("recovery:lapse_new"), {"day": day, "client_uuid": str(uuid4())}
        )
        assert response.status_code == 400
        assert "Please choose" in response.content.decode()
    response = browser.post(reverse("recovery:lapse_new"), {"day": today_of(cast).isoformat()})
    assert response.status_code == 400
    assert not Lapse.objects.exists()


def test_the_chain_is_written_step_by_step_with_next_back_and_stop(cast, client):
    lapse = _log(cast)
    browser = sign_in(client, cast.client)
    url = reverse("recovery:lapse", args=[lapse.pk])

    page = browser.get(url + "?step=vulnerabilities").content.decode()
    assert "Question 2 of 9" in page and "What made me more vulnerable" in page

    response = browser.post(url, {"step": "vulnerabilities", "text": "Tired", "go": "next"})
    assert response["Location"] == url + "?step=trigger"
    response = browser.post(url, {"step": "trigger", "text": "", "go": "back"})
    assert response["Location"] == url + "?step=vulnerabilities"
    response = browser.post(url, {"step": "learning", "text": "Sleep.", "go": "next"})
    assert response["Location"] == url
    response = browser.post(url, {"step": "thoughts", "text": "Why not", "go": "done"})
    assert response["Location"] == url

    chain = chain_content.loads(Lapse.objects.get().chain)
    assert (chain["vulnerabilities"], chain["learning"], chain["thoughts"]) == (
        "Tired",
        "Sleep.",
        "Why not",
    )
    overview = browser.get(url).content.decode()
    assert "Add to my plan" in overview and "“Sleep.”" in overview

    assert browser.get(url + "?step=nonsense").status_code == 404
    assert browser.post(url, {"text": "x"}).status_code == 404
    too_long = browser.post(url, {"step": "learning", "text": "x" * 301, "go": "next"})
    assert too_long.status_code == 400
    assert "Please keep it under 300 letters." in too_long.content.decode()


def test_the_add_to_my_plan_button_works_once(cast, client):
    lapse = _chain(cast, _log(cast))
    browser = sign_in(client, cast.client)
    url = reverse("recovery:lapse_learning", args=[lapse.pk])

    first = browser.post(url, follow=True).content.decode()
    second = browser.post(url, follow=True).content.decode()

    assert "Added to your relapse-prevention plan (version 1)." in first
    assert "In your relapse-prevention plan (version 1)." in first
    assert "This learning is already in your plan." in second
    assert PreventionPlan.objects.count() == 1
    assert browser.get(url).status_code == 405


def test_the_list_is_newest_first_and_others_lapses_are_not_found(cast, client):
    _days_in(cast, 5)
    older = _log(cast, days_ago=3)
    newer = _chain(cast, _log(cast, days_ago=1), {"learning": "Bed by eleven."})
    browser = sign_in(client, cast.client)

    page = browser.get(reverse("recovery:lapses")).content.decode()

    assert "<title>Looking back · Waypost</title>" in page
    assert page.index(reverse("recovery:lapse", args=[newer.pk])) < page.index(
        reverse("recovery:lapse", args=[older.pk])
    )
    assert "“Bed by eleven.”" in page and "Not looked back at yet" in page

    other = sign_in(client, cast.foreign_client)
    assert other.get(reverse("recovery:lapse", args=[newer.pk])).status_code == 200  # kind page
    assert (
        "starts in stage 2"
        in other.get(reverse("recovery:lapse", args=[newer.pk])).content.decode()
    )
    assert other.post(reverse("recovery:lapse_learning", args=[newer.pk])).status_code == 403


def test_another_clients_lapse_is_not_found(cast, client):
    from waypost.program.services import change_stage

    change_stage(
        enrollment=cast.foreign_enrollment, to_stage=2, reason="Ready.", by=cast.foreign_clinician
    )
    lapse = _log(cast)
    browser = sign_in(client, cast.foreign_client)

    assert browser.get(reverse("recovery:lapse", args=[lapse.pk])).status_code == 404
    assert browser.post(reverse("recovery:lapse_learning", args=[lapse.pk])).status_code == 404


def test_today_offers_to_look_back_until_the_chain_is_begun(cast, client):
    _days_in(cast, 5)
    lapse = _log(cast, days_ago=1, what_happened="It happened.")
    browser = sign_in(client, cast.client)

    def keys():
        context = browser.get(reverse("program:today")).context
        shown = [context["first_step"], *context["also_shown"], *context["also_folded"]]
        return [step.key for step in shown if step]

    assert f"recovery.look_back.{lapse.pk}" in keys()
    _chain(cast, lapse, {"trigger": "Tired"})
    assert f"recovery.look_back.{lapse.pk}" not in keys()


def test_no_look_back_offer_after_a_week(cast, client):
    _days_in(cast, 20)
    _log(cast, days_ago=10)
    keep(cast)
    browser = sign_in(client, cast.client)

    context = browser.get(reverse("program:today")).context
    shown = [context["first_step"], *context["also_shown"], *context["also_folded"]]
    assert not [step for step in shown if step and step.key.startswith("recovery.look_back")]


# --- the clinician reads them --------------------------------------------------------------------


def test_the_clinician_reads_the_chains_on_the_record_and_it_is_audited(cast, client):
    _chain(cast, _log(cast, what_happened="Late, alone."))
    browser = sign_in(client, cast.clinician)

    page = browser.get(reverse("caseload:record", args=[cast.enrollment.pk])).content.decode()
    assert "Recent lapses" in page
    assert "Late, alone." in page and CHAIN["learning"] in page
    assert "9 of 9 steps looked back at" in page

    full = browser.get(reverse("recovery:client_lapses", args=[cast.enrollment.pk]))
    assert CHAIN["differently"] in full.content.decode()
    assert AuditEvent.objects.filter(actor=cast.clinician, what="lapses").exists()
    assert AuditEvent.objects.filter(
        actor=cast.clinician, what="recovery plans and lapses"
    ).exists()


def test_other_clinicians_see_nothing(cast, client):
    _chain(cast, _log(cast))
    for someone in (cast.other_clinician, cast.foreign_clinician, cast.admin):
        browser = sign_in(client, someone)
        response = browser.get(reverse("recovery:client_lapses", args=[cast.enrollment.pk]))
        assert response.status_code in (403, 404)
        assert CHAIN["learning"] not in response.content.decode()


# --- the data download ---------------------------------------------------------------------------


def test_the_download_holds_each_lapse_with_its_chain(cast):
    lapse = _chain(cast, _log(cast, what_happened="It happened."))
    lapses.add_learning(lapse=lapse, by=cast.client)

    [section] = [c for c in core_exports.collect(cast.client) if c.key == "recovery_plans"]

    [row] = section.data["lapses"]
    assert row["day"] == today_of(cast)
    assert row["what_happened"] == "It happened."
    assert row["learning"] == CHAIN["learning"]
    assert row["learning_in_plan_version"] == 1
