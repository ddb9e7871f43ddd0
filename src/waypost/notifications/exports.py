"""Notifications in "download my data": what Waypost told the person, and their choices.

Devices turned on for push are listed by when, not by address: the address and keys
are the device's secrets and of no use to anyone else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from waypost.core import exports
from waypost.notifications import kinds
from waypost.notifications.models import Notification, Preference, PushSubscription

if TYPE_CHECKING:
    from waypost.accounts.models import User


def _label(key: str) -> str:
    try:
        return str(kinds.get(key).label)
    except KeyError:
        return key


def collect(user: User) -> dict[str, Any]:
    return {
        "notifications": [
            {
                "created_at": n.created_at,
                "title": n.title,
                "body": n.body,
                "link": n.url,
                "read_at": n.read_at,
                "emailed": n.emailed,
                "what": _label(n.kind),
                "kind": n.kind,
            }
            for n in Notification.objects.filter(user=user, shown=True).order_by("created_at")
        ],
        "choices": [
            {
                "what": _label(p.kind),
                "kind": p.kind,
                "in_app": p.in_app,
                "email": p.email,
                "push": p.push,
                "at_time": p.at_time,
                "time_chosen_at": p.time_chosen_at,
                "updated_at": p.updated_at,
            }
            for p in Preference.objects.filter(user=user).order_by("kind")
        ],
        "devices": [
            {"created_at": d.created_at, "last_pushed_at": d.last_pushed_at}
            for d in PushSubscription.objects.filter(user=user)
        ],
    }


SECTION = exports.Section(
    key="notifications",
    title=_("Notifications"),
    order=95,
    collect=collect,
    machine_only=frozenset({"kind"}),
    description=_(
        "What Waypost told you about, your choices of what to hear and how, and the "
        "devices you turned notifications on for."
    ),
    labels={
        "notifications": _("Notifications"),
        "title": _("Title"),
        "body": _("Text"),
        "link": _("Link"),
        "read_at": _("Read"),
        "emailed": _("Also e-mailed"),
        "what": _("About"),
        "choices": _("Your choices"),
        "in_app": _("In Waypost"),
        "email": _("E-mail"),
        "push": _("On your devices"),
        "at_time": _("At"),
        "devices": _("Devices"),
        "last_pushed_at": _("Last notified"),
    },
)


def register() -> None:
    exports.register(SECTION)
