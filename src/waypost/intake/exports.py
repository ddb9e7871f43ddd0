"""The history intake and the story in "download my data", as the client wrote them.

The story's draft is the client's alone, and so is in their download; the shared
copy is what their clinician reads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from waypost.core import exports
from waypost.intake import story, topics
from waypost.intake.models import HistoryIntake, Narrative

if TYPE_CHECKING:
    from waypost.accounts.models import User


def _history(intake: HistoryIntake) -> dict[str, Any]:
    saved = intake.answers
    return {
        "created_at": intake.created_at,
        "updated_at": intake.updated_at,
        "completed_at": intake.completed_at,
        "topics": [
            {
                "topic": str(topic.title),
                "key": topic.key,
                "answers": [
                    {"question": str(label or ""), "answer": text}
                    for label, text in topics.describe(topic, saved[topic.key])
                ],
                "as_saved": saved[topic.key],
            }
            for topic in topics.TOPICS
            if topic.key in saved
        ],
    }


def _parts(content: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for part in story.PARTS:
        if part.key not in content:
            continue
        rows = story.describe_part(part, content[part.key])
        out.append(
            {
                "part": str(part.title),
                "key": part.key,
                "written": [
                    {
                        "heading": str(row["label"] or part.title),
                        "text": row.get("text") or ", ".join(str(t) for t in row.get("ticks", [])),
                    }
                    for row in rows
                ],
                "as_saved": content[part.key],
            }
        )
    return out


def _story(narrative: Narrative) -> dict[str, Any]:
    return {
        "draft_saved_at": narrative.draft_saved_at,
        "draft": _parts(narrative.draft),
        "shared_at": narrative.shared_at,
        "shared": _parts(narrative.shared) if narrative.is_shared else [],
    }


def intake(user: User) -> list[dict[str, Any]]:
    out = []
    for record in HistoryIntake.objects.filter(enrollment__client=user).order_by("created_at"):
        out.append({"history": _history(record)})
    for narrative in Narrative.objects.filter(enrollment__client=user).order_by("created_at"):
        out.append({"story": _story(narrative)})
    return out


SECTION = exports.Section(
    key="intake",
    title=_("Your history and your story"),
    order=50,
    collect=intake,
    machine_only=frozenset({"as_saved"}),
    description=_(
        "Your answers about your history, and your story: your draft and what you shared."
    ),
    labels={
        "history": _("Your history"),
        "topics": _("Topics"),
        "topic": _("Topic"),
        "answers": _("Your answers"),
        "question": _("Question"),
        "answer": _("Answer"),
        "story": _("Your story"),
        "draft_saved_at": _("Draft last saved"),
        "draft": _("Your draft (only you see it)"),
        "shared_at": _("Shared with your clinician"),
        "shared": _("What your clinician sees"),
        "part": _("Part"),
        "written": _("What you wrote"),
        "heading": _("Heading"),
    },
)


def register() -> None:
    exports.register(SECTION)
