"""Requests for support in "download my data": when, the message, and who was asked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from waypost.connect.alerts.models import SupportRequest
from waypost.connect.models import AllyLink
from waypost.core import exports

if TYPE_CHECKING:
    from waypost.accounts.models import User


def support_requests(user: User) -> dict[str, Any]:
    requests = list(
        SupportRequest.objects.filter(enrollment__client=user).order_by("created_at", "pk")
    )
    link_ids = {pk for request in requests for pk in request.links}
    names = dict(AllyLink.objects.filter(pk__in=link_ids).values_list("pk", "ally__name"))
    return {
        "support_requests": [
            {
                "sent_at": request.created_at,
                "message": request.message,
                "sent_to": [names[pk] for pk in request.links if pk in names],
            }
            for request in requests
        ]
    }


SECTION = exports.Section(
    key="support_requests",
    title=_("Requests for support"),
    order=81,
    collect=support_requests,
    description=_(
        "Each time you pressed “I need support now”: when, your message, and who got it."
    ),
    labels={
        "support_requests": _("Requests for support"),
        "sent_at": _("Sent"),
        "message": _("Your message"),
        "sent_to": _("Sent to"),
    },
)


def register() -> None:
    exports.register(SECTION)
