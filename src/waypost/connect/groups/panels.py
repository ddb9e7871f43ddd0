"""Group therapy on other apps' pages: each function checks access itself and never writes
(but for the audit of a clinician's read).

- ``client_connect``: "Your groups" on the client's Connect page, from the facts read
  once per request (one query at most);
- ``core.coming_up``: the next group session on Today (from the same facts: no query of
  its own);
- ``client_record_side``: the clinician's card of the client's groups and attendance;
- the ally scope "groups": the sessions the client attended and when the next one is;
- the attendance source "groups": sessions the facilitator marked the client present at.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, can
from waypost.connect import attendance
from waypost.connect.groups import events as group_events
from waypost.connect.groups import selectors
from waypost.core import coming_up, events, facts

if TYPE_CHECKING:
    from datetime import datetime

    from django.http import HttpRequest

    from waypost.connect.models import AllyLink
    from waypost.connect.scopes import SectionContext
    from waypost.program.models import Enrollment

STYLESHEET = "group_therapy/groups.css"


def connect_panel(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """ "Your groups" with the next session of each; nothing for a client in no group."""
    if not can(request.user, Action.VIEW_OWN, enrollment):
        return None
    groups = selectors.client_groups(facts.facts_for(request, enrollment))
    if not groups:
        return None
    return {"groups": groups}


def next_group_session(request: HttpRequest, enrollment: Enrollment) -> list[coming_up.ComingUp]:
    """The soonest session of the client's groups, for Today."""
    if not can(request.user, Action.VIEW_OWN, enrollment):
        return []
    groups = selectors.client_groups(facts.facts_for(request, enrollment))
    if not groups or groups[0].next is None:
        return []
    first = groups[0]
    occurrence = first.next
    assert occurrence is not None
    return [
        coming_up.ComingUp(
            key=f"group_therapy.{first.programme.pk}.{occurrence.key}",
            starts_at=occurrence.start,
            title=_("Group session: %(name)s") % {"name": first.programme.name},
            url=reverse("group_therapy:mine"),
        )
    ]


def record_card(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """The client's groups and attendance, for their primary clinician; audited as a read.

    One query for a client who was never in a group; four for one who is.
    """
    if not can(request.user, Action.VIEW_RECORD, enrollment):
        return None
    memberships = selectors.memberships_of(enrollment)
    if not memberships:
        return None
    # Every mark at once: a client has dozens at most, and the counts come with them.
    marks = selectors.latest_attendance(enrollment, None)
    counts = Counter(mark.status for mark in marks)
    upcoming = (
        selectors.next_session_of(memberships, timezone.now())
        if any(m.is_open for m in memberships)
        else None
    )
    events.record_view(
        actor=request.user,
        enrollment=enrollment,
        what=group_events.AUDIT_CARD,
        path=request.path,
    )
    return {
        "memberships": memberships,
        "present": counts["present"],
        "absent": counts["absent"],
        "excused": counts["excused"],
        "latest": marks[: selectors.LATEST_SHOWN],
        "upcoming": upcoming,
    }


def ally_section(link: AllyLink) -> SectionContext:
    """Which sessions the client attended, and when the next one is; never where, never notes."""
    enrollment = link.enrollment
    memberships = [m for m in selectors.memberships_of(enrollment) if m.is_open]
    upcoming = selectors.next_session_of(memberships, timezone.now()) if memberships else None
    return {
        "attended": selectors.latest_attendance(
            enrollment, selectors.LATEST_SHOWN, present_only=True
        ),
        "total": selectors.attended_count(enrollment, None),
        "next": upcoming[1] if upcoming else None,
        "next_group": upcoming[0].name if upcoming else "",
        "in_groups": bool(memberships),
    }


# --- the attendance source ---------------------------------------------------------------------


def attended_count(enrollment: Enrollment, since: datetime | None) -> int:
    return selectors.attended_count(enrollment, since)


def attended_latest(enrollment: Enrollment, limit: int) -> list[attendance.Attended]:
    found = []
    for mark in selectors.latest_attendance(enrollment, limit, present_only=True):
        session = mark.session
        programme = session.programme
        room = session.moved_room if session.is_moved and session.moved_room else programme.room
        found.append(
            attendance.Attended(
                source="groups",
                at=session.starts_at,
                title=programme.name,
                online=bool(programme.online_url) and not room,
            )
        )
    return found
