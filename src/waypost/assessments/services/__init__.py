"""Assigning measures, opening forms when they fall due, answering, scoring, importing.

Views, tasks, the demo and the API call these; each checks access through
``access.policy`` where a person acts, and records what happened through
``core.events`` (the timeline, and the audit trail when someone other than the
client acts). ``assigning`` and ``answering`` hold the two halves; callers use
the names below.
"""

from waypost.assessments.services.answering import (
    AnswerOutcome,
    record_answer,
    record_completed,
    submit,
)
from waypost.assessments.services.assigning import (
    BASELINE_WINDOW_DAYS,
    assign_baseline,
    assign_measure,
    cancel_session,
    end_assignment,
    expire_closed_forms,
    open_due_forms,
    plan_session,
    start_due_form,
)
from waypost.assessments.services.common import (
    MAX_EVERY_WEEKS,
    MAX_WINDOW_DAYS,
    MeasureError,
    entry_for,
)

__all__ = [
    "BASELINE_WINDOW_DAYS",
    "MAX_EVERY_WEEKS",
    "MAX_WINDOW_DAYS",
    "AnswerOutcome",
    "MeasureError",
    "assign_baseline",
    "assign_measure",
    "cancel_session",
    "end_assignment",
    "entry_for",
    "expire_closed_forms",
    "open_due_forms",
    "plan_session",
    "record_answer",
    "record_completed",
    "start_due_form",
    "submit",
]
