"""Demo Stage 4: client 4, months into the stage, with goals in four areas and a plan agreed.

Everything is made through the services the product uses, at moments in the past.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from waypost.flourish import services
from waypost.recovery.selectors import client_today

if TYPE_CHECKING:
    from waypost.demo import DemoContext
    from waypost.program.models import Enrollment


def _at(context: DemoContext, enrollment: Enrollment, days_ago: float) -> datetime:
    """A moment ``days_ago`` before now, but never before Stage 4 began."""
    at = context.now - timedelta(days=days_ago)
    return max(at, enrollment.stage_entered_at + timedelta(hours=2))


def load(context: DemoContext) -> None:
    enrollment = context.client(4)
    if enrollment.stage != 4:
        return
    client = enrollment.client
    clinician = enrollment.primary_clinician.user
    today = client_today(enrollment, context.now)
    goals = [
        (
            "social_skills",
            "See friends in person every week",
            "I used to hide at home. I want people around me again.",
            70,
            [
                "Join the Saturday walking group",
                "Call Jun once a week",
                "Invite friends for dinner",
            ],
            2,
            ["Went to the walking group three times now. Easier each time."],
            21,
        ),
        (
            "self_care",
            "Sleep before midnight most nights",
            "",
            60,
            ["Phone charges in the kitchen", "Reading instead of scrolling", "Same wake-up time"],
            3,
            ["Two weeks of good sleep. I feel steadier at work."],
            -3,  # review already due: Today shows it
        ),
        (
            "amends",
            "Rebuild trust with Mei",
            "She matters more than anything I was escaping into.",
            45,
            [
                "Honest conversation, with my clinician's help",
                "Couples session",
                "Keep small promises",
            ],
            1,
            [],
            30,
        ),
        (
            "meaning",
            "Volunteer at the community garden",
            "",
            20,
            ["Ask about the Sunday shift", "Go for a trial morning"],
            0,
            [],
            45,
        ),
    ]
    for domain, title, why, days_ago, steps, done, notes, review_in in goals:
        at = _at(context, enrollment, days_ago)
        goal = services.create_goal(
            enrollment=enrollment,
            by=client,
            domain=domain,
            title=title,
            why=why,
            review_on=None,
            steps=steps,
            at=at,
        )
        goal.review_on = today + timedelta(days=review_in)
        goal.save(update_fields=["review_on"])
        for n, step in enumerate(list(goal.steps.all())[:done]):
            services.set_step_done(
                step=step, by=client, done=True, at=at + timedelta(days=5 * (n + 1))
            )
        for n, text in enumerate(notes):
            services.add_note(goal=goal, by=client, text=text, at=at + timedelta(days=12 + n))
    first = enrollment.goals.order_by("created_at").first()
    if first is not None:
        services.add_note(
            goal=first,
            by=clinician,
            text="Lovely progress. Let's talk about what made the first walk possible.",
            at=_at(context, enrollment, 8),
        )
    plan = services.save_maintenance_plan(
        enrollment=enrollment,
        by=clinician,
        rhythm="several",
        warning_signs=[
            "Sleeping badly several nights running",
            "Keeping secrets from Mei again",
            "Staying up alone with my phone",
        ],
        if_they_appear=[
            "Tell Mei or Jun the same day",
            "Go back to daily check-ins for two weeks",
            "Book a session with my clinician",
        ],
        at=_at(context, enrollment, 75),
    )
    services.agree_maintenance_plan(
        enrollment=enrollment,
        by=clinician,
        version=plan.version,
        at=_at(context, enrollment, 75) + timedelta(minutes=5),
    )
