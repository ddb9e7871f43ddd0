"""The demo's session notes and exercises, written through the same services, back-dated.

- client 4 (Arjun's): a fortnightly history of signed notes, locked; the one of five
  weeks ago has an amendment; last week's was corrected the same day (two versions);
  the note of three weeks ago is linked to that day's appointment;
- client 2 (Mei Ling's): a draft started five days ago and never signed (the record
  flags it), two signed notes;
- clients 1 and 3: a signed note each;
- exercises: client 4 has two done (with reflections) and one due in two days (a next
  step on his Today); client 2 has one overdue and one done; client 3 one with no day.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from uuid import uuid4

from waypost.caseload.appointments.models import Appointment
from waypost.caseload.notes import services
from waypost.caseload.notes.models import Exercise, SessionNote
from waypost.core.timezones import first_zone

if TYPE_CHECKING:
    from waypost.demo import DemoContext
    from waypost.program.models import Enrollment

F = SessionNote.Format
R = SessionNote.Risk

# (weeks ago, format, discussed, assessment, plan, risk, risk note)
_MARCUS = [
    (
        11,
        F.IN_PERSON,
        "Reviewed the first month of Stage 4. Marcus described evenings as calmer; one "
        "strong urge after an argument at home, which he rode out with a walk and a call "
        "to his sponsor.",
        "Consolidating well. Uses the toolbox without prompting. Relationship stress is "
        "the main trigger now, rather than boredom.",
        "Choose long-term goals in two domains. Next session in two weeks.",
        R.NONE,
        "",
    ),
    (
        9,
        F.VIDEO,
        "Set goals together: healthy internet use (phone out of the bedroom, a weekly "
        "screen-time review) and connection (a weekly walk with a friend).",
        "Motivated and realistic. Goals fit his values card sort (family, honesty).",
        "Try the first steps of both goals. Review the maintenance plan next time.",
        R.NONE,
        "",
    ),
    (
        7,
        F.IN_PERSON,
        "Maintenance plan agreed: check-ins three times a week, warning signs listed "
        "(late nights alone, skipping the group, irritability). Talked through what "
        "stepping back a stage would look like, and that it would be normal.",
        "Good insight into his early warning signs.",
        "Practise the urge-surfing exercise twice before next session.",
        R.NONE,
        "",
    ),
    (
        5,
        F.VIDEO,
        "Low mood this fortnight after news of restructuring at work. Sleep shorter. No "
        "lapse; used the plan and told his wife.",
        "Stress-related dip, coping well. PHQ-9 a little higher than last month, still mild.",
        "Keep the walking routine; sleep hygiene handout; review mood at next session.",
        R.SOME,
        "Said he felt 'flat' for a few days; no thoughts of self-harm when asked directly. "
        "Safety plan reviewed and up to date.",
    ),
    (
        3,
        F.VIDEO,
        "Work news better than feared. Worried about a work trip next month: hotel "
        "evenings alone used to be the hardest part.",
        "Anticipating a high-risk situation early is a strength.",
        "Plan the hotel evenings together next time; bring the maintenance plan.",
        R.NONE,
        "",
    ),
    (
        1,
        F.IN_PERSON,
        "Planned the work trip: evening routine, phone filter checked, a call home at "
        "9 pm, the gym at the hotel. Talked about how his daughter noticed he is calmer.",
        "Confident, well prepared. No lapses for over four months.",
        "Write down the evening plan; set the exercise below. Next session after the trip.",
        R.NONE,
        "",
    ),
]


def _session_at(zone_day: datetime, hour: int, minute: int = 0) -> datetime:
    return zone_day.replace(hour=hour, minute=minute, second=0, microsecond=0)


def _last_appointment(enrollment: Enrollment, now: datetime) -> Appointment | None:
    """The client's latest session that has taken place (the demo books one weeks ago)."""
    return (
        Appointment.objects.filter(
            enrollment=enrollment, status=Appointment.Status.PLANNED, ends_at__lte=now
        )
        .order_by("-starts_at")
        .first()
    )


