"""Demo safety plans and risk alerts, made through the same services the product uses.

- client 2 wrote his own plan a few weeks into stage 2;
- client 3's plan was written with his clinician in session, then updated with her;
  he has one OPEN alert from a few days ago (a PHQ-9 answer; the assessments demo
  adds the matching response);
- client 4 has a plan from his time back in stage 2 and, long ago, an alert his
  clinician acknowledged with a note.
- escalation: the clinic passes an open alert to the clinician on call after an hour and
  to its admins after four; Arjun Nair (clinician2@) is on call this week, Dr Tan the
  next, so client 3's open alert has reached Arjun and then the clinic admin.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from waypost.clinics.models import ClinicAdmin
from waypost.safety import escalation, services
from waypost.safety.models import RiskAlert
from waypost.safety.plan_content import Contact

if TYPE_CHECKING:
    from waypost.demo import DemoContext


def load(context: DemoContext) -> None:
    now = context.now
    clinician = context.clinicians[0]  # Dr Mei Ling Tan: clients 1–3
    counsellor = context.clinicians[1]  # Arjun Nair: client 4

    # --- client 2: his own plan, written at home -----------------------------------
    client2 = context.client(2)
    services.save_plan(
        enrollment=client2,
        by=client2.client,
        at=now - timedelta(weeks=4, days=2, hours=3),
        content={
            "reasons": [
                "Hui Min and the life we are planning",
                "Being someone my nephews look up to",
            ],
            "warning_signs": [
                "Staying up late alone with my phone",
                "Telling myself I don't deserve a good day",
                "Cancelling badminton",
            ],
            "coping": ["Shower, then bed", "Ten minutes of the breathing exercise", "Go for a run"],
            "distraction": ["Kopitiam downstairs", "Call my cousin Jun about football"],
            "helpers": [Contact("Hui Min", "9123 4567"), Contact("Jun", "8234 5678")],
            "professionals": [Contact("Dr Mei Ling Tan (clinic)", "6000 0000")],
            "environment": ["Phone charges in the living room overnight"],
        },
    )

    # --- client 3: written together in session, then updated together --------------
    client3 = context.client(3)
    first: dict[str, list[str | Contact]] = {
        "reasons": ["My mother", "Getting my diploma", "Fishing trips with my brother"],
        "warning_signs": [
            "Sleeping badly for more than two nights",
            "Thinking everyone would be better off without me",
            "Hiding in my room after work",
        ],
        "coping": ["Cold water on my face", "Walk to the park and back", "Pray"],
        "distraction": ["The mosque on Friday", "Futsal with colleagues"],
        "helpers": [Contact("My brother Hakim", "8765 4321")],
        "professionals": [Contact("Dr Mei Ling Tan", "6000 0000")],
        "environment": ["Ask Hakim to keep my old medicine"],
    }
    services.save_plan(
        enrollment=client3,
        by=clinician.user,
        at=now - timedelta(weeks=18, days=1),
        content=first,
    )
    services.save_plan(
        enrollment=client3,
        by=clinician.user,
        at=now - timedelta(weeks=7, days=3),
        content={
            **first,
            "coping": [*first["coping"], "Write the thought down and what I'd tell a friend"],
            "helpers": [*first["helpers"], Contact("Uncle Salim", "9345 6789")],
            "environment": [*first["environment"], "Laptop stays in the living room at night"],
        },
    )
    # The assessments demo loads first (INSTALLED_APPS order); if it already raised this
    # alert from its own PHQ-9 response (with a link to it), don't raise a second one.
    if not RiskAlert.objects.filter(
        enrollment=client3, kind="critical_item", status=RiskAlert.Status.OPEN
    ).exists():
        services.raise_alert(
            enrollment=client3,
            kind="critical_item",
            summary="PHQ-9 item 9 (thoughts of being better off dead or of self-harm) "
            "answered 'Several days'",
            source_label="PHQ-9 answer, item 9",
            at=now - timedelta(days=3, hours=5),
            notify=False,
            severity=33,  # the second of four answers
        )
    # His phone number, so the risk inbox's call link works.
    client3.client.phone = "+65 9123 4567"
    client3.client.save(update_fields=["phone"])

    # --- client 4: a plan from his step back to stage 2, and an alert long ago --------
    client4 = context.client(4)
    raised = now - timedelta(weeks=54, days=2)
    services.save_plan(
        enrollment=client4,
        by=counsellor.user,
        at=raised + timedelta(days=2, hours=1),
        content={
            "reasons": ["My two kids", "My sponsor, who has not given up on me"],
            "warning_signs": [
                "Not leaving the flat",
                "Drinking alone",
                "Thinking I've wrecked it all",
            ],
            "coping": ["Read the card in my wallet", "Walk along the canal"],
            "distraction": ["Thursday group", "Library in the afternoon"],
            "helpers": [Contact("Sponsor, Ken", "9876 1234"), Contact("Sister Grace", "9012 3456")],
            "professionals": [Contact("Arjun Nair (clinic)", "6000 0000")],
            "environment": ["No alcohol kept at home", "Grace keeps the spare key"],
        },
    )
    alert = services.raise_alert(
        enrollment=client4,
        kind="critical_item",
        summary="PHQ-9 item 9 (thoughts of being better off dead or of self-harm) "
        "answered 'More than half the days'",
        source_label="PHQ-9 answer, item 9",
        at=raised,
        notify=False,
        severity=67,  # the third of four answers
    )
    services.acknowledge(
        alert=alert,
        by=counsellor.user,
        note=(
            "Phoned Marcus within the hour. Passive thoughts since losing his job; no plan, "
            "no intent, no means at home. Agreed he would call SOS (1767) if it got worse. "
            "Wrote his safety plan together two days later and moved our session forward."
        ),
        at=raised + timedelta(hours=1, minutes=10),
    )
    load_escalation(context)


def load_escalation(context: DemoContext) -> None:
    """The clinic's escalation times and rota; client 3's open alert passed on (no e-mail)."""
    clinic = context.clinic
    seat = ClinicAdmin.objects.filter(clinic=clinic).select_related("user").first()
    if seat is None:
        return
    admin = seat.user
    escalation.save_policy(
        clinic=clinic, by=admin, enabled=True, first_after_minutes=60, second_after_minutes=240
    )
    today = escalation.local_today(clinic, context.now)
    week = timedelta(days=7)
    monday = today - timedelta(days=today.weekday())
    rota = [(context.clinicians[1], monday), (context.clinicians[0], monday + week)]
    for profile, start in rota:
        escalation.add_shift(
            clinic=clinic,
            by=admin,
            clinician=profile,
            starts_on=start,
            ends_on=start + timedelta(days=6),
        )
    # Run the task as it would have run after each time (backdated: no e-mail).
    alert = RiskAlert.objects.filter(
        enrollment=context.client(3), status=RiskAlert.Status.OPEN
    ).first()
    if alert is not None:
        for minutes in (61, 241):
            escalation.escalate_due(now=alert.created_at + timedelta(minutes=minutes), notify=False)
