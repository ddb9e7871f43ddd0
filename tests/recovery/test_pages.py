"""The check-in pages, Today's next step and day counter, and the clinician's record card."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from django.urls import reverse

from tests.assessments.helpers import sign_in
from tests.recovery.helpers import keep, seed, today_of
from waypost.recovery.models import CheckIn

pytestmark = pytest.mark.django_db


def _answers(**changes) -> dict:
    answers = {
        "client_uuid": str(uuid4()),
        "sober": "yes",
        "mood": "4",
        "urge": "3",
        "sleep_hours": "7.5",
        "mindfulness_minutes": "15",
        "note": "Went for a run.",
    }
    answers.update(changes)
    return answers


def _day_url(day) -> str:
    return reverse("recovery:checkin_day", args=[day.isoformat()])


def test_the_check_in_page_shows_five_controls_and_a_note(cast, client):
    browser = sign_in(client, cast.client)

    response = browser.get(reverse("recovery:checkin"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Today's check-in" in page
    for name in ("sober", "mood", "urge", "sleep_hours", "mindfulness_minutes", "note"):
        assert f'name="{name}"' in page
    assert "Very good" in page
    assert not CheckIn.objects.exists()


def test_submitting_keeps_it_and_goes_back_to_today_with_a_warm_line(cast, client):
    browser = sign_in(client, cast.client)

    response = browser.post(_day_url(today_of(cast)), _answers(), follow=True)

    assert response.redirect_chain[-1][0] == reverse("program:today")
    page = response.content.decode()
    assert "Thank you for checking in." in page
    assert "Today's check-in: done ✓" in page
    stored = CheckIn.objects.get()
    assert (stored.mood, stored.urge, str(stored.sleep_hours)) == (4, 3, "7.5")


def test_after_a_lapse_the_words_are_kind(cast, client):
    browser = sign_in(client, cast.client)

    response = browser.post(_day_url(today_of(cast)), _answers(sober="no"), follow=True)

    page = response.content.decode()
    assert "Thank you for being honest." in page
    for word in ("clean", "relapse", "reset", "failure", "failed"):
        assert word not in page.lower()


def test_a_posted_retry_is_stored_once(cast, client):
    browser = sign_in(client, cast.client)
    answers = _answers()

    browser.post(_day_url(today_of(cast)), answers)
    browser.post(_day_url(today_of(cast)), answers)

    assert CheckIn.objects.count() == 1


def test_a_missing_answer_shows_the_form_again_and_keeps_nothing(cast, client):
    browser = sign_in(client, cast.client)

    response = browser.post(_day_url(today_of(cast)), _answers(mood=""))

    assert response.status_code == 400
    assert "Please choose how your mood was." in response.content.decode()
    assert not CheckIn.objects.exists()


def test_yesterday_can_be_changed_from_its_own_page(cast, client):
    keep(cast, days_ago=1, mood=2)
    browser = sign_in(client, cast.client)
    yesterday = today_of(cast) - timedelta(days=1)

    page = browser.get(_day_url(yesterday))
    assert page.status_code == 200
    assert "You checked in for this day already." in page.content.decode()
    browser.post(_day_url(yesterday), _answers(mood="5"))

    assert CheckIn.objects.get(local_date=yesterday).mood == 5


@pytest.mark.parametrize("days_ago", [3, -1])
def test_days_outside_the_window_are_not_found(cast, client, days_ago):
    browser = sign_in(client, cast.client)
    day = today_of(cast) - timedelta(days=days_ago)

    assert browser.get(_day_url(day)).status_code == 404
    assert browser.post(_day_url(day), _answers()).status_code == 404
    assert browser.get("/checkin/not-a-date/").status_code == 404
    assert not CheckIn.objects.exists()


def test_todays_date_page_leads_to_the_check_in(cast, client):
    browser = sign_in(client, cast.client)

    response = browser.get(_day_url(today_of(cast)))

    assert response.status_code == 302
    assert response["Location"] == reverse("recovery:checkin")


def test_a_client_below_stage_2_gets_a_kind_page_and_cannot_post(cast, client):
    browser = sign_in(client, cast.foreign_client)

    page = browser.get(reverse("recovery:checkin"))
    assert page.status_code == 200
    assert "Daily check-ins start in stage 2" in page.content.decode()
    assert browser.post(reverse("recovery:checkin"), _answers()).status_code == 403
    assert not CheckIn.objects.exists()


# --- Today ------------------------------------------------------------------------------


def test_todays_check_in_is_the_first_step_until_it_is_done(cast, client):
    browser = sign_in(client, cast.client)

    before = browser.get(reverse("program:today")).context
    assert before["first_step"].key == "recovery.check_in"

    keep(cast)
    after = browser.get(reverse("program:today")).context
    assert all(
        step.key != "recovery.check_in"
        for step in [after["first_step"], *after["also_shown"], *after["also_folded"]]
        if step
    )


def test_below_stage_2_today_has_no_check_in_and_no_counter(cast, client):
    browser = sign_in(client, cast.foreign_client)

    response = browser.get(reverse("program:today"))

    assert response.context["first_step"] is None or (
        response.context["first_step"].key != "recovery.check_in"
    )
    assert "Current streak" not in response.content.decode()


def test_today_shows_the_streak_beside_the_totals_that_stay(cast, client):
    # given ten days counted, with a lapse four days ago
    enrollment = cast.enrollment
    enrollment.stage_entered_at -= timedelta(days=9)
    enrollment.save(update_fields=["stage_entered_at"])
    seed(cast, today_of(cast) - timedelta(days=4), sober=False)
    browser = sign_in(client, cast.client)

    page = browser.get(reverse("program:today")).content.decode()

    # today counts once checked in: 9 days so far with one lapse, so streak 3, total 8,
    # longest 5, and 4 days to the next milestone (7)
    assert "<dt>Current streak</dt><dd>3 days</dd>" in page
    assert "<dt>Total days</dt><dd>8 days</dd>" in page
    assert "<dt>Longest streak</dt><dd>5 days</dd>" in page
    assert "4 days to 7" in page

    # when today is checked in as kept, today counts
    keep(cast, mood=4, urge=2)
    page = browser.get(reverse("program:today")).content.decode()
    assert "<dt>Current streak</dt><dd>4 days</dd>" in page
    assert "<dt>Total days</dt><dd>9 days</dd>" in page


def test_a_lapse_logged_for_today_takes_nothing_away(cast, client):
    # given five kept days, the longest streak so far, and today not yet checked in
    enrollment = cast.enrollment
    enrollment.stage_entered_at -= timedelta(days=5)
    enrollment.save(update_fields=["stage_entered_at"])
    browser = sign_in(client, cast.client)
    page = browser.get(reverse("program:today")).content.decode()
    assert "<dt>Total days</dt><dd>5 days</dd>" in page
    assert "<dt>Longest streak</dt><dd>5 days</dd>" in page

    # when today's check-in says the inner circle was not kept
    keep(cast, sober=False)
    page = browser.get(reverse("program:today")).content.decode()

    # then a new streak begins, and the total and the longest stay as they were
    assert "<dt>Current streak</dt><dd>A new one begins tomorrow</dd>" in page
    assert "<dt>Total days</dt><dd>5 days</dd>" in page
    assert "<dt>Longest streak</dt><dd>5 days</dd>" in page


# --- the clinician's record ----------------------------------------------------------------


def test_the_record_shows_the_counter_adherence_and_the_last_fortnight(cast, client):
    keep(cast, mood=5, urge=1)
    keep(cast, days_ago=1, sober=False, note="Private words")
    browser = sign_in(client, cast.clinician)

    page = browser.get(reverse("caseload:record", args=[cast.enrollment.pk])).content.decode()

    assert "Days and check-ins" in page
    assert "Check-ins: 2 of the last 14 days (14%)" in page
    assert page.count("no check-in") == 12
    assert "lapse" in page
    assert "Private words" not in page


def test_the_record_card_is_for_the_primary_clinician_only(cast, client):
    keep(cast)
    for someone in (cast.other_clinician, cast.foreign_clinician):
        browser = sign_in(client, someone)
        response = browser.get(reverse("caseload:record", args=[cast.enrollment.pk]))
        assert response.status_code == 404


def test_the_clinicians_look_at_check_ins_is_audited(cast, client):
    from waypost.core.models import AuditEvent

    keep(cast)
    browser = sign_in(client, cast.clinician)

    browser.get(reverse("caseload:record", args=[cast.enrollment.pk]))

    assert AuditEvent.objects.filter(what="check-ins", actor=cast.clinician).exists()