def _signed_note(
    enrollment: Enrollment,
    session_at: datetime,
    entry: tuple[int, str, str, str, str, str, str],
    *,
    appointment: Appointment | None = None,
) -> SessionNote:
    _weeks, how, discussed, assessment, plan, risk, risk_note = entry
    if appointment is not None:
        session_at = appointment.starts_at
    clinician = enrollment.primary_clinician
    assert clinician is not None
    return services.write_note(
        enrollment=enrollment,
        by=clinician.user,
        content=services.NoteContent(
            session_at=session_at,
            format=how,
            duration_minutes=50,
            discussed=discussed,
            assessment=assessment,
            plan=plan,
            risk=risk,
            risk_note=risk_note,
            appointment_id=appointment.pk if appointment else None,
        ),
        client_uuid=uuid4(),
        sign=True,
        at=session_at + timedelta(hours=2),
    )


def load(context: DemoContext) -> None:
    now = context.now
    zone = first_zone(context.clinic.time_zone)
    local_now = now.astimezone(zone)

    # Client 4: a fortnightly history, every note locked.
    marcus = context.client(4)
    counsellor = context.clinicians[1].user
    notes: dict[int, SessionNote] = {}
    for entry in _MARCUS:
        weeks = entry[0]
        day = local_now - timedelta(weeks=weeks)
        appointment = _last_appointment(marcus, now) if weeks == 3 else None
        notes[weeks] = _signed_note(marcus, _session_at(day, 9, 30), entry, appointment=appointment)
    # Five weeks ago: something learnt after the note locked.
    five = notes[5]
    assert five.signed_at is not None
    services.add_amendment(
        note=five,
        by=counsellor,
        text="His GP started him on sertraline 50 mg the week after this session; Marcus "
        "told me by message. To keep in mind when reading the mood scores that follow.",
        reason="Information received after the session",
        client_uuid=uuid4(),
        at=five.signed_at + timedelta(days=4),
    )
    # Last week: corrected the same afternoon (the trip is in three weeks, not two).
    last = notes[1]
    assert last.signed_at is not None
    services.correct_note(
        note=last,
        by=counsellor,
        content=services.NoteContent(
            session_at=last.session_at,
            format=last.format,
            duration_minutes=60,
            discussed=last.discussed,
            assessment=last.assessment,
            plan="Write down the evening plan; set the exercise below. Next session after the "
            "trip, in three weeks.",
            risk=last.risk,
            risk_note=last.risk_note,
        ),
        at=last.signed_at + timedelta(hours=3),
    )

    # Client 2: a draft left unsigned for five days, and two signed notes.
    wei_jie = context.client(2)
    day = local_now - timedelta(weeks=3)
    _signed_note(
        wei_jie,
        _session_at(day, 18, 30),
        (
            3,
            F.VIDEO,
            "First month of the 90-day plan. Nights are the hardest; the laptop stays in "
            "the living room now. Talked about telling his partner more about the plan.",
            "Engaged; early days. Urges mostly between 11 pm and 1 am.",
            "Charge the phone outside the bedroom from 10 pm. Check-ins daily.",
            R.NONE,
            "",
        ),
        appointment=_last_appointment(wei_jie, now),
    )
    _signed_note(
        wei_jie,
        _session_at(local_now - timedelta(days=8), 18, 30),
        (
            1,
            F.PHONE,
            "Short call after a lapse on Saturday night. Went through what led up to it "
            "together: a late night alone after a hard week.",
            "A lapse, worked through openly; the chain is clear to him.",
            "Add the learning to the relapse-prevention plan; urge surfing practice.",
            R.SOME,
            "Felt ashamed the next morning and stayed in bed; no thoughts of harming "
            "himself. Agreed he would message if the low mood stays.",
        ),
    )
    started = now - timedelta(days=5)
    services.write_note(
        enrollment=wei_jie,
        by=context.clinicians[0].user,
        content=services.NoteContent(
            session_at=started - timedelta(hours=1),
            format=F.VIDEO,
            duration_minutes=50,
            discussed="Sleep, and the evenings after work. (to finish)",
        ),
        client_uuid=uuid4(),
        at=started,
    )

    # Clients 1 and 3: one note each.
    _signed_note(
        context.client(1),
        _session_at(local_now - timedelta(days=9), 10),
        (
            1,
            F.IN_PERSON,
            "First session. Daniel told his story at his own pace; he came after his "
            "partner found his browsing history.",
            "Ambivalent but curious. Readiness about 6 of 10.",
            "Read the first modules; fill in the history at home; next week.",
            R.NONE,
            "",
        ),
    )
    _signed_note(
        context.client(3),
        _session_at(local_now - timedelta(weeks=2), 15),
        (
            2,
            F.IN_PERSON,
            "Farid went to his first peer meeting and found it kinder than he expected. "
            "Talked about asking his brother to be an ally.",
            "Stage 3 going well; isolation is his main risk.",
            "Ask his brother about a regular Sunday call.",
            R.NONE,
            "",
        ),
    )

    _exercises(context, notes)


