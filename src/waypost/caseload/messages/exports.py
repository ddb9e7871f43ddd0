"""Secure messages in "download my data": every message of the client's threads."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from waypost.caseload.messages.models import Message
from waypost.core import exports

if TYPE_CHECKING:
    from waypost.accounts.models import User


def messages(user: User) -> list[dict[str, Any]]:
    rows = (
        Message.objects.filter(enrollment__client=user)
        .select_related("sender", "enrollment__clinic")
        .order_by("created_at", "pk")
    )
    return [
        {
            "at": message.created_at,
            "from": gettext_now("You") if message.from_client else message.sender.name,
            "clinic": message.enrollment.clinic.name,
            "text": message.body,
            "read_at": message.read_at,
        }
        for message in rows
    ]


SECTION = exports.Section(
    key="messages",
    title=_("Messages"),
    order=45,
    collect=messages,
    description=_("Every message between you and your clinician, and when each was read."),
    labels={"from": _("From"), "read_at": _("Read")},
)


def register() -> None:
    exports.register(SECTION)
