"""What a report says: the chosen sections only, for the chosen period, in the words of its
purpose, and never anything private."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from tests.flourish.helpers import a_goal, to_stage_four
from tests.reports.helpers import PRIVATE, a_report, fill_record, report_text
from waypost.caseload.reports import content
from waypost.caseload.reports import sections as catalogue
from waypost.connect import attendance

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 on Monday 2 March in Singapore


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _built(cast, **choices):
    return content.build(a_report(cast, **choices), now=NOW)


def test_only_the_chosen_sections_are_in_the_report_in_its_order(cast):
    fill_record(cast, NOW)
    built = _built(cast, sections=[catalogue.STAGES, catalogue.MEASURES])
    assert [s.key for s in built.sections] == [catalogue.MEASURES, catalogue.STAGES]
    text = report_text(built)
    for section in catalogue.SECTIONS:
        chosen = section.key in (catalogue.MEASURES, catalogue.STAGES)
        assert (str(section.title) in text) is chosen, section.key
    assert "Mood week by week" not in text and "Current streak" not in text


def test_a_referral_starts_with_fewer_sections_and_holds_only_what_was_ticked(cast):
    fill_record(cast, NOW)
    assert catalogue.DEFAULTS["referral"] == (catalogue.MEASURES, catalogue.DAYS, catalogue.STAGES)
    assert set(catalogue.DEFAULTS["referral"]) < set(catalogue.DEFAULTS["client"])
    built = _built(cast, purpose="referral", sections=[catalogue.DAYS])
    text = report_text(built)
    assert [s.key for s in built.sections] == [catalogue.DAYS]
    assert "PHQ-9" not in text and "Average mood" not in text and "Stage now" not in text
    assert built.subtitle == "Sam Client, for a referral"


def test_a_referral_uses_the_clinical_terms_and_the_clients_report_plain_words(cast):
    fill_record(cast, NOW)
    referral = report_text(_built(cast, purpose="referral", sections=[catalogue.MEASURES]))
    assert "Patient Health Questionnaire (PHQ-9)" in referral
    assert "Reliable improvement" in referral
    assert "Jacobson and Truax" in referral
    own = report_text(_built(cast, purpose="client", sections=[catalogue.MEASURES]))
    assert "PHQ-9" not in own and "reliable" not in own.lower()
    assert "Mood questionnaire" in own
    assert "A real improvement, not a day-to-day wobble" in own


def test_nothing_private_is_in_a_report_with_every_section(cast):
    fill_record(cast, NOW)
    to_stage_four(cast)
    goal = a_goal(cast, why="because my kids notice")
    from waypost.flourish.services import add_note

    add_note(goal=goal, by=cast.client, text="Harder week, talked it through")
    for purpose in ("client", "referral"):
        text = report_text(_built(cast, purpose=purpose))
        for words in PRIVATE:
            assert words not in text, words
        assert "Walk outside three times a week" in text  # the goal itself is in


def test_the_period_leaves_out_scores_check_ins_and_urges_from_outside_it(cast):
    fill_record(cast, NOW)
    whole = report_text(_built(cast, sections=[catalogue.MEASURES, catalogue.CHECK_INS]))
    assert "From 16 to 6" in whole
    assert "Days with a check-in: 4 of 10 days (40%)" in whole
    # The last eight days only: the second form, three check-ins, the two urges.
    built = _built(
        cast,
        sections=[catalogue.MEASURES, catalogue.CHECK_INS, catalogue.DAYS],
        start=date(2026, 2, 23),
        end=date(2026, 3, 2),
    )
    text = report_text(built)
    assert "Period: 23 Feb 2026 to 2 Mar 2026" in text
    assert "1 score, on 23 Feb 2026: 6, on a scale from 0 to 27." in text
    assert "2 Feb 2026" not in text
    assert "Days with a check-in: 3 of 3 days (100%)" in text
    assert "Average mood: 3 of 5 (Okay)" in text
    assert "Urges noted in this period: 2" in text
    assert "Urges resisted in this period: 1" in text


def test_the_day_counter_counts_up_to_the_end_of_the_period(cast):
    fill_record(cast, NOW)
    text = report_text(_built(cast, sections=[catalogue.DAYS]))
    # Stage 2 began today (the cast), so the counter starts today; a lapse two days ago
    # came before it and does not count.
    assert "Counting since: 2 Mar 2026" in text
    assert "Current streak: 1 day" in text
    assert "Lapse days, in all: 0" in text


def test_before_stage_two_the_days_and_check_ins_say_so_kindly(cast):
    from waypost.program.services import change_stage

    change_stage(
        enrollment=cast.enrollment, to_stage=1, reason="Back to basics.", by=cast.clinician
    )
    text = report_text(_built(cast, sections=[catalogue.DAYS, catalogue.CHECK_INS]))
    assert "The day counter begins in Stage 2; it has not begun yet." in text
    assert "Daily check-ins begin in Stage 2." in text


def test_attendance_is_read_through_the_registry_and_cut_to_the_period(cast):
    occasions = [
        attendance.Attended("test", NOW - timedelta(days=days), f"Meeting {days}", days % 2 == 0)
        for days in (1, 3, 20)
    ]

    def count(enrollment, since):
        return sum(1 for o in occasions if since is None or o.at >= since)

    source = attendance.AttendanceSource("test", "Test meetings", count, lambda e, n: occasions)
    attendance.register(source)
    try:
        text = report_text(_built(cast, sections=[catalogue.ATTENDANCE], start=date(2026, 2, 25)))
    finally:
        attendance.unregister("test")
    assert "Test meetings: 2" in text
    assert "Meeting 1" in text and "Meeting 3" in text
    assert "Meeting 20" not in text


def test_goals_show_their_area_status_and_steps(cast):
    to_stage_four(cast)
    a_goal(cast)
    text = report_text(_built(cast, sections=[catalogue.GOALS]))
    assert "Everyday rewards | Walk outside three times a week | Working on it | 0 of 2 | —" in text


def test_stages_list_the_moves_in_the_period(cast):
    text = report_text(_built(cast, sections=[catalogue.STAGES]))
    assert "Stage now: 2: Abstinence" in text
    assert "2 Mar 2026 | 1: Learning and assessment | 2: Abstinence" in text
    earlier = report_text(
        _built(cast, sections=[catalogue.STAGES], start=date(2026, 2, 1), end=date(2026, 2, 20))
    )
    assert "1: Learning and assessment | 2: Abstinence" not in earlier
    assert "No moves between stages in this period." in earlier
