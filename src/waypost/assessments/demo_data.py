"""Measure histories for the demo clients, so charts and reliable-change marks show real data.

Client 1 has just done a baseline PHQ-9 and the readiness ruler, with GAD-7
waiting. Client 2's PHQ-9 is easing every fortnight and one is open now.
Client 3's PHQ-9 fell from 17 to 8 over twelve weeks; a recent form had a
critical answer to question 9 that is waiting in the clinician's risk inbox.
Client 4's long history rises for a while after a lapse cluster and settles.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from waypost.assessments import catalog, scoring, services
from waypost.assessments.models import Assignment, ClinicMeasureSettings, Session, default_baseline

if TYPE_CHECKING:
    from waypost.accounts.models import User
    from waypost.demo import DemoContext
    from waypost.program.models import Enrollment

DAY = timedelta(days=1)
WEEK = timedelta(weeks=1)


def answers_for(
    instrument_id: str, total: int, *, keep_zero: tuple[str, ...] = ()
) -> list[scoring.Number]:
    """A plausible answer set with this raw total, spread across the items.

    Fills items evenly from the first, so the same total always gives the same
    answers; items in ``keep_zero`` (e.g. PHQ-9 question 9) stay at their lowest.
    """
    entry = catalog.get(instrument_id)
    if entry is None:
        raise ValueError(f"unknown instrument {instrument_id}")
    instrument = entry.instrument
    values = {item.link_id: item.low for item in instrument.items}
    remaining = total - sum(values.values())
    order = [item for item in instrument.items if item.link_id not in keep_zero]
    while remaining > 0:
        progressed = False
        for item in order:
            if remaining and values[item.link_id] < item.high:
                values[item.link_id] += 1
                remaining -= 1
                progressed = True
        if not progressed:
            raise ValueError(f"{instrument_id} cannot reach a total of {total}")
    return [values[item.link_id] for item in instrument.items]


def _history(
    enrollment: Enrollment,
    clinician: User,
    instrument_id: str,
    start: datetime,
    every: timedelta,
    totals: list[int],
    *,
    schedule: str = "weeks",
) -> Assignment:
    """An assignment from ``start`` and a completed form every ``every`` with these totals."""
    assignment = Assignment.objects.create(
        enrollment=enrollment,
        instrument_id=instrument_id,
        schedule=schedule,
        every_weeks=every.days // 7 if schedule == "weeks" else None,
        window_days=10,
        starts_at=start,
        created_by=clinician,
        created_at=start,
    )
    for index, total in enumerate(totals):
        services.record_completed(
            enrollment=enrollment,
            instrument_id=instrument_id,
            answers=answers_for(instrument_id, total, keep_zero=("phq9-9",)),
            at=start + index * every,
            assignment=assignment,
            notify=False,
        )
    return assignment


def load(context: DemoContext) -> None:
    now = context.now
    first, second = (p.user for p in context.clinicians)

    # Client 1: two weeks in, baseline done except GAD-7, which is waiting.
    one = context.client(1)
    start = now - 12 * DAY
    _history(one, first, "phq-9", start, WEEK, [14], schedule="once")
    _history(one, first, "readiness-ruler", start, WEEK, [6], schedule="once")
    Assignment.objects.create(
        enrollment=one,
        instrument_id="gad-7",
        schedule="once",
        window_days=14,
        starts_at=now - 2 * DAY,
        created_by=first,
        created_at=now - 2 * DAY,
    )

    # Client 2: fortnightly PHQ-9 easing; the latest one opened two days ago.
    two = context.client(2)
    start = now - 8 * WEEK - 2 * DAY
    _history(two, first, "phq-9", start, 2 * WEEK, [15, 14, 12, 11])
    _history(two, first, "gad-7", start, 4 * WEEK, [12, 10])
    _history(two, first, "readiness-ruler", start, 4 * WEEK, [7, 8], schedule="once")

    # Client 3: PHQ-9 from 17 to 8 over twelve weeks, then steady; one recent form
    # answered question 9 with "Several days", which alerted the clinician.
    three = context.client(3)
    start = now - 19 * WEEK
    _history(three, first, "phq-9", start, 2 * WEEK, [17, 16, 14, 13, 11, 9, 8, 8, 7])
    _history(three, first, "gad-7", start, 4 * WEEK, [13, 11, 9, 7, 6])
    _history(three, first, "who-5", start, 6 * WEEK, [9, 12, 15, 16], schedule="weeks")
    recent = answers_for("phq-9", 8, keep_zero=("phq9-9",))
    recent[-1] = 1
    recent[0] -= 1
    services.record_completed(
        enrollment=three,
        instrument_id="phq-9",
        answers=recent,
        at=now - 3 * DAY,
        notify=False,
        alert_at=now - 3 * DAY,
    )
    Session.objects.create(
        enrollment=three, starts_at=now + 5 * DAY, created_by=first, created_at=now - WEEK
    )

    # Client 4: a long road with a rise after a lapse cluster (job loss) and recovery.
    four = context.client(4)
    start = now - 78 * WEEK
    _history(
        four,
        second,
        "phq-9",
        start,
        6 * WEEK,
        [19, 15, 12, 10, 9, 14, 15, 11, 9, 7, 6, 5, 5, 4],
    )
    _history(four, second, "who-5", start, 12 * WEEK, [7, 10, 12, 9, 14, 17, 18])

    for enrollment in (one, two, three, four):
        services.open_due_forms(enrollment=enrollment, now=now)

    # The clients above joined with no baseline (demo.py), their histories being written
    # here; someone invited to the demo clinic from now on gets the usual one.
    ClinicMeasureSettings.objects.update_or_create(
        clinic=context.clinic, defaults={"baseline_instruments": default_baseline()}
    )
