"""Demo days for the clients from Stage 2 on: check-ins, hard moments, lapses, practice.

Plausible, not perfect, and the same on every load (a seeded random generator per
client):

- client 2 (Stage 2 for five weeks): checks in most days, a lapse in his second week
  after a late night alone, urges mostly late in the evening and at weekends;
- client 3 (Stage 3; Stage 2 began fifteen weeks ago): over a hundred days, two lapses
  worked through, urges fading as the weeks go by, mindfulness most mornings;
- client 4 (Stage 4): the last ninety days of a long recovery, quieter still.

Client 2 also notes moments on slippery ground (the middle-circle log): a few over the
weeks and two in the last few days, so the log, his timeline and the "Middle circle"
early warning have something to show.

History older than the check-in's edit window cannot go through the services (they
keep only the last few days), so the rows are stored directly, with the local dates
and hours the services would have stamped; the plans are saved through the plan
services, as a client and clinician would.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from waypost.recovery import days, selectors
from waypost.recovery.models import CheckIn, Device, DeviceStep, Lapse, Practice, Urge

if TYPE_CHECKING:
    from waypost.demo import DemoContext
    from waypost.program.models import Enrollment

TRIGGERS = (
    "Late at night, alone",
    "Bored at home",
    "Stress at work",
    "Scrolling in bed",
    "After an argument",
    "Feeling lonely",
    "Tired",
)
INSTEAD = (
    "Urge surfing",
    "Went for a walk",
    "Called a friend",
    "Cold shower",
    "Breathing exercise",
    "Left the phone in the living room",
)
PLACES = ("Bedroom", "Living room", "Office", "Bus home")
NOTES = (
    "Good day. Ran in the morning.",
    "Long day at work but I kept to the plan.",
    "Felt flat in the evening; went to bed early.",
    "Dinner with family, felt connected.",
    "",
    "",
    "",
)


@dataclass(frozen=True)
class Profile:
    """How one demo client's days tend to go."""

    seed: int
    days: int  # how many days back the history runs
    lapse_days_ago: tuple[int, ...]
    skip_rate: float  # how often a day has no check-in
    urges_at_start: float  # urges a day at the beginning, fading to a third by the end
    mindful_mornings: float


PROFILES = {
    2: Profile(
        seed=2,
        days=34,
        lapse_days_ago=(25,),
        skip_rate=0.1,
        urges_at_start=1.6,
        mindful_mornings=0.4,
    ),
    3: Profile(
        seed=3,
        days=104,
        lapse_days_ago=(93, 61),
        skip_rate=0.08,
        urges_at_start=1.8,
        mindful_mornings=0.7,
    ),
    4: Profile(
        seed=4, days=90, lapse_days_ago=(), skip_rate=0.15, urges_at_start=0.6, mindful_mornings=0.8
    ),
}


def load(context: DemoContext) -> None:
    for n, profile in PROFILES.items():
        enrollment = context.client(n)
        _days_of(enrollment, profile, context.now)
        _plans(enrollment, profile, context.now, reviewed=n != 2)
        _look_back(enrollment, context.now)
    _middle_moments(context.client(2), context.now)


CIRCLES = {
    "inner": [
        "Watching porn on any device",
        "Explicit chat or cam sites",
        "Searching for explicit images",
    ],
    "middle": [
        "Scrolling social media in bed",
        "Staying up after midnight alone",
        "Browsing in private mode",
        "Keeping the phone in the bedroom",
    ],
    "outer": [
        "Running with the club on Saturdays",
        "Dinner with family without phones",
        "Ten minutes of mindfulness in the morning",
        "Calling a friend on the way home",
    ],
}
PREVENTION: dict[str, list[Any]] = {
    "reasons": [
        "Being present with the people I love",
        "Sleeping properly and having energy for work",
        "Not living with secrets",
    ],
    "triggers": ["Being home alone in the evening", "Stress after a hard day", "Boredom"],
    "high_risk": ["Work trips and hotel rooms", "After drinking", "Weekends with no plans"],
    "warning_signs": [
        "Staying up past midnight",
        "Skipping exercise for a few days",
        "Telling myself 'just a quick look'",
    ],
    "if_then": [
        {"if": "I'm alone with my phone after 10", "then": "it charges in the living room"},
        {"if": "I feel the pull in bed", "then": "I get up and do the 90-second wave"},
    ],
    "people": [{"name": "My brother", "phone": "8123 4567"}],
}
CHAINS = [
    {
        "what_happened": "Late on a Friday after a long week, I ended up on explicit sites.",
        "vulnerabilities": "Slept badly all week; skipped my run; nothing planned for the night.",
        "trigger": "An argument on the phone, then scrolling in bed to calm down.",
        "thoughts": "'I deserve a break.' 'Just a few minutes won't matter.'",
        "feelings": "Tired, lonely, restless.",
        "actions": "Kept scrolling, switched to private mode, stayed up until 2.",
        "consequences": "Felt low the next day, but told my clinician at the next session.",
        "differently": "put the phone in the living room and call my brother",
        "learning": "Tiredness and being alone together are my riskiest mix: plan those nights.",
    },
    {
        "what_happened": "On a work trip, alone in the hotel room.",
        "vulnerabilities": "Away from my routine; no run; a drink at dinner.",
        "trigger": "Being alone in a hotel room at night",
        "thoughts": "'Nobody will know.'",
        "feelings": "Bored and a bit lonely.",
        "actions": "Searched on the laptop, which had no filter yet.",
        "consequences": "Slept badly; reached out to my brother the next morning.",
        "differently": "call home and go for a walk before going up to the room",
        "learning": "Hotel nights need a plan before I travel, and a filter on the laptop.",
    },
]


