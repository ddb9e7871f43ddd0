"""Demo histories and stories: client 1 halfway through the intake with no story yet;
clients 2-4 with complete intakes and shared stories (client 3 has edited since)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from waypost.intake import services

if TYPE_CHECKING:
    from waypost.accounts.models import User
    from waypost.demo import DemoContext
    from waypost.program.models import Enrollment

DANIEL_INTAKE: dict[str, dict[str, Any]] = {
    "first_exposure": {"current_age": 24, "first_exposure_age": 14},
    "duration": {"years": 4},
    "frequency": {"sessions_per_week": 9, "hours_per_week": 11.5},
    "activities": {"kinds": ["pornography", "social_media"], "other": ""},
    "escalation": {"more_time": "yes", "more_extreme": "unsure", "values_conflict": "no"},
}

WEI_JIE_INTAKE: dict[str, dict[str, Any]] = {
    "first_exposure": {"current_age": 31, "first_exposure_age": 12},
    "duration": {"years": 8},
    "frequency": {"sessions_per_week": 5, "hours_per_week": 6.0},
    "activities": {"kinds": ["pornography", "webcam", "paid"], "other": ""},
    "escalation": {"more_time": "yes", "more_extreme": "yes", "values_conflict": "unsure"},
    "attempts": {
        "count": 3,
        "longest": "weeks",
        "what_helped": "Deleting the apps, and going to the gym straight after work.",
        "what_happened": (
            "A deadline at work, late nights alone in the study, and telling myself that "
            "once would not matter."
        ),
    },
    "conditions": {"conditions": ["anxiety"], "other": "", "treatment": "Nothing at the moment."},
    "impairment": {
        "work": "some",
        "relationships": "serious",
        "money": "some",
        "legal": "none",
        "detail": (
            "My wife found the subscriptions on our card last year. We are still together and "
            "working on trust."
        ),
    },
    "vulnerabilities": {
        "items": ["stress", "private_device", "night"],
        "detail": "I work from home three days a week.",
    },
    "moral": {"moral_distress": 3, "control_distress": 8, "note": ""},
}

FARID_INTAKE: dict[str, dict[str, Any]] = {
    "first_exposure": {"current_age": 27, "first_exposure_age": 13},
    "duration": {"years": 9},
    "frequency": {"sessions_per_week": 10, "hours_per_week": 14.0},
    "activities": {
        "kinds": ["pornography", "sexting", "dating_apps", "social_media"],
        "other": "",
    },
    "escalation": {"more_time": "yes", "more_extreme": "yes", "values_conflict": "yes"},
    "attempts": {
        "count": 5,
        "longest": "months_1_3",
        "what_helped": "The structure of Ramadan, and an accountability app with a friend.",
        "what_happened": "Every time it came back after exams, alone in my room at night.",
    },
    "conditions": {
        "conditions": ["anxiety", "other_compulsive"],
        "other": "Gaming until 3 or 4 a.m. most weekends.",
        "treatment": "Saw the university counsellor a few times two years ago.",
    },
    "impairment": {
        "work": "some",
        "relationships": "some",
        "money": "none",
        "legal": "none",
        "detail": "Had to repeat two modules in my final year.",
    },
    "vulnerabilities": {
        "items": ["loneliness", "boredom", "unstructured", "private_device", "night"],
        "detail": "",
    },
    "moral": {
        "moral_distress": 9,
        "control_distress": 6,
        "note": "My faith matters a lot to me. I feel I am letting God and my family down.",
    },
}

MARCUS_INTAKE: dict[str, dict[str, Any]] = {
    "first_exposure": {"current_age": 38, "first_exposure_age": 11},
    "duration": {"years": 12},
    "frequency": {"sessions_per_week": 7, "hours_per_week": 12.0},
    "activities": {"kinds": ["pornography", "webcam", "paid"], "other": ""},
    "escalation": {"more_time": "yes", "more_extreme": "yes", "values_conflict": "yes"},
    "attempts": {
        "count": 2,
        "longest": "months_3_6",
        "what_helped": "A 12-step group for a few months, and my brother knowing.",
        "what_happened": (
            "I stopped going to meetings when work got busy. The first lapse came after an "
            "argument at home."
        ),
    },
    "conditions": {
        "conditions": ["depression"],
        "other": "",
        "treatment": "Sertraline from my GP for about two years.",
    },
    "impairment": {
        "work": "some",
        "relationships": "serious",
        "money": "some",
        "legal": "none",
        "detail": "A warning at work about the office laptop. My partner moved out for a month.",
    },
    "vulnerabilities": {"items": ["stress", "loneliness", "private_device", "night"], "detail": ""},
    "moral": {"moral_distress": 2, "control_distress": 9, "note": ""},
}

WEI_JIE_STORY: dict[str, dict[str, Any]] = {
    "began": {
        "text": (
            "A cousin showed me a website when I was twelve, at a family gathering. I did not "
            "understand it, but I remember going back to it on the family computer when "
            "everyone was asleep. It felt like a secret that was only mine."
        )
    },
    "grew": {
        "text": (
            "At university I had my own laptop and a room to myself, and it became something I "
            "did most nights. When I started working, the pressure went up and so did the "
            "hours. Paying for webcam shows started in the year my father was ill."
        )
    },
    "function": {
        "functions": ["soothing", "escaping"],
        "text": "After a hard day it is the fastest way I know to switch off my head.",
    },
    "underneath": {
        "drivers": ["anxiety", "stress", "shame"],
        "text": "Worry about work, and then shame about the hours I lost, which makes it worse.",
    },
    "cost": {
        "text": "Trust with my wife. Sleep. Money I would rather have saved for our home.",
        "wanted": "To be honest with her, to sleep properly, and to feel I am in charge again.",
    },
}

FARID_STORY: dict[str, dict[str, Any]] = {
    "began": {
        "text": (
            "I was thirteen and found it through a link in a game chat. At home nobody talked "
            "about anything to do with sex, so I had nobody to ask."
        )
    },
    "grew": {
        "text": (
            "It grew at university when I moved out. Long evenings, no timetable, my phone in "
            "bed. Chatting with strangers on apps came later."
        )
    },
    "function": {"functions": ["numbing", "avoiding"], "text": "It fills the empty evenings."},
    "underneath": {
        "drivers": ["loneliness", "boredom", "shame"],
        "text": "Being far from family, and feeling like I do not fit in anywhere.",
    },
    "cost": {
        "text": "My grades, my sleep, and praying with a clear heart.",
        "wanted": "Friends I see in person, and to feel at peace with my faith.",
    },
}

MARCUS_STORY: dict[str, dict[str, Any]] = {
    "began": {
        "text": (
            "I was eleven. An older boy in the neighbourhood had magazines and then videos. "
            "Later, when we got the internet at home, I went looking on my own."
        )
    },
    "grew": {
        "text": (
            "In my twenties it was a few times a week. After my divorce it was every night, "
            "and I started paying for private shows. I tried to stop twice."
        )
    },
    "function": {
        "functions": ["numbing", "escaping", "rewarding"],
        "text": "A way to not feel the heaviness in the evenings, and a reward after long days.",
    },
    "underneath": {
        "drivers": ["low_mood", "loneliness", "conflict"],
        "text": "Low mood most of my adult life, and arguments I never knew how to repair.",
    },
    "cost": {
        "text": "My first marriage, a lot of money, and many nights of sleep.",
        "wanted": "A steady relationship, a job I can be proud of, and mornings without dread.",
    },
}


def _fill(
    enrollment: Enrollment, answers: dict[str, dict[str, Any]], by: User, at: datetime
) -> None:
    for offset, (key, value) in enumerate(answers.items()):
        services.save_intake_topic(
            enrollment=enrollment,
            topic_key=key,
            answers=value,
            by=by,
            at=at + timedelta(minutes=3 * offset),
        )


def _write(enrollment: Enrollment, story: dict[str, dict[str, Any]], at: datetime) -> None:
    for offset, (key, content) in enumerate(story.items()):
        services.save_story_part(
            enrollment=enrollment,
            part_key=key,
            content=content,
            by=enrollment.client,
            at=at + timedelta(days=offset),
        )


def load(context: DemoContext) -> None:
    # Client 1: started the intake four days in, stopped after five topics; no story yet.
    daniel = context.client(1)
    _fill(daniel, DANIEL_INTAKE, daniel.client, daniel.created_at + timedelta(days=4, hours=13))

    # Client 2: sent the intake in the first week; shared the story in week 3.
    wei_jie = context.client(2)
    start = wei_jie.created_at + timedelta(days=2, hours=12)
    _fill(wei_jie, WEI_JIE_INTAKE, wei_jie.client, start)
    services.complete_intake(enrollment=wei_jie, by=wei_jie.client, at=start + timedelta(hours=1))
    _write(wei_jie, WEI_JIE_STORY, wei_jie.created_at + timedelta(days=10, hours=14))
    services.share_story(
        enrollment=wei_jie, by=wei_jie.client, at=wei_jie.created_at + timedelta(days=20)
    )

    # Client 3: went through the intake with his clinician in session; shared his story in
    # week 4, then kept writing (edited since sharing).
    farid = context.client(3)
    clinician = farid.primary_clinician.user
    start = farid.created_at + timedelta(days=7, hours=2)
    _fill(farid, FARID_INTAKE, clinician, start)
    services.complete_intake(enrollment=farid, by=clinician, at=start + timedelta(minutes=40))
    _write(farid, FARID_STORY, farid.created_at + timedelta(days=16, hours=15))
    services.share_story(
        enrollment=farid, by=farid.client, at=farid.created_at + timedelta(days=27)
    )
    services.save_story_part(
        enrollment=farid,
        part_key="cost",
        content={
            "text": (
                "My grades, my sleep, and praying with a clear heart. Also my brother: I kept "
                "cancelling on him because I did not want him to see how I was."
            ),
            "wanted": (
                "Friends I see in person, and to feel at peace with my faith. To tell my "
                "brother the truth."
            ),
        },
        by=farid.client,
        at=farid.created_at + timedelta(weeks=10),
    )

    # Client 4: sent the intake in the first week, shared the story a few weeks later.
    marcus = context.client(4)
    start = marcus.created_at + timedelta(days=3, hours=11)
    _fill(marcus, MARCUS_INTAKE, marcus.client, start)
    services.complete_intake(enrollment=marcus, by=marcus.client, at=start + timedelta(hours=2))
    _write(marcus, MARCUS_STORY, marcus.created_at + timedelta(days=12, hours=20))
    services.share_story(
        enrollment=marcus, by=marcus.client, at=marcus.created_at + timedelta(weeks=4)
    )
