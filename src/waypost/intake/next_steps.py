"""What the intake app puts on the client's Today: the history and the story, until done."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from waypost.access.policy import Action, can
from waypost.core import facts, next_steps
from waypost.intake import services
from waypost.intake.models import HistoryIntake, Narrative
from waypost.intake.story import PARTS

if TYPE_CHECKING:
    from django.http import HttpRequest

    from waypost.program.models import Enrollment


def history(request: HttpRequest, enrollment: Enrollment) -> list[next_steps.NextStep]:
    """ "Your history" while it is not sent yet; nothing once it is."""
    if not can(request.user, Action.VIEW_OWN, enrollment):
        return []
    found = facts.facts_for(request, enrollment)["intake.history"]
    intake = found[0] if found else HistoryIntake(enrollment=enrollment)
    progress = services.intake_progress(intake)
    if progress.is_complete:
        return []
    if progress.all_saved:
        url, verb = reverse("intake:review"), _("Review and send")
        description = _("Everything is answered: check it over and send it to your clinician.")
    elif progress.count:
        url, verb = reverse("intake:topic", args=[progress.next_number]), _("Continue")
        description = _(
            "%(n)d of %(total)d topics saved. Pick up where you left off whenever you are ready."
        ) % {"n": progress.count, "total": progress.total}
    else:
        url, verb = reverse("intake:overview"), _("Start")
        description = _(
            "A few short screens about how things have been, so your clinician can plan the work "
            "with you. You can stop at any point and come back."
        )
    return [
        next_steps.NextStep(
            key="intake.history",
            priority=next_steps.CONTINUE if progress.count else next_steps.START,
            title=_("Your history"),
            description=description,
            url=url,
            verb=verb,
        )
    ]


def story(request: HttpRequest, enrollment: Enrollment) -> list[next_steps.NextStep]:
    """ "Your story" until it is shared, and again when the draft has changed since."""
    if not can(request.user, Action.VIEW_OWN, enrollment):
        return []
    found = facts.facts_for(request, enrollment)["intake.story"]
    narrative = found[0] if found else Narrative(enrollment=enrollment)
    if narrative.is_shared and not narrative.edited_since_shared:
        return []
    written = len(services.written_parts(narrative.draft))
    if narrative.edited_since_shared:
        verb = _("Review and share")
        description = _(
            "You changed your story after sharing it. Your clinician still sees the earlier "
            "version until you share it again."
        )
    elif written:
        verb = _("Continue")
        description = _(
            "%(n)d of %(total)d parts written. Only you can see it until you choose to share it."
        ) % {"n": written, "total": len(PARTS)}
    else:
        verb = _("Start")
        description = _(
            "Guided questions to help you write how it began and what keeps it going. "
            "Private until you choose to share it."
        )
    return [
        next_steps.NextStep(
            key="intake.story",
            # after the history: a story takes longer, and is the client's own to time
            priority=(next_steps.CONTINUE if written else next_steps.START) + 1,
            title=_("Your story"),
            description=description,
            url=reverse("intake:story"),
            verb=verb,
        )
    ]


def register_all() -> None:
    # At most one of each (one-to-one with the enrollment), read with Today's other facts.
    facts.register(
        "intake.history",
        lambda enrollment, now: facts.Rows(
            HistoryIntake.objects.filter(enrollment=OuterRef("pk")),
            ["id", "enrollment_id", "answers_json", "completed_at"],
        ),
    )
    facts.register(
        "intake.story",
        lambda enrollment, now: facts.Rows(
            Narrative.objects.filter(enrollment=OuterRef("pk")),
            ["id", "enrollment_id", "draft_json", "draft_saved_at", "shared_json", "shared_at"],
        ),
    )
    next_steps.register("intake.history", history)
    next_steps.register("intake.story", story)
