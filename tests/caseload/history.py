"""A client's history, written in bulk: for the caseload's query-count tests and its benchmark.

``seed_history`` gives one enrollment ``days`` days of what a client in Stage 2 or later
leaves behind: daily check-ins (a lapse now and then) with their timeline lines, urges,
fortnightly questionnaires (one open now, one missed lately), risk alerts (acknowledged,
sometimes one open), early warnings (resolved, sometimes one open), two devices on
Shield (sometimes one silent), messages (sometimes one unread) and fortnightly
appointments (some ahead). Bulk inserts only, so a year for hundreds of clients takes
seconds; ``benchmarks/caseload.py`` uses it too.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from tests.cast import make_user
from waypost.accounts.models import User
from waypost.assessments.models import Administration
from waypost.caseload.appointments.models import Appointment, Booking
from waypost.caseload.messages.models import Message
from waypost.core.models import TimelineEvent
from waypost.program.models import Enrollment
from waypost.program.services import change_stage, enroll_client
from waypost.recovery import events as recovery_events
from waypost.recovery.models import CheckIn, Device, Lapse, Urge
from waypost.recovery.selectors import client_today
from waypost.recovery.warnings.models import EarlyWarning
from waypost.safety.models import RiskAlert
from waypost.shield.models import ShieldDevice

FORMS = {"phq-9": 27, "gad-7": 21}  # questionnaire: highest total


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128))


def seed_history(
    enrollment: Enrollment,
    *,
    clinician: User,
    days: int,
    now: datetime,
    rng: random.Random,
    worried: bool = False,
) -> None:
    """``days`` days of history for ``enrollment``; ``worried``: something open needs a look
    (an open alert, an open early warning, an unread message, a silent device)."""
    today = client_today(enrollment, now)
    check_ins, lapses, urges, lines = [], [], [], []
    for back in range(days, 0, -1):
        day = today - timedelta(days=back)
        at = now - timedelta(days=back)
        if rng.random() < 0.05:
            continue  # a day without a check-in
        sober = rng.random() > 0.03
        check_ins.append(
            CheckIn(
                enrollment=enrollment,
                local_date=day,
                client_uuid=_uuid(rng),
                sober=sober,
                mood=rng.randint(2, 5),
                urge=rng.randint(0, 8),
                sleep_hours=Decimal(rng.choice(("6.5", "7", "7.5", "8"))),
                mindfulness_minutes=rng.choice((0, 0, 10)),
                created_at=at,
                updated_at=at,
            )
        )
        lines.append(
            TimelineEvent(
                enrollment=enrollment,
                kind=recovery_events.CHECKED_IN,
                actor_id=enrollment.client_id,
                data={"day": day.isoformat(), "updated": False},
                created_at=at,
            )
        )
        if not sober:
            lapses.append(
                Lapse(
                    enrollment=enrollment,
                    client_uuid=_uuid(rng),
                    local_date=day,
                    chain="",
                    created_at=at,
                    updated_at=at,
                )
            )
        for _n in range(rng.choice((0, 1, 1, 2))):
            urges.append(
                Urge(
                    enrollment=enrollment,
                    client_uuid=_uuid(rng),
                    occurred_at=at,
                    local_date=day,
                    local_hour=rng.choice((13, 21, 22, 23)),
                    intensity=rng.randint(2, 9),
                    trigger=rng.choice(("Bored", "Stress", "Late at night")),
                    outcome=Urge.Outcome.RESISTED if sober else Urge.Outcome.LAPSED,
                    created_at=at,
                    updated_at=at,
                )
            )
    CheckIn.objects.bulk_create(check_ins, batch_size=500)
    Lapse.objects.bulk_create(lapses, batch_size=500)
    Urge.objects.bulk_create(urges, batch_size=500)
    TimelineEvent.objects.bulk_create(lines, batch_size=500)
    _questionnaires(enrollment, days=days, now=now, rng=rng)
    _alerts_and_warnings(enrollment, clinician=clinician, days=days, now=now, worried=worried)
    _devices(enrollment, now=now, rng=rng, worried=worried)
    _messages(enrollment, clinician=clinician, days=days, now=now, rng=rng, worried=worried)
    _appointments(enrollment, clinician=clinician, days=days, now=now)


def _questionnaires(enrollment: Enrollment, *, days: int, now: datetime, rng: random.Random):
    forms = []
    for back in range(days, 0, -14):
        opened = now - timedelta(days=back)
        for instrument_id, top in FORMS.items():
            forms.append(
                Administration(
                    enrollment=enrollment,
                    instrument_id=instrument_id,
                    status=Administration.Status.COMPLETED,
                    opens_at=opened,
                    closes_at=opened + timedelta(days=7),
                    completed_at=opened + timedelta(hours=rng.randint(1, 48)),
                    total=rng.randint(0, top),
                    created_at=opened,
                )
            )
    # one open now, one missed a few days ago
    forms.append(
        Administration(
            enrollment=enrollment,
            instrument_id="phq-9",
            status=Administration.Status.OPEN,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=6),
            created_at=now - timedelta(days=1),
        )
    )
    forms.append(
        Administration(
            enrollment=enrollment,
            instrument_id="gad-7",
            status=Administration.Status.EXPIRED,
            opens_at=now - timedelta(days=12),
            closes_at=now - timedelta(days=5),
            created_at=now - timedelta(days=12),
        )
    )
    Administration.objects.bulk_create(forms, batch_size=500)


def _alerts_and_warnings(
    enrollment: Enrollment, *, clinician: User, days: int, now: datetime, worried: bool
) -> None:
    alerts = [
        RiskAlert(
            enrollment=enrollment,
            created_at=now - timedelta(days=back),
            kind="critical_item",
            summary="A critical answer",
            source_label="PHQ-9",
            status=RiskAlert.Status.ACKNOWLEDGED,
            acknowledged_by=clinician,
            acknowledged_at=now - timedelta(days=back - 1),
            note="Called; safe.",
        )
        for back in range(days, 1, -60)
    ]
    if worried:
        alerts.append(
            RiskAlert(
                enrollment=enrollment,
                created_at=now - timedelta(hours=30),
                kind="critical_item",
                summary="A critical answer",
                source_label="PHQ-9",
            )
        )
    RiskAlert.objects.bulk_create(alerts)
    warnings = [
        EarlyWarning(
            enrollment=enrollment,
            rule="recovery.urge_rising",
            numbers={"from": 3, "to": 6},
            raised_at=now - timedelta(days=back),
            updated_at=now - timedelta(days=back - 2),
            resolved_at=now - timedelta(days=back - 2),
        )
        for back in range(days, 3, -45)
    ]
    if worried:
        warnings.append(
            EarlyWarning(
                enrollment=enrollment,
                rule="recovery.check_ins_missed",
                numbers={"days": 3},
                raised_at=now - timedelta(hours=5),
                updated_at=now - timedelta(hours=5),
            )
        )
    EarlyWarning.objects.bulk_create(warnings)


def _devices(enrollment: Enrollment, *, now: datetime, rng: random.Random, worried: bool):
    for n, (name, kind) in enumerate((("Phone", Device.Kind.PHONE), ("Laptop", "computer"))):
        device = Device.objects.create(
            enrollment=enrollment,
            client_uuid=_uuid(rng),
            name=name,
            kind=kind,
            created_at=now - timedelta(days=60),
        )
        quiet = worried and n == 1
        ShieldDevice.objects.create(
            device=device,
            created_at=now - timedelta(days=59),
            last_seen_at=now - (timedelta(days=3) if quiet else timedelta(minutes=5)),
        )


def _messages(
    enrollment: Enrollment,
    *,
    clinician: User,
    days: int,
    now: datetime,
    rng: random.Random,
    worried: bool,
) -> None:
    rows = []
    for back in range(days, 0, -7):
        for from_client in (True, False):
            at = now - timedelta(days=back, hours=0 if from_client else -2)
            rows.append(
                Message(
                    enrollment=enrollment,
                    sender_id=enrollment.client_id if from_client else clinician.pk,
                    from_client=from_client,
                    body="A short note about the week.",
                    created_at=at,
                    read_at=at + timedelta(hours=1),
                    client_uuid=_uuid(rng),
                    mail=Message.Mail.NOT_MAILED,
                )
            )
    if worried:
        rows.append(
            Message(
                enrollment=enrollment,
                sender_id=enrollment.client_id,
                from_client=True,
                body="Could we talk before Thursday?",
                created_at=now - timedelta(hours=3),
                client_uuid=_uuid(rng),
                mail=Message.Mail.NOT_MAILED,
            )
        )
    Message.objects.bulk_create(rows, batch_size=500)


def _appointments(enrollment: Enrollment, *, clinician: User, days: int, now: datetime):
    first = (now - timedelta(days=days)).replace(hour=2, minute=0, second=0, microsecond=0)
    booking = Booking.objects.create(
        enrollment=enrollment,
        booked_by=clinician,
        booked_at=first - timedelta(days=1),
        time_zone="Asia/Singapore",
        mode=Booking.Mode.IN_PERSON,
        place="Room 3",
        every_weeks=2,
    )
    sessions = []
    for n, back in enumerate(range(days, -29, -14)):
        starts = first + timedelta(days=days - back)
        sessions.append(
            Appointment(
                booking=booking,
                enrollment=enrollment,
                sequence=n,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=50),
                original_starts_at=starts,
            )
        )
    Appointment.objects.bulk_create(sessions, batch_size=500)


def clients_with_history(
    cast, first: int, last: int, *, days: int, worried: bool | None = None
) -> list[Enrollment]:
    """Clients ``first`` to ``last - 1`` of the cast's clinician: stage 1 to 4 in turn, each
    with ``days`` of history; every other one (or each, or none, as ``worried`` says) with
    something open."""
    now = timezone.now()
    rng = random.Random(first)  # noqa: S311 - test data
    made = []
    for i in range(first, last):
        enrollment = enroll_client(
            client=make_user(f"client-{i}@north.test", f"Client {i:03d}"),
            clinician_profile=cast.clinician_profile,
            by=cast.clinician,
            at=now - timedelta(days=days + 10),
        )
        for stage in range(2, 2 + i % 4):
            change_stage(
                enrollment=enrollment,
                to_stage=stage,
                reason="Ready.",
                by=cast.clinician,
                at=now - timedelta(days=days + 5 - stage),
            )
        enrollment.refresh_from_db()
        seed_history(
            enrollment,
            clinician=cast.clinician,
            days=days,
            now=now,
            rng=rng,
            worried=i % 2 == 0 if worried is None else worried,
        )
        made.append(enrollment)
    return made
