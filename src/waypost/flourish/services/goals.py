"""Writes of long-term goals: set, change, steps, progress notes, reviews.

The client sets and edits their own goals, and their primary clinician may work on
them with the client (``Action.EDIT_GOALS``, from Stage 4 on); either may add a dated
progress note, which is how a clinician comments. Every write lands on the client's
timeline, and in the audit trail when the clinician made it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require
from waypost.core import events as core_events
from waypost.core.errors import DomainError
from waypost.flourish import domains, events
from waypost.flourish.models import Goal, GoalNote, GoalStep
from waypost.recovery.selectors import client_today

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

    from waypost.program.models import Enrollment

TITLE_MAX = 200
WHY_MAX = 1000
STEP_MAX = 200
NOTE_MAX = 2000
STEPS_MAX = 20
# A review date is at most two years ahead: far enough for a long goal, near enough to look again.
REVIEW_DAYS_AHEAD = 730


class GoalError(DomainError):
    """A goal cannot be saved as asked; the message says why, kindly."""

    code = "goal_refused"


def _domain(key: object) -> str:
    if not isinstance(key, str) or domains.get(key) is None:
        raise GoalError(_("Please choose the area of life this goal belongs to."))
    return key


def _title(title: object) -> str:
    text = str(title or "").strip()
    if not text:
        raise GoalError(_("Please give your goal a few words."))
    if len(text) > TITLE_MAX:
        raise GoalError(_("Please keep the goal to %(n)d characters.") % {"n": TITLE_MAX})
    return text


def _why(why: object) -> str:
    text = str(why or "").strip()
    if len(text) > WHY_MAX:
        raise GoalError(_("Please keep the reason to %(n)d characters.") % {"n": WHY_MAX})
    return text


def _review_on(review_on: object, today: date, *, required: bool = False) -> date | None:
    if review_on is None or review_on == "":
        if required:
            raise GoalError(_("Please choose when to look at this goal again."))
        return None
    if not isinstance(review_on, date) or isinstance(review_on, datetime):
        raise GoalError(_("Please give the review as a date."))
    if review_on < today:
        raise GoalError(_("Please choose a review date from today on."))
    if review_on > today + timedelta(days=REVIEW_DAYS_AHEAD):
        raise GoalError(_("Please choose a review date within two years."))
    return review_on


def _step_texts(steps: Iterable[object]) -> list[str]:
    texts = [str(s).strip() for s in steps if str(s or "").strip()]
    if len(texts) > STEPS_MAX:
        raise GoalError(_("A goal can have up to %(n)d steps.") % {"n": STEPS_MAX})
    if any(len(t) > STEP_MAX for t in texts):
        raise GoalError(_("Please keep each step to %(n)d characters.") % {"n": STEP_MAX})
    return texts


def create_goal(
    *,
    enrollment: Enrollment,
    by: User,
    domain: str,
    title: str,
    why: str = "",
    review_on: date | None = None,
    steps: Iterable[str] = (),
    client_uuid: UUID | None = None,
    path: str = "",
    at: datetime | None = None,
) -> Goal:
    """Set a new long-term goal, with its first steps, and return it.

    The client or their primary clinician, from Stage 4 on (``Action.EDIT_GOALS``).
    ``domain`` is a key of ``domains.json``; ``review_on`` (optional) is a day from the
    client's today to two years ahead. The same ``client_uuid`` sent twice returns the
    goal already kept (a retry). Nothing is written when anything is refused.
    """
    require(by, Action.EDIT_GOALS, enrollment)
    now = at or timezone.now()
    today = client_today(enrollment, now)
    key = _domain(domain)
    clean_title = _title(title)
    clean_why = _why(why)
    review = _review_on(review_on, today)
    texts = _step_texts(steps)
    uuid = client_uuid or uuid4()
    existing = Goal.objects.filter(enrollment=enrollment, client_uuid=uuid).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            goal = Goal.objects.create(
                enrollment=enrollment,
                client_uuid=uuid,
                domain=key,
                title=clean_title,
                why=clean_why,
                review_on=review,
                created_by=by,
                created_at=now,
                updated_at=now,
            )
            GoalStep.objects.bulk_create(
                GoalStep(goal=goal, text=text, position=n, created_at=now)
                for n, text in enumerate(texts)
            )
            core_events.record(
                enrollment=enrollment,
                kind=events.GOAL_SET,
                actor=by,
                data={"goal": goal.pk, "domain": key},
                at=now,
                path=path,
            )
    except IntegrityError:
        stored = Goal.objects.filter(enrollment=enrollment, client_uuid=uuid).first()
        if stored is None:
            raise
        return stored
    return goal


def update_goal(
    *,
    goal: Goal,
    by: User,
    domain: str,
    title: str,
    why: str = "",
    review_on: date | None = None,
    status: str = Goal.Status.ACTIVE,
    path: str = "",
    at: datetime | None = None,
) -> Goal:
    """Change a goal's words, domain, review date or status (working on it, reached, resting).

    Who may: as for :func:`create_goal`. A review date already past may be kept as it
    was; a new one must be from the client's today on.
    """
    enrollment = goal.enrollment
    require(by, Action.EDIT_GOALS, enrollment)
    now = at or timezone.now()
    key = _domain(domain)
    clean_title = _title(title)
    clean_why = _why(why)
    if review_on is not None and review_on == goal.review_on:
        review: date | None = review_on
    else:
        review = _review_on(review_on, client_today(enrollment, now))
    if status not in Goal.Status.values:
        raise GoalError(_("Please choose where this goal stands."))
    with transaction.atomic():
        goal.domain, goal.title, goal.why = key, clean_title, clean_why
        goal.review_on, goal.status, goal.updated_at = review, status, now
        goal.save(update_fields=["domain", "title", "why", "review_on", "status", "updated_at"])
        core_events.record(
            enrollment=enrollment,
            kind=events.GOAL_CHANGED,
            actor=by,
            data={"goal": goal.pk, "domain": key, "status": status},
            at=now,
            path=path,
        )
    return goal


def add_step(
    *, goal: Goal, by: User, text: str, path: str = "", at: datetime | None = None
) -> GoalStep:
    """Add a step at the end of the goal's list (``Action.EDIT_GOALS``)."""
    require(by, Action.EDIT_GOALS, goal.enrollment)
    texts = _step_texts([text])
    if not texts:
        raise GoalError(_("Please write the step in a few words."))
    now = at or timezone.now()
    with transaction.atomic():
        if goal.steps.count() >= STEPS_MAX:
            raise GoalError(_("A goal can have up to %(n)d steps.") % {"n": STEPS_MAX})
        last = goal.steps.aggregate(n=Max("position"))["n"]
        step = GoalStep.objects.create(
            goal=goal, text=texts[0], position=(last + 1) if last is not None else 0, created_at=now
        )
        Goal.objects.filter(pk=goal.pk).update(updated_at=now)
        core_events.record(
            enrollment=goal.enrollment,
            kind=events.GOAL_CHANGED,
            actor=by,
            data={"goal": goal.pk, "domain": goal.domain, "status": goal.status},
            at=now,
            path=path,
        )
    return step


