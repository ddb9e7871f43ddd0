"""The clinician's view of a client's connections, and their note of support arrangements.

The record's Connections card gathers what Stage 3 knows about the people and
groups around the client: their allies and what each may see, meetings and group
sessions attended (every ``connect.attendance`` source), family or partner sessions
held, and the clinician's latest note of support arrangements, which the Stage 3 gate
(``connect.gates``) accepts in place of an ally.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from waypost.access.policy import Action, can
from waypost.connect import attendance
from waypost.connect.gates import SUPPORT_DOCUMENTED, support_documented
from waypost.connect.models import AllyLink
from waypost.core import events, panels
from waypost.core.models import TimelineEvent
from waypost.program.selectors import record_of_client

if TYPE_CHECKING:
    from waypost.accounts.models import User
    from waypost.program.models import Enrollment

# audit-trail subject: the Connections card of a client's record
CONNECTIONS = "connections"
# audit-trail subject: the clinician's note of the client's support arrangements
SUPPORT_ARRANGEMENTS = "support arrangements"
NOTE_MAX = 1000
RECENT = 5


def document_support(
    *, enrollment: Enrollment, text: str, by: User, path: str = "", at: datetime | None = None
) -> TimelineEvent:
    """Keep the clinician's note of the client's support arrangements (encrypted, audited).

    A sponsor or partner who is not on Waypost, or why there is nobody for now: the
    Stage 3 gate counts it in place of a connected ally.
    """
    text = text.strip()
    if not text:
        raise ValueError("a note of support arrangements needs some text")
    return events.record(
        enrollment=enrollment,
        kind=SUPPORT_DOCUMENTED,
        actor=by,
        detail=text[:NOTE_MAX],
        path=path,
        at=at,
    )


class SupportNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Support arrangements"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Who supports the client outside Waypost (a sponsor, a partner or friend), or "
            "why there is nobody for now. Only the client's clinicians see this note."
        ),
    )


@dataclass(frozen=True)
class Connections:
    links: list[AllyLink]
    counts: list[tuple[str, int]]  # (source label, attended since the stage began)
    recent: list[attendance.Attended]
    family_sessions: list[Any]
    support_note: TimelineEvent | None


def connections_of(enrollment: Enrollment) -> Connections:
    """What the Connections card shows: allies, attendance, family sessions, support note."""
    from waypost.connect.selectors import family_sessions_for

    links = list(
        AllyLink.objects.filter(enrollment=enrollment, ended_at__isnull=True)
        .select_related("ally")
        .order_by("created_at")
    )
    since = enrollment.stage_entered_at if enrollment.stage >= 3 else None
    counts = [
        (str(source.label), source.count(enrollment, since)) for source in attendance.sources()
    ]
    return Connections(
        links=links,
        counts=counts,
        recent=attendance.recent(enrollment, RECENT),
        family_sessions=list(family_sessions_for(enrollment))[:RECENT],
        support_note=support_documented(enrollment),
    )


def record_card(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """The record's Connections card, for the primary clinician; audited when shown."""
    if not can(request.user, Action.VIEW_RECORD, enrollment):
        return None
    events.record_view(
        actor=request.user, enrollment=enrollment, what=CONNECTIONS, path=request.path
    )
    found = connections_of(enrollment)
    return {
        "connections": found,
        "in_stage_three": enrollment.stage >= 3,
        "may_record_sessions": can(request.user, Action.RECORD_FAMILY_SESSION, enrollment),
    }


@login_required
@require_http_methods(["GET", "POST"])
def document(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """The clinician writes down the client's support arrangements (reading them is audited)."""
    enrollment = record_of_client(request.user, enrollment_id, path=request.path)
    form = SupportNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        document_support(
            enrollment=enrollment,
            text=form.cleaned_data["note"],
            by=request.user,  # type: ignore[arg-type]  # record_of_client let only staff in
            path=request.path,
        )
        return redirect("caseload:record", enrollment.pk)
    latest = support_documented(enrollment)
    if latest is not None:
        events.record_view(
            actor=request.user,  # type: ignore[arg-type]  # record_of_client let only staff in
            enrollment=enrollment,
            what=SUPPORT_ARRANGEMENTS,
            path=request.path,
        )
    return render(
        request,
        "connect/support_note.html",
        {"enrollment": enrollment, "form": form, "latest": latest},
    )


def register() -> None:
    from waypost.core import audit

    audit.register_subject(CONNECTIONS, _("Connections: allies, attendance, family sessions"))
    audit.register_subject(SUPPORT_ARRANGEMENTS, _("Support arrangements"))
    panels.register(
        panels.Panel(
            slot="client_record",
            key="connect.connections",
            template="connect/record/connections.html",
            context=record_card,
            order=40,
            stylesheet="connect/connect.css",
        )
    )
