"""Stage 4 in "download my data": goals with steps and notes, the maintenance plan, graduation.

Progress notes are included whoever wrote them: a clinician's note on a goal is a
comment to the client, on the client's own page. The graduation note is too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from waypost.core import exports
from waypost.flourish import domains, maintenance_content
from waypost.flourish.models import Goal, Graduation, MaintenancePlan, Rhythm

if TYPE_CHECKING:
    from waypost.accounts.models import User


def _by(user: User, author_id: int, name: str) -> str:
    return gettext_now("You") if author_id == user.pk else name


def collect(user: User) -> dict[str, Any]:
    goals = (
        Goal.objects.filter(enrollment__client=user)
        .prefetch_related("steps", "notes__written_by")
        .order_by("created_at", "id")
    )
    plans = MaintenancePlan.objects.filter(enrollment__client=user).order_by(
        "created_at", "version"
    )
    graduations = Graduation.objects.filter(enrollment__client=user).order_by("graduated_at")
    return {
        "goals": [
            {
                "area_of_life": (found.name if (found := domains.get(g.domain)) else g.domain),
                "goal": g.title,
                "why": g.why,
                "status": str(Goal.Status(g.status).label),
                "review_on": g.review_on,
                "set_at": g.created_at,
                "steps": [{"step": s.text, "done_at": s.done_at} for s in g.steps.all()],
                "notes": [
                    {
                        "written_at": n.created_at,
                        "written_by": _by(user, n.written_by_id, n.written_by.name),
                        "note": n.text,
                    }
                    for n in g.notes.all()
                ],
            }
            for g in goals
        ],
        "maintenance_plan": [
            {
                "version": p.version,
                "saved_at": p.created_at,
                "in_session": p.in_session,
                "check_in_rhythm": str(Rhythm(p.rhythm).label),
                **maintenance_content.loads(p.content),
            }
            for p in plans
        ],
        "graduation": [
            {"graduated_at": g.graduated_at, "note": g.note, "stepped_back_at": g.stepped_back_at}
            for g in graduations
        ],
    }


SECTION = exports.Section(
    key="flourish",
    title=_("Goals and maintenance"),
    order=80,
    collect=collect,
    description=_(
        "Your long-term goals with steps and notes, your maintenance plan, your graduation."
    ),
    labels={
        "goals": _("Long-term goals"),
        "area_of_life": _("Area of life"),
        "goal": _("Goal"),
        "why": _("Why it matters"),
        "review_on": _("Next review"),
        "set_at": _("Set"),
        "steps": _("Steps"),
        "step": _("Step"),
        "done_at": _("Done"),
        "notes": _("Progress notes"),
        "written_at": _("Written"),
        "written_by": _("By"),
        "maintenance_plan": _("Maintenance plan"),
        "check_in_rhythm": _("How often to check in"),
        "warning_signs": _("Signs to watch for"),
        "if_they_appear": _("What to do if they appear"),
        "graduation": _("Graduation"),
        "graduated_at": _("Graduated"),
        "stepped_back_at": _("Stepped back in"),
    },
)


def register() -> None:
    exports.register(SECTION)
