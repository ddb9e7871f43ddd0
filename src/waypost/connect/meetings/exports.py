"""Peer meetings in "download my data": the client's favourite meetings (and whether each
reminds them an hour before) and their log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from waypost.connect.meetings.models import Attendance, Favourite
from waypost.core import exports

if TYPE_CHECKING:
    from waypost.accounts.models import User


def meetings(user: User) -> dict[str, Any]:
    favourites = (
        Favourite.objects.filter(enrollment__client=user)
        .select_related("meeting")
        .order_by("created_at", "pk")
    )
    log = (
        Attendance.objects.filter(enrollment__client=user)
        .select_related("meeting")
        .order_by("starts_at", "pk")
    )
    return {
        "favourites": [
            {
                "name": f.meeting.name,
                "since": f.created_at,
                "listed": f.meeting.active,
                "remind": f.remind,
            }
            for f in favourites
        ],
        "attended": [
            {
                "name": entry.meeting.name,
                "day": entry.attended_on,
                "starts_at": entry.starts_at,
                "online": entry.online,
            }
            for entry in log
        ],
    }


SECTION = exports.Section(
    key="meetings",
    title=_("Peer support meetings"),
    order=82,
    collect=meetings,
    description=_("The meetings you keep as favourites and the ones you logged going to."),
    labels={
        "favourites": _("Favourites"),
        "since": _("Since"),
        "listed": _("Still listed"),
        "remind": _("Reminder an hour before"),
        "attended": _("Meetings you went to"),
        "day": _("Day"),
        "starts_at": _("Started"),
        "online": _("Online"),
    },
)


def register() -> None:
    exports.register(SECTION)
