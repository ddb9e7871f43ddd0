"""The practice log: time spent on an exercise of the skills toolbox.

Public API for other apps
- ``log_practice(*, enrollment, by, skill, seconds, client_uuid, path="", at=None)``:
  keep one practice; returns ``(practice, created)``.
- ``practice_week(enrollment, today)``: minutes per day of the client's week, and in all.
- ``export_practices(user)``: every practice of the client, for "download my data".

A practice comes from a finished or stopped timer, a walked-through exercise or the
"I practised" form; offline, from the queue, later. Its ``client_uuid`` makes a
retried or replayed submission count once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, require
from waypost.core.errors import DomainError
from waypost.program.models import Enrollment
from waypost.recovery import selectors, skills
from waypost.recovery.models import MINUTES_MAX, Practice

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User

    from waypost.accounts.models import User as Person

SECONDS_MAX = MINUTES_MAX * 60


class PracticeError(DomainError):
    """The practice cannot be kept as given; the message says what to change, kindly."""

    code = "practice_refused"


def log_practice(
    *,
    enrollment: Enrollment,
    by: User,
    skill: str,
    seconds: int,
    client_uuid: uuid.UUID,
    path: str = "",
    at: datetime | None = None,
) -> tuple[Practice, bool]:
    """Keep ``seconds`` of practice of the exercise ``skill`` (its slug) on the client's today.

    Only the client, from Stage 2 on (``Action.LOG_RECOVERY``). Returns the practice
    and whether it is new: a ``client_uuid`` already kept changes nothing and returns
    the practice it kept. Nothing is written when anything is refused.
    """
    require(by, Action.LOG_RECOVERY, enrollment)
    if not isinstance(skill, str) or skills.toolbox().get(skill) is None:
        raise PracticeError(_("That exercise is not in the toolbox."))
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not 1 <= seconds <= SECONDS_MAX:
        raise PracticeError(
            _("Please give the time you practised, from 1 second to %(n)d minutes.")
            % {"n": MINUTES_MAX}
        )
    if not isinstance(client_uuid, uuid.UUID):
        raise PracticeError(_("Something went wrong with this form. Please reload the page."))
    now = at or timezone.now()
    stored = Practice.objects.filter(enrollment=enrollment, client_uuid=client_uuid).first()
    if stored is not None:
        return stored, False
    try:
        with transaction.atomic():
            practice = Practice.objects.create(
                enrollment=enrollment,
                client_uuid=client_uuid,
                skill=skill,
                seconds=seconds,
                local_date=selectors.client_today(enrollment, now, client=by),
                created_at=now,
            )
    except IntegrityError:
        # The same submission arrived twice at once: the other one kept it.
        stored = Practice.objects.filter(enrollment=enrollment, client_uuid=client_uuid).first()
        if stored is None:
            raise
        return stored, False
    return practice, True


@dataclass(frozen=True)
class PracticeDay:
    day: date
    minutes: int
    is_today: bool
    is_future: bool


@dataclass(frozen=True)
class PracticeWeek:
    """The client's week (Monday to Sunday, their own dates), minutes per day and in all."""

    days: tuple[PracticeDay, ...]
    minutes: int


def _minutes(seconds: int) -> int:
    # A short practice still shows as a minute: it happened.
    return 0 if seconds <= 0 else max(1, (seconds + 30) // 60)


def practice_week(enrollment: Enrollment, today: date) -> PracticeWeek:
    """Minutes of practice on each day of ``today``'s week, and in the week; one query."""
    monday = today - timedelta(days=today.weekday())
    sunday = monday + timedelta(days=6)
    rows = (
        Practice.objects.filter(enrollment=enrollment, local_date__range=(monday, sunday))
        .values("local_date")
        .annotate(seconds=Sum("seconds"))
    )
    seconds = {row["local_date"]: row["seconds"] or 0 for row in rows}
    days = tuple(
        PracticeDay(
            day=day,
            minutes=_minutes(seconds.get(day, 0)),
            is_today=day == today,
            is_future=day > today,
        )
        for day in (monday + timedelta(days=n) for n in range(7))
    )
    return PracticeWeek(days=days, minutes=_minutes(sum(seconds.values())))


@dataclass(frozen=True)
class PracticedSkill:
    title: str
    times: int
    minutes: int


@dataclass(frozen=True)
class PracticeSummary:
    """What the clinician's record shows: practice from ``since`` to ``until``, by exercise."""

    skills: tuple[PracticedSkill, ...]  # most minutes first
    times: int
    minutes: int
    days: int  # days with any practice


def practice_summary(enrollment: Enrollment, since: date, until: date) -> PracticeSummary:
    """Practice between two of the client's dates, by exercise; two queries whatever the log."""
    window = Practice.objects.filter(enrollment=enrollment, local_date__range=(since, until))
    rows = (
        window.order_by()
        .values("skill")
        .annotate(times=Count("pk"), seconds=Sum("seconds"))
        .values_list("skill", "times", "seconds")
    )
    found = []
    for slug, times, seconds in rows:
        skill = skills.toolbox().get(slug)
        title = skill.title if skill is not None else slug
        found.append(PracticedSkill(title=title, times=times, minutes=_minutes(seconds or 0)))
    found.sort(key=lambda s: (-s.minutes, s.title))
    return PracticeSummary(
        skills=tuple(found),
        times=sum(s.times for s in found),
        minutes=sum(s.minutes for s in found),
        days=window.order_by().values("local_date").distinct().count(),
    )


def export_practices(user: Person) -> dict[str, Any]:
    """Every practice the client logged, oldest first, for their data download."""
    rows = Practice.objects.filter(enrollment__client=user).order_by("created_at", "pk")
    return {
        "practices": [
            {
                "day": row.local_date,
                "exercise": row.skill,
                "seconds": row.seconds,
                "logged_at": row.created_at,
            }
            for row in rows
        ]
    }