def _plans(enrollment: Enrollment, profile: Profile, now: datetime, *, reviewed: bool) -> None:
    """The recovery plan written with the clinician on day one; the relapse-prevention plan
    a week later by the client; both agreed and reviewed in session (client 2's
    relapse-prevention plan is still waiting for his next session)."""
    from waypost.recovery.models import PlanReview
    from waypost.recovery.services import plans

    clinician = enrollment.primary_clinician.user
    zone = selectors.client_time_zone(enrollment)
    start = days.local_date(now, zone) - timedelta(days=profile.days)
    began = now - timedelta(days=profile.days, hours=2)
    plan = plans.save_recovery_plan(
        enrollment=enrollment,
        by=clinician,
        start_date=start,
        period_days=90,
        circles=CIRCLES,
        at=began,
    )
    plans.review_plan(
        enrollment=enrollment,
        by=clinician,
        document=PlanReview.Document.RECOVERY,
        version=plan.version,
        at=began + timedelta(minutes=5),
    )
    prevention = plans.save_prevention_plan(
        enrollment=enrollment,
        by=enrollment.client,
        content=PREVENTION,
        at=began + timedelta(days=7),
    )
    if reviewed:
        plans.review_plan(
            enrollment=enrollment,
            by=clinician,
            document=PlanReview.Document.PREVENTION,
            version=prevention.version,
            at=began + timedelta(days=9),
        )


# Client 2's moments on slippery ground: (days ago, local hour, items from his middle
# circle by position, something else, note).
MIDDLE_MOMENTS: tuple[tuple[int, int, tuple[int, ...], str, str], ...] = (
    (26, 23, (0, 1), "", "Couldn't sleep after the argument."),
    (19, 22, (0,), "", ""),
    (12, 0, (1, 3), "", ""),
    (8, 21, (), "Lying on the sofa with the laptop, nothing planned", ""),
    (4, 23, (0, 3), "", "Caught it early and put the phone in the kitchen."),
    (2, 22, (1,), "", ""),
)


def _middle_moments(enrollment: Enrollment, now: datetime) -> None:
    """Client 2's middle-circle log, noted through the service as he would, each at its time."""
    from waypost.recovery import middle_services

    zone = selectors.client_time_zone(enrollment)
    today = days.local_date(now, zone)
    middle = CIRCLES["middle"]
    for n, (days_ago, hour, picked, other, note) in enumerate(MIDDLE_MOMENTS):
        at = _aware(today - timedelta(days=days_ago), hour, zone)
        middle_services.note_moment(
            enrollment=enrollment,
            by=enrollment.client,
            client_uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"waypost-demo-middle-{n}"),
            items=[middle[i] for i in picked],
            other=other,
            note=note,
            occurred_at=at,
            plan_version=1,
            at=at + timedelta(minutes=2),
        )


def _look_back(enrollment: Enrollment, now: datetime) -> None:
    """Each demo lapse looked back at the next day, and its learning added to the plan."""
    from waypost.recovery.services import lapses as lapse_services

    for lapse, chain in zip(
        Lapse.objects.filter(enrollment=enrollment).order_by("local_date"), CHAINS, strict=False
    ):
        after = lapse.created_at + timedelta(hours=12)
        lapse_services.save_chain(lapse=lapse, by=enrollment.client, chain=chain, at=after)
        lapse_services.add_learning(lapse=lapse, by=enrollment.client, at=after)


def _aware(day: date, hour: int, zone: str) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=days.zone_named(zone))


