"""Data that makes every page of the crawl show something real, not only empty states.

Each app adds what its pages need; ``populate`` returns the ids that start
paths in tests/e2e/roles.py refer to (``{form}``, ``{done}``, ``{alert}``).
Versioned documents (safety plan, decisional balance, values card sort) get
two versions each, so their pages list the versions and link the earlier one.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone


def populate(cast) -> dict[str, int]:
    from waypost.assessments.services import assign_measure, plan_session, record_completed
    from waypost.safety.services import acknowledge, raise_alert, save_plan

    now = timezone.now()
    # The safety plan: written by the client, then updated with the clinician in session.
    save_plan(
        enrollment=cast.enrollment,
        content={
            "reasons": ["My children"],
            "warning_signs": ["Staying up alone with the laptop"],
            "helpers": ["Sam 555 0100"],
        },
        by=cast.client,
        at=now - timedelta(weeks=3),
    )
    save_plan(
        enrollment=cast.enrollment,
        content={
            "reasons": ["My children", "Finishing my course"],
            "warning_signs": ["Staying up alone with the laptop", "Skipping dinner"],
            "helpers": ["Sam 555 0100"],
        },
        by=cast.clinician,
        at=now - timedelta(weeks=1),
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
    # Risk alerts: one the clinician acknowledged last month, one still open.
    earlier = raise_alert(
        enrollment=cast.enrollment,
        kind="critical_item",
        summary="PHQ-9 question 9: answered “More than half the days”",
        source_label="PHQ-9",
        at=now - timedelta(weeks=6),
        notify=False,
    )
    acknowledge(
        alert=earlier,
        by=cast.clinician,
        note="Phoned the same evening; went through the safety plan together.",
        at=now - timedelta(weeks=6) + timedelta(hours=3),
    )
    alert = raise_alert(
        enrollment=cast.enrollment,
        kind="critical_item",
        summary="PHQ-9 question 9: answered “Several days”",
        source_label="PHQ-9",
        notify=False,
    )

    # The history intake, sent to the clinician, and the story, shared with them.
    from waypost.intake import services as intake
    from waypost.intake.demo_data import WEI_JIE_INTAKE, WEI_JIE_STORY

    start = now - timedelta(weeks=5)
    for offset, (key, answers) in enumerate(WEI_JIE_INTAKE.items()):
        intake.save_intake_topic(
            enrollment=cast.enrollment,
            topic_key=key,
            answers=answers,
            by=cast.client,
            at=start + timedelta(minutes=3 * offset),
        )
    intake.complete_intake(
        enrollment=cast.enrollment, by=cast.client, at=start + timedelta(hours=1)
    )
    for offset, (key, content) in enumerate(WEI_JIE_STORY.items()):
        intake.save_story_part(
            enrollment=cast.enrollment,
            part_key=key,
            content=content,
            by=cast.client,
            at=start + timedelta(days=2 + offset),
        )
    intake.share_story(enrollment=cast.enrollment, by=cast.client, at=start + timedelta(days=8))

    from waypost.motivation import tools as motivation
    from waypost.motivation.services import save_balance, save_sort, save_top
    from waypost.motivation.values_cards import CARDS

    # The decisional balance: the client's first go, then a second one in session.
    save_balance(
        enrollment=cast.enrollment,
        content={"now_good": ["It switches my head off"], "change_good": ["Sleep, and trust"]},
        by=cast.client,
        at=now - timedelta(weeks=4),
    )
    save_balance(
        enrollment=cast.enrollment,
        content={
            "now_good": ["It switches my head off"],
            "now_costs": ["Tired at work most mornings"],
            "change_costs": ["Not knowing what to do at night instead"],
            "change_good": ["Sleep, and trust"],
        },
        by=cast.clinician,
        at=now - timedelta(weeks=1),
    )
    # The values card sort, done twice, top values chosen in each sitting.
    cards = list(CARDS)
    for weeks, very in ((4, cards[:6]), (1, cards[2:8])):
        at = now - timedelta(weeks=weeks)
        save_sort(
            enrollment=cast.enrollment,
            piles={key: motivation.VERY if key in very else motivation.NOT for key in cards},
            by=cast.client,
            at=at,
        )
        save_top(
            enrollment=cast.enrollment,
            cards=very[:3],
            by=cast.client,
            at=at + timedelta(minutes=5),
        )
    # A client invitation still waiting, so the caseload lists it with Resend and Withdraw.
    from waypost.accounts.services import create_invitation

    create_invitation(
        kind="client",
        clinic=cast.clinic,
        email="waiting@north.test",
        name="Wren Waiting",
        by=cast.clinician,
        send=False,
    )
    _plans_and_lapses(cast, now)
    _urges_and_devices(cast, now)
    return {"form": form.pk, "done": done.pk, "alert": alert.pk}


def _urges_and_devices(cast, now) -> None:
    """Three urges (so every chart of the pattern view has bars) and a phone with two steps."""
    from uuid import uuid4

    from waypost.recovery.services import devices, urges

    for hours, trigger, outcome, instead in (
        (30, "Late at night", "resisted", ["Went for a walk"]),
        (20, "Stress", "lapsed", ["Went for a walk"]),
        (2, "Boredom", "unsure", []),
    ):
        urges.log_urge(
            enrollment=cast.enrollment,
            by=cast.client,
            client_uuid=uuid4(),
            intensity=6,
            trigger=trigger,
            tired=True,
            emotion="lonely",
            instead=instead,
            outcome=outcome,
            occurred_at=now - timedelta(hours=hours),
        )
    phone = devices.add_device(
        enrollment=cast.enrollment, by=cast.client, client_uuid=uuid4(), name="Phone", kind="phone"
    )
    devices.set_device_step(device=phone, by=cast.client, step="filter", state="done")
    devices.set_device_step(device=phone, by=cast.client, step="dumb_phone", state="not_needed")


def _plans_and_lapses(cast, now) -> None:
    """The recovery plan (two versions, the first agreed), the relapse-prevention plan
    (written, then a learning added from a lapse), and a lapse looked back at."""
    from uuid import uuid4

    from waypost.recovery.selectors import client_today
    from waypost.recovery.services import lapses, plans

    today = client_today(cast.enrollment)
    circles = {"inner": ["Watching porn"], "middle": ["Scrolling in bed"], "outer": ["Running"]}
    plans.save_recovery_plan(
        enrollment=cast.enrollment,
        by=cast.client,
        start_date=today,
        period_days=90,
        circles=circles,
        at=now - timedelta(hours=2),
    )
    plans.review_plan(enrollment=cast.enrollment, by=cast.clinician, document="recovery", version=1)
    plans.save_recovery_plan(
        enrollment=cast.enrollment,
        by=cast.clinician,
        start_date=today,
        period_days=60,
        circles={**circles, "outer": ["Running", "Calling my brother"]},
    )
    plans.save_prevention_plan(
        enrollment=cast.enrollment,
        by=cast.client,
        content={"reasons": ["My children"], "people": ["Sam, 555 0100"]},
    )
    lapse = lapses.log_lapse(
        enrollment=cast.enrollment,
        by=cast.client,
        day=today,
        client_uuid=uuid4(),
        what_happened="Late, alone with the laptop.",
    )
    lapses.save_chain(
        lapse=lapse,
        by=cast.client,
        chain={"trigger": "Alone after 10", "differently": "Laptop out", "learning": "Bed by 11."},
    )
    lapses.add_learning(lapse=lapse, by=cast.client)
