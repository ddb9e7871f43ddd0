"""Where "I need support now" shows: a card on Connect and a door on "Get help now"."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext_lazy

from waypost.access.policy import Action, can, roles_of
from waypost.connect.alerts import selectors
from waypost.core import help_doors, nav, panels

if TYPE_CHECKING:
    from django.http import HttpRequest

    from waypost.program.models import Enrollment


def connect_card(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """The button, and who would get it (one query)."""
    if not can(request.user, Action.MANAGE_ALLIES, enrollment):
        return None
    return {"recipients": selectors.support_links(enrollment)}


def _door(request: HttpRequest) -> str | None:
    enrollment = roles_of(request.user).enrollment
    if enrollment is None or not can(request.user, Action.MANAGE_ALLIES, enrollment):
        return None
    return reverse("ally_alerts:support")


def register() -> None:
    panels.register(
        panels.Panel(
            slot="client_connect",
            key="ally_alerts.support",
            template="ally_alerts/panels/connect.html",
            context=connect_card,
            # First among the other ways of connecting: it is the one for a hard moment.
            order=10,
            stylesheet="ally_alerts/alerts.css",
        )
    )
    help_doors.register(
        help_doors.HelpDoor(
            key="ally_alerts.support",
            label=gettext_lazy("I need support now"),
            hint=gettext_lazy("A short message to the allies you chose"),
            url=_door,
            order=20,
        )
    )
    nav.register("ally_alerts:support*", "connect")
