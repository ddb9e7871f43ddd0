"""Where messages show outside their own pages: Today, the client record, the caseload.

Today reads two facts (``core.facts``, no query of its own): how many messages from the
clinician are unread, and whether the clinic turned messages off. Unread messages are
a next step; otherwise a small card leads to the messages. The record card costs one
query; the caseload column one query for every row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from waypost.access.policy import Action, can
from waypost.caseload.messages import selectors
from waypost.caseload.messages.models import Message
from waypost.core import columns, facts, next_steps, panels

if TYPE_CHECKING:
    from datetime import datetime

    from django.db.models import QuerySet
    from django.http import HttpRequest

    from waypost.program.models import Enrollment

UNREAD = "messaging.unread"


def _unread(enrollment: Enrollment, now: datetime) -> Any:
    counted = (
        Message.objects.filter(enrollment=OuterRef("pk"), from_client=False, read_at__isnull=True)
        .order_by()
        .values("enrollment")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def _unread_for_client(request: HttpRequest, enrollment: Enrollment) -> int:
    # The client's own Today only (VIEW_OWN), and only where they may write (SEND_MESSAGE).
    if not (
        can(request.user, Action.VIEW_OWN, enrollment)
        and can(request.user, Action.SEND_MESSAGE, enrollment)
    ):
        return 0
    return int(facts.facts_for(request, enrollment)[UNREAD] or 0)


def unread_step(request: HttpRequest, enrollment: Enrollment) -> list[next_steps.NextStep]:
    """A message from the clinician not read yet: worth doing today.

    Only then is Messages on Today; otherwise the way to them is on the Me page.
    """
    n = _unread_for_client(request, enrollment)
    if not n:
        return []
    return [
        next_steps.NextStep(
            key="messaging.unread",
            priority=next_steps.ASKED,
            title=ngettext("A new message", "%(n)d new messages", n) % {"n": n},
            description=_("Your clinician wrote to you."),
            url=reverse("messaging:mine"),
            verb=_("Read"),
        )
    ]


def me_card(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """The way to the messages from the client's Me page (no query)."""
    if not can(request.user, Action.SEND_MESSAGE, enrollment):
        return None
    return {}


def record_card(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """The clinician's card: unread messages from the client and the way to the thread.

    Counts only, no words, so the card is not an audited reading; the thread is.
    """
    if not can(request.user, Action.SEND_MESSAGE, enrollment) or not can(
        request.user, Action.VIEW_RECORD, enrollment
    ):
        return None
    return {"summary": selectors.record_summary(enrollment)}


# A message waiting for a reply counts after risk alerts and early warnings in
# "needs attention first" (core.columns).
UNREAD_WEIGHT = 4


def unread_cells(enrollments: Sequence[Enrollment]) -> dict[int, columns.Cell]:
    """ "2 unread" for each client with unread messages; they need a reply."""
    counts = selectors.unread_from_clients(e.pk for e in enrollments)
    thread = columns.links("messaging:thread")
    return {
        enrollment_id: columns.Cell(
            text=ngettext("%(n)d unread", "%(n)d unread", n) % {"n": n},
            url=thread(enrollment_id),
            attention=True,
            sort=n,
        )
        for enrollment_id, n in counts.items()
    }


def with_unread(listed: QuerySet[Enrollment]) -> QuerySet[Message, int]:
    """The listed clients with a message unread by the care team (``Column.attention``)."""
    return (
        Message.objects.filter(selectors.UNREAD_FROM_CLIENT, enrollment__in=listed)
        .order_by()
        .values_list("enrollment_id", flat=True)
        .distinct()
    )


def register_all() -> None:
    facts.register(UNREAD, _unread)
    next_steps.register("messaging.unread", unread_step)
    panels.register(
        panels.Panel(
            slot="client_me",
            key="messaging.me",
            template="messaging/panels/me.html",
            context=me_card,
        )
    )
    panels.register(
        panels.Panel(
            slot="client_record_side",
            key="messaging.record",
            template="messaging/panels/record.html",
            context=record_card,
            order=8,
        )
    )
    columns.register(
        columns.Column(
            "messaging.unread",
            gettext_lazy("Messages"),
            unread_cells,
            order=15,
            sorts=True,
            weight=UNREAD_WEIGHT,
            attention=with_unread,
        )
    )
