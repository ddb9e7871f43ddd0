"""Operations on the history intake and the client's story.

Views, the demo and tests call these; each checks who may do it, writes in
a transaction, and records what others need to know (the audit trail for a
clinician's changes, the timeline for milestones). Nothing sensitive goes
into a timeline summary or an audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, can, require
from waypost.core import events
from waypost.core.errors import DomainError
from waypost.intake import events as intake_events
from waypost.intake.models import HistoryIntake, Narrative
from waypost.intake.story import PART_KEYS, PARTS, describe_part
from waypost.intake.topics import TOPIC_KEYS, TOPICS
from waypost.program.models import Enrollment

if TYPE_CHECKING:
    from waypost.accounts.models import User


class IntakeError(DomainError):
    """The intake cannot be completed yet; the message says why, kindly."""

    code = "intake_incomplete"


class StoryError(DomainError):
    """The story cannot be shared as asked; the message says why, kindly."""

    code = "story_refused"


# --- reading -------------------------------------------------------------------------


def intake_of(enrollment: Enrollment) -> HistoryIntake:
    """The enrollment's intake, or an empty unsaved one (reading never creates rows)."""
    found = HistoryIntake.objects.filter(enrollment=enrollment).first()
    return found or HistoryIntake(enrollment=enrollment)


def story_of(enrollment: Enrollment) -> Narrative:
    """The enrollment's story, or an empty unsaved one."""
    found = Narrative.objects.filter(enrollment=enrollment).first()
    return found or Narrative(enrollment=enrollment)


@dataclass(frozen=True)
class IntakeProgress:
    saved: list[str]
    total: int
    completed_at: datetime | None

    @property
    def count(self) -> int:
        return len(self.saved)

    @property
    def all_saved(self) -> bool:
        return self.count == self.total

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None

    @property
    def next_number(self) -> int | None:
        """The first topic not saved yet (1-based), or None."""
        for topic in TOPICS:
            if topic.key not in self.saved:
                return topic.number
        return None


def intake_progress(intake: HistoryIntake) -> IntakeProgress:
    answers = intake.answers
    return IntakeProgress(
        saved=[k for k in TOPIC_KEYS if k in answers],
        total=len(TOPIC_KEYS),
        completed_at=intake.completed_at,
    )


def written_parts(content: dict[str, Any]) -> list[str]:
    """Keys of the story parts that have anything in them, in order."""
    return [k for k in PART_KEYS if content.get(k)]


# --- the intake ----------------------------------------------------------------------


def _may_fill_intake(by: User, enrollment: Enrollment) -> None:
    """The client, or their primary clinician filling it in with them in session."""
    if not (can(by, Action.VIEW_OWN, enrollment) or can(by, Action.ASSIGN_WORK, enrollment)):
        raise PermissionDenied


def save_intake_topic(
    *,
    enrollment: Enrollment,
    topic_key: str,
    answers: dict[str, Any],
    by: User,
    at: datetime | None = None,
) -> HistoryIntake:
    """Save one topic's (validated) answers, replacing what was there for that topic."""
    _may_fill_intake(by, enrollment)
    if topic_key not in TOPIC_KEYS:
        raise ValueError(f"unknown intake topic {topic_key!r}")
    now = at or timezone.now()
    with transaction.atomic():
        # Lock the row: the client and the clinician may save topics at the same time.
        intake, _created = HistoryIntake.objects.select_for_update().get_or_create(
            enrollment=enrollment, defaults={"created_at": now, "updated_at": now}
        )
        stored = intake.answers
        stored[topic_key] = answers
        intake.set_answers(stored)
        intake.updated_at = now
        intake.updated_by = by
        intake.save(update_fields=["answers_json", "updated_at", "updated_by"])
        events.record_change(
            actor=by, enrollment=enrollment, what=f"history intake: {topic_key}", at=now
        )
    return intake


def complete_intake(
    *, enrollment: Enrollment, by: User, at: datetime | None = None
) -> HistoryIntake:
    """Send the intake to the clinician (client), or complete it in session (clinician).

    Every topic must have been saved. Completing twice changes nothing.
    """
    _may_fill_intake(by, enrollment)
    now = at or timezone.now()
    with transaction.atomic():
        intake = HistoryIntake.objects.select_for_update().filter(enrollment=enrollment).first()
        progress = intake_progress(intake or HistoryIntake(enrollment=enrollment))
        if intake is None or not progress.all_saved:
            missing = progress.total - progress.count
            raise IntakeError(
                _("%(n)d of %(total)d topics still need answers before it can be sent.")
                % {"n": missing, "total": progress.total}
            )
        if intake.completed_at is not None:
            return intake
        intake.completed_at = now
        intake.completed_by = by
        intake.save(update_fields=["completed_at", "completed_by"])
        events.record(
            enrollment=enrollment,
            kind=intake_events.INTAKE_COMPLETED,
            actor=by,
            data={"in_session": by.pk != enrollment.client_id},
            at=now,
        )
    return intake


# --- the story -----------------------------------------------------------------------


def save_story_part(
    *,
    enrollment: Enrollment,
    part_key: str,
    content: dict[str, Any],
    by: User,
    at: datetime | None = None,
) -> Narrative:
    """Save one part of the client's private draft. Only the client writes their story."""
    require(by, Action.VIEW_OWN, enrollment)
    if part_key not in PART_KEYS:
        raise ValueError(f"unknown story part {part_key!r}")
    now = at or timezone.now()
    with transaction.atomic():
        story, _created = Narrative.objects.select_for_update().get_or_create(
            enrollment=enrollment, defaults={"created_at": now}
        )
        draft = story.draft
        if content:
            draft[part_key] = content
        else:
            draft.pop(part_key, None)
        story.set_draft(draft)
        story.draft_saved_at = now
        story.save(update_fields=["draft_json", "draft_saved_at"])
    return story


def share_story(*, enrollment: Enrollment, by: User, at: datetime | None = None) -> Narrative:
    """Give the clinician a copy of the draft as it is now (replacing any earlier copy)."""
    require(by, Action.VIEW_OWN, enrollment)
    now = at or timezone.now()
    with transaction.atomic():
        story = Narrative.objects.select_for_update().filter(enrollment=enrollment).first()
        if story is None or not written_parts(story.draft):
            raise StoryError(_("Write at least one part of your story before sharing it."))
        again = story.is_shared
        story.shared_json = story.draft_json
        story.shared_at = now
        story.save(update_fields=["shared_json", "shared_at"])
        events.record(
            enrollment=enrollment,
            kind=intake_events.STORY_SHARED,
            actor=by,
            data={"again": again},
            at=now,
        )
    return story


def unshare_story(*, enrollment: Enrollment, by: User, at: datetime | None = None) -> Narrative:
    """Take the shared copy back: the clinician no longer sees any of it. The draft stays."""
    require(by, Action.VIEW_OWN, enrollment)
    now = at or timezone.now()
    with transaction.atomic():
        story = Narrative.objects.select_for_update().filter(enrollment=enrollment).first()
        if story is None or not story.is_shared:
            raise StoryError(_("Your story is not shared at the moment."))
        story.shared_json = ""
        story.shared_at = None
        story.save(update_fields=["shared_json", "shared_at"])
        events.record(enrollment=enrollment, kind=intake_events.STORY_UNSHARED, actor=by, at=now)
    return story


def story_parts_for_reading(content: dict[str, Any]) -> list[dict[str, Any]]:
    """Each part with its title and its answers, for the clinician's reading page."""
    return [
        {"part": part, "rows": describe_part(part, content.get(part.key) or {})} for part in PARTS
    ]
