"""Whose side a motivation page is on, and what every tool page shares.

Who may do what
- the client: their own tools (``Action.VIEW_OWN``), under /motivation/;
- their primary clinician: every tool under /clients/<id>/motivation/, reading
  with ``Action.VIEW_RECORD`` (audited) and filling any tool with the client
  in session with ``Action.ASSIGN_WORK`` (audited, marked "in session");
- everyone else: refused (another clinician's client is a 404); allies see
  nothing of these tools.
Both sides share one page per tool; ``Seat`` says whose side the page is on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django import forms
from django.contrib import messages
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from waypost.access.policy import Action, own_enrollment
from waypost.core import events as core_events
from waypost.motivation.tools import MotivationContentError
from waypost.program.models import Enrollment
from waypost.program.selectors import record_of_client

Saved = TypeVar("Saved")

PAGES = (
    "overview",
    "readiness",
    "balance",
    "balance_edit",
    "values",
    "values_sort",
    "values_top",
    "values_notes",
    "stage",
)

if TYPE_CHECKING:
    from waypost.accounts.http import AuthenticatedHttpRequest


@dataclass(frozen=True)
class Seat:
    """Whose side a page is on: the client's own, or their clinician's (in session)."""

    enrollment: Enrollment
    for_client: bool

    def url(self, page: str, *args: object) -> str:
        """The page's address on this side: ``/motivation/…`` or ``/clients/<id>/motivation/…``."""
        if self.for_client:
            return reverse(f"motivation:{page}", args=args)
        return reverse(f"motivation:client_{page}", args=[self.enrollment.pk, *args])

    @property
    def urls(self) -> dict[str, str]:
        return {page: self.url(page) for page in PAGES}


def own_seat(request: AuthenticatedHttpRequest) -> Seat:
    """The signed-in client's own side (403 for anyone who is not a client)."""
    return Seat(own_enrollment(request.user), for_client=True)


def clients_seat(
    request: AuthenticatedHttpRequest, enrollment_id: int, *, write: bool = False
) -> Seat:
    """A client of the signed-in primary clinician (404 for anyone else's)."""
    writing = write or request.method == "POST"
    actions = (Action.ASSIGN_WORK,) if writing else ()
    return Seat(
        record_of_client(request.user, enrollment_id, *actions, path=request.path), for_client=False
    )


def viewed(request: AuthenticatedHttpRequest, seat: Seat, what: str) -> None:
    """Audit a clinician's look at the client's tools (a client's own look is not recorded)."""
    if not seat.for_client and request.method == "GET":
        core_events.record_view(
            actor=request.user, enrollment=seat.enrollment, what=what, path=request.path
        )


def posted(request: AuthenticatedHttpRequest) -> QueryDict | None:
    """The form data of a POST, even an empty one (so an empty POST gets its messages)."""
    return request.POST if request.method == "POST" else None


def save_from(form: forms.Form, save: Callable[[], Saved]) -> Saved | None:
    """Run a tool's service for a valid posted form: what it saved, or ``None``.

    ``None`` when the form is not valid or the service refuses what was sent
    (``MotivationContentError``); the reason is then on the form, and nothing was saved.
    """
    if not form.is_valid():
        return None
    try:
        return save()
    except MotivationContentError as exc:
        form.add_error(None, exc.message)
        return None


def context(seat: Seat, **extra: object) -> dict[str, object]:
    return {
        "seat": seat,
        "enrollment": seat.enrollment,
        "for_client": seat.for_client,
        "urls": seat.urls,
        **extra,
    }


def saved(request: AuthenticatedHttpRequest, seat: Seat, client_text: str) -> None:
    messages.success(
        request,
        client_text if seat.for_client else _("Saved, and marked as done together in session."),
    )
