"""Reports for the tests: made through the service, as the client or their clinician."""

from __future__ import annotations

from waypost.caseload.reports import sections as catalogue
from waypost.caseload.reports import services
from waypost.caseload.reports.models import ProgressReport


def a_report(cast, *, by=None, purpose="client", sections=None, **extra) -> ProgressReport:
    return services.make_report(
        enrollment=cast.enrollment,
        by=by or cast.clinician,
        purpose=purpose,
        sections=list(sections if sections is not None else catalogue.KEYS),
        **extra,
    )


# --- a record with something in every section ----------------------------------------------

#: Words the client or clinician wrote that no report may hold, whatever is ticked.
PRIVATE = (
    "ashamed after the party",  # a check-in note
    "party at Jun's",  # an urge's trigger
    "the back stairs",  # an urge's place
    "Ready to commit to a plan.",  # the reason for a stage change (tests/cast.py)
    "because my kids notice",  # a goal's "why"
    "Harder week, talked it through",  # a goal's progress note
    "answered “Several days”",  # a risk alert's summary
)


def fill_record(cast, now):
    """Two PHQ-9 forms (six and two weeks ago), check-ins with notes, urges, a risk alert.

    The cast's client is in Stage 2 from ``now`` (tests/cast.py); its enrollment is 30
    days old.
    """
    from datetime import timedelta
    from decimal import Decimal
    from uuid import uuid4

    from waypost.assessments.services import record_completed
    from waypost.recovery.models import CheckIn
    from waypost.recovery.selectors import client_today
    from waypost.recovery.services import urges
    from waypost.safety.services import raise_alert

    for weeks, answers in ((4, [2, 2, 2, 2, 2, 2, 2, 2, 0]), (1, [1, 1, 1, 1, 1, 1, 0, 0, 0])):
        record_completed(
            enrollment=cast.enrollment,
            instrument_id="phq-9",
            answers=answers,
            at=now - timedelta(weeks=weeks),
            alert=False,
        )
    today = client_today(cast.enrollment, now)
    for days_ago, mood, sober in ((0, 4, True), (1, 3, True), (2, 2, False), (9, 5, True)):
        CheckIn.objects.create(
            enrollment=cast.enrollment,
            local_date=today - timedelta(days=days_ago),
            client_uuid=uuid4(),
            sober=sober,
            mood=mood,
            urge=3,
            sleep_hours=Decimal("6.5"),
            mindfulness_minutes=10,
            note="I felt ashamed after the party" if days_ago == 2 else "",
            created_at=now,
            updated_at=now,
        )
    for hours, outcome in ((5, "resisted"), (30, "lapsed")):
        urges.log_urge(
            enrollment=cast.enrollment,
            by=cast.client,
            client_uuid=uuid4(),
            intensity=7,
            trigger="party at Jun's",
            place="the back stairs",
            outcome=outcome,
            occurred_at=now - timedelta(hours=hours),
        )
    raise_alert(
        enrollment=cast.enrollment,
        kind="critical_item",
        summary="PHQ-9 question 9: answered “Several days”",
        source_label="PHQ-9",
        notify=False,
    )


def report_text(built) -> str:
    """Every word a built report says, in order, for assertions."""
    parts = [built.title, built.subtitle, built.note]
    parts += [f"{label}: {value}" for label, value in built.facts]
    for section in built.sections:
        parts.append(section.title)
        for block in section.blocks:
            kind = block.kind
            if kind in ("paragraph", "subheading"):
                parts.append(block.text)
            elif kind == "facts":
                parts += [f"{label}: {value}" for label, value in block.items]
            elif kind == "table":
                parts.append(" | ".join(block.headers))
                parts += [" | ".join(row) for row in block.rows]
            elif kind == "chart":
                parts += [block.title, block.description]
    return "\n".join(parts)
