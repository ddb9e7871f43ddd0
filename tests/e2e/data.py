"""Data that makes every page of the crawl show something real, not only empty states.

Each app adds what its pages need; ``populate`` returns the ids that start
paths in tests/e2e/roles.py refer to (``{form}``, ``{done}`` …).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone


def populate(cast) -> dict[str, int]:
    from waypost.assessments.services import assign_measure, plan_session, record_completed
    from waypost.safety.services import raise_alert, save_plan

    now = timezone.now()
    save_plan(
        enrollment=cast.enrollment,
        content={
            "reasons": ["My children"],
            "warning_signs": ["Staying up alone with the laptop"],
            "helpers": ["Sam 555 0100"],
        },
        by=cast.client,
    )
    for weeks, answers in ((6, [2, 2, 2, 2, 2, 2, 2, 2, 0]), (2, [1, 1, 1, 1, 1, 1, 1, 0, 0])):
        done = record_completed(
            enrollment=cast.enrollment,
            instrument_id="phq-9",
            answers=answers,
            at=now - timedelta(weeks=weeks),
        )
    assign_measure(
        enrollment=cast.enrollment,
        instrument_id="gad-7",
        schedule="weeks",
        every_weeks=2,
        by=cast.clinician,
    )
    plan_session(enrollment=cast.enrollment, starts_at=now + timedelta(days=6), by=cast.clinician)
    form = cast.enrollment.measure_forms.get(status="open")
    raise_alert(
        enrollment=cast.enrollment,
        kind="critical_item",
        summary="PHQ-9 question 9: answered “Several days”",
        source_label="PHQ-9",
        notify=False,
    )
    from waypost.learn import motivation
    from waypost.learn.motivation_services import save_balance, save_sort, save_top
    from waypost.learn.values_cards import CARDS

    save_balance(
        enrollment=cast.enrollment,
        content={"now_good": ["It switches my head off"], "change_good": ["Sleep, and trust"]},
        by=cast.client,
    )
    cards = list(CARDS)
    save_sort(
        enrollment=cast.enrollment,
        piles={key: motivation.VERY if i < 6 else motivation.NOT for i, key in enumerate(cards)},
        by=cast.client,
    )
    save_top(enrollment=cast.enrollment, cards=cards[:3], by=cast.client)
    return {"form": form.pk, "done": done.pk}
