"""Two clients the Today tests share: one with several things waiting, one with nothing.

Plain functions on the fixed cast (tests/cast.py), so the unit tests and the
browser tests see the same Today.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone


def busy(cast) -> None:
    """The cast's client with two questionnaires, reading, a request, a session and no plan.

    - PHQ-9 open for 7 days and GAD-7 open for 2 (GAD-7 closes first);
    - a module their clinician assigned, unread;
    - their clinician asked them to look at their decisional balance;
    - two topics of the history saved, the story not started;
    - no safety plan, no device plan;
    - a session with their clinician in three days;
    - today's check-in done (it would otherwise lead Today: tests/recovery/test_pages.py).
    """
    from waypost.assessments import services as measures
    from waypost.intake import services as intake
    from waypost.intake.demo_data import WEI_JIE_INTAKE
    from waypost.learn import content
    from waypost.learn import services as reading
    from waypost.motivation.services import ask_client

    enrollment, clinician = cast.enrollment, cast.clinician
    measures.assign_measure(
        enrollment=enrollment, instrument_id="phq-9", window_days=7, by=clinician
    )
    measures.assign_measure(
        enrollment=enrollment, instrument_id="gad-7", window_days=2, by=clinician
    )
    module = content.library().get("triggers-and-the-chain")
    assert module is not None
    reading.assign_module(enrollment=enrollment, module=module, by=clinician)
    ask_client(enrollment=enrollment, tool="balance", by=clinician)
    for key, answers in list(WEI_JIE_INTAKE.items())[:2]:
        intake.save_intake_topic(
            enrollment=enrollment, topic_key=key, answers=answers, by=cast.client
        )
    measures.plan_session(
        enrollment=enrollment, starts_at=timezone.now() + timedelta(days=3), by=clinician
    )
    checked_in_today(cast)


def checked_in_today(cast) -> None:
    """The cast's client (in Stage 2) has done today's check-in, and has a recovery plan.

    (Without a plan, "Write your plan" waits on Today: tests/recovery/test_plans.py.)
    """
    from tests.recovery.helpers import keep
    from waypost.recovery.selectors import stage_start
    from waypost.recovery.services.plans import save_recovery_plan

    keep(cast)
    save_recovery_plan(
        enrollment=cast.enrollment,
        by=cast.client,
        start_date=stage_start(cast.enrollment),
        period_days=90,
        circles={"inner": ["Watching porn"]},
    )


def quiet(cast) -> None:
    """The cast's client with nothing waiting: everything done, read, written and shared,
    today's check-in too."""
    from waypost.intake import services as intake
    from waypost.intake.demo_data import WEI_JIE_INTAKE, WEI_JIE_STORY
    from waypost.learn import content
    from waypost.learn import services as reading
    from waypost.motivation.services import record_readiness
    from waypost.safety.services import save_plan

    enrollment, client = cast.enrollment, cast.client
    save_plan(
        enrollment=enrollment,
        content={"reasons": ["My children"], "coping": ["A walk round the block"]},
        by=client,
    )
    for key, answers in WEI_JIE_INTAKE.items():
        intake.save_intake_topic(enrollment=enrollment, topic_key=key, answers=answers, by=client)
    intake.complete_intake(enrollment=enrollment, by=client)
    for key, text in WEI_JIE_STORY.items():
        intake.save_story_part(enrollment=enrollment, part_key=key, content=text, by=client)
    intake.share_story(enrollment=enrollment, by=client)
    for module in content.library().core:
        reading.mark_read(enrollment=enrollment, module=module)
    record_readiness(enrollment=enrollment, value=7, by=client)
    checked_in_today(cast)
    hardened_phone(cast)


def hardened_phone(cast) -> None:
    """The cast's client's one device, every step of its plan settled."""
    from uuid import uuid4

    from waypost.recovery.device_selectors import applicable_steps
    from waypost.recovery.services.devices import add_device, set_device_step

    phone = add_device(
        enrollment=cast.enrollment, by=cast.client, client_uuid=uuid4(), name="Phone", kind="phone"
    )
    for step in applicable_steps("phone"):
        set_device_step(device=phone, by=cast.client, step=step, state="done")