def _exercise(
    enrollment: Enrollment,
    text: str,
    set_at: datetime,
    *,
    due_in_days: int | None = None,
    note: SessionNote | None = None,
    done_after: timedelta | None = None,
    reflection: str = "",
) -> Exercise:
    clinician = enrollment.primary_clinician
    assert clinician is not None
    zone = first_zone(enrollment.clinic.time_zone)
    due = set_at.astimezone(zone).date() + timedelta(days=due_in_days) if due_in_days else None
    exercise = services.set_exercise(
        enrollment=enrollment,
        by=clinician.user,
        text=text,
        client_uuid=uuid4(),
        due_on=due,
        note=note,
        at=set_at,
    )
    if done_after is not None:
        services.mark_done(
            exercise=exercise,
            by=enrollment.client,
            reflection=reflection,
            at=set_at + done_after,
        )
    return exercise


def _exercises(context: DemoContext, notes: dict[int, SessionNote]) -> None:
    now = context.now
    marcus = context.client(4)
    _exercise(
        marcus,
        "Practise the urge-surfing exercise twice before our next session",
        notes[7].signed_at or now,
        due_in_days=13,
        note=notes[7],
        done_after=timedelta(days=6),
        reflection="Did it on Tuesday and Friday. The second time the wave passed in "
        "about ten minutes.",
    )
    _exercise(
        marcus,
        "Write down three things you value about time with your daughter",
        notes[9].signed_at or now,
        done_after=timedelta(days=3),
        reflection="Walking to school, her jokes, being trusted again.",
    )
    last = notes[1].signed_at or now
    # Due two days from now, so it is a next step on Marcus's Today.
    zone = first_zone(context.clinic.time_zone)
    due_in = (now.astimezone(zone).date() - last.astimezone(zone).date()).days + 2
    _exercise(
        marcus,
        "Write your evening plan for the hotel: what you will do, and who you will call",
        last,
        due_in_days=due_in,
        note=notes[1],
    )

    wei_jie = context.client(2)
    _exercise(
        wei_jie,
        "Put the phone to charge outside the bedroom at 10 pm",
        now - timedelta(weeks=3, hours=-3),
        due_in_days=7,
        done_after=timedelta(days=5),
        reflection="Five nights out of seven. Harder at weekends.",
    )
    _exercise(
        wei_jie,
        "Try the urge-surfing exercise twice this week",
        now - timedelta(days=8),
        due_in_days=6,
    )

    _exercise(
        context.client(3),
        "Ask your brother about a regular Sunday call",
        now - timedelta(weeks=2) + timedelta(hours=2),
    )