def set_step_done(
    *, step: GoalStep, by: User, done: bool, path: str = "", at: datetime | None = None
) -> GoalStep:
    """Mark a step done or not done yet. Marking it as it already is changes nothing."""
    goal = step.goal
    require(by, Action.EDIT_GOALS, goal.enrollment)
    if step.is_done == done:
        return step
    now = at or timezone.now()
    with transaction.atomic():
        step.done_at = now if done else None
        step.save(update_fields=["done_at"])
        Goal.objects.filter(pk=goal.pk).update(updated_at=now)
        core_events.record(
            enrollment=goal.enrollment,
            kind=events.GOAL_STEP,
            actor=by,
            data={"goal": goal.pk, "done": done},
            at=now,
            path=path,
        )
    return step


def add_note(
    *, goal: Goal, by: User, text: str, path: str = "", at: datetime | None = None
) -> GoalNote:
    """Add a dated progress note to a goal: the client's own, or their clinician's comment.

    ``Action.EDIT_GOALS``; the note is encrypted at rest and kept as written.
    """
    require(by, Action.EDIT_GOALS, goal.enrollment)
    clean = str(text or "").strip()
    if not clean:
        raise GoalError(_("Please write a few words for the note."))
    if len(clean) > NOTE_MAX:
        raise GoalError(_("Please keep the note to %(n)d characters.") % {"n": NOTE_MAX})
    now = at or timezone.now()
    with transaction.atomic():
        note = GoalNote.objects.create(goal=goal, text=clean, written_by=by, created_at=now)
        core_events.record(
            enrollment=goal.enrollment,
            kind=events.GOAL_NOTE,
            actor=by,
            data={"goal": goal.pk},
            at=now,
            path=path,
        )
    return note


def review_goal(
    *,
    goal: Goal,
    by: User,
    next_review_on: date,
    note: str = "",
    path: str = "",
    at: datetime | None = None,
) -> Goal:
    """Mark the goal reviewed: set the next review date, with a note if there is one.

    ``Action.EDIT_GOALS``. The next review must be after the client's today (so the
    "review due" step goes away).
    """
    enrollment = goal.enrollment
    require(by, Action.EDIT_GOALS, enrollment)
    now = at or timezone.now()
    today = client_today(enrollment, now)
    if isinstance(next_review_on, date) and next_review_on <= today:
        raise GoalError(_("Please choose a day after today for the next review."))
    review = _review_on(next_review_on, today, required=True)
    with transaction.atomic():
        if str(note or "").strip():
            add_note(goal=goal, by=by, text=note, path=path, at=now)
        goal.review_on, goal.updated_at = review, now
        goal.save(update_fields=["review_on", "updated_at"])
        core_events.record(
            enrollment=enrollment,
            kind=events.GOAL_REVIEWED,
            actor=by,
            data={"goal": goal.pk, "next": review.isoformat() if review else ""},
            at=now,
            path=path,
        )
    return goal