def _days_of(enrollment: Enrollment, profile: Profile, now: datetime) -> None:
    rng = random.Random(profile.seed)  # noqa: S311 — demo data, not security
    zone = selectors.client_time_zone(enrollment)
    today = days.local_date(now, zone)
    first = today - timedelta(days=profile.days)
    lapses = {today - timedelta(days=n) for n in profile.lapse_days_ago}
    check_ins, urges, practices = [], [], []
    for offset in range(profile.days, 0, -1):  # up to yesterday: today is the client's to do
        day = today - timedelta(days=offset)
        progress = (day - first).days / max(profile.days, 1)
        lapsed = day in lapses
        weekend = day.weekday() >= 5
        expected = profile.urges_at_start * (1 - 0.65 * progress) * (1.5 if weekend else 1)
        count = int(expected) + (rng.random() < expected % 1)
        strongest = 0
        for _ in range(count + (1 if lapsed else 0)):
            hour = rng.choice((21, 22, 22, 23, 23, 0, 13, 17)) if rng.random() < 0.8 else 10
            intensity = min(10, max(2, int(rng.gauss(5.5 - 2 * progress, 1.6))))
            strongest = max(strongest, intensity)
            at = _aware(day, hour, zone)
            resisted = not lapsed or rng.random() < 0.5
            halt = {name: rng.random() < 0.3 for name in ("hungry", "angry", "lonely", "tired")}
            if hour >= 21 or hour == 0:
                halt["tired"] = rng.random() < 0.7
            urges.append(
                Urge(
                    enrollment=enrollment,
                    client_uuid=uuid.UUID(int=rng.getrandbits(128)),
                    occurred_at=at,
                    local_date=day,
                    local_hour=hour,
                    intensity=intensity,
                    trigger=rng.choice(TRIGGERS),
                    emotion=rng.choice(("bored", "stressed", "lonely", "anxious", "restless")),
                    place=rng.choice(PLACES),
                    instead=rng.choice(INSTEAD) if resisted else "",
                    outcome=Urge.Outcome.RESISTED if resisted else Urge.Outcome.LAPSED,
                    created_at=at,
                    updated_at=at,
                    **halt,
                )
            )
        if lapsed:
            at = _aware(day, 23, zone)
            Lapse.objects.create(
                enrollment=enrollment,
                client_uuid=uuid.UUID(int=rng.getrandbits(128)),
                local_date=day,
                created_at=at,
                updated_at=at,
            )
        mindful = rng.random() < profile.mindful_mornings
        if mindful:
            at = _aware(day, 7, zone)
            practices.append(
                Practice(
                    enrollment=enrollment,
                    client_uuid=uuid.UUID(int=rng.getrandbits(128)),
                    skill=rng.choice(("quiet-sit", "paced-breathing", "ride-the-wave")),
                    seconds=rng.choice((300, 600, 600, 900)),
                    local_date=day,
                    created_at=at,
                )
            )
        if rng.random() < profile.skip_rate and not lapsed:
            continue
        at = _aware(day, 22, zone)
        check_ins.append(
            CheckIn(
                enrollment=enrollment,
                local_date=day,
                client_uuid=uuid.UUID(int=rng.getrandbits(128)),
                sober=not lapsed,
                mood=max(1, min(5, round(rng.gauss(3.2 + progress, 0.8)) - (2 if lapsed else 0))),
                urge=strongest,
                sleep_hours=Decimal(rng.choice(("6", "6.5", "7", "7", "7.5", "8"))),
                mindfulness_minutes=10 if mindful else 0,
                note=rng.choice(NOTES) if not lapsed else "Hard night. Writing it up tomorrow.",
                created_at=at,
                updated_at=at,
            )
        )
    CheckIn.objects.bulk_create(check_ins)
    Urge.objects.bulk_create(urges)
    Practice.objects.bulk_create(practices)
    _devices(enrollment, first, rng, now)


def _devices(enrollment: Enrollment, first: date, rng: random.Random, now: datetime) -> None:
    """A phone with most steps done in the first fortnight, and a laptop partly done."""
    phone = Device.objects.create(
        enrollment=enrollment,
        client_uuid=uuid.UUID(int=rng.getrandbits(128)),
        name="My phone",
        kind=Device.Kind.PHONE,
        created_at=now - timedelta(days=(now.date() - first).days),
    )
    laptop = Device.objects.create(
        enrollment=enrollment,
        client_uuid=uuid.UUID(int=rng.getrandbits(128)),
        name="Work laptop",
        kind=Device.Kind.COMPUTER,
        created_at=now - timedelta(days=(now.date() - first).days),
    )
    steps = [
        (phone, DeviceStep.Step.FILTER, 1),
        (phone, DeviceStep.Step.APPS_SITES, 1),
        (phone, DeviceStep.Step.SUBSCRIPTIONS, 3),
        (phone, DeviceStep.Step.SOCIAL, 9),
        (phone, DeviceStep.Step.NIGHT, 12),
        (laptop, DeviceStep.Step.FILTER, 2),
        (laptop, DeviceStep.Step.APPS_SITES, 2),
    ]
    DeviceStep.objects.bulk_create(
        DeviceStep(device=device, step=step, done_on=first + timedelta(days=n), updated_at=now)
        for device, step, n in steps
    )
