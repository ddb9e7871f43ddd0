"""Who may use each Notifications URL; gathered by tests/core/test_roles.py.

Everyone signed in has their own list and choices. One notification is its owner's
alone: anyone else gets 404. Turning push on for a device is offered to anyone
who gets a kind that can come by push (``views.push_available``); forgetting a device
is anyone's own business.
"""

from __future__ import annotations

from django.utils import timezone

from tests.roles import ANY_SIGNED_IN, Route

CLIENT = frozenset({"client"})


def _clients_notification(cast) -> dict:
    from waypost.notifications.models import Notification

    found, _created = Notification.objects.get_or_create(
        user=cast.client,
        dedupe_key="roles:one",
        defaults={
            "kind": "recovery.check_in",
            "title": "Time for your check-in",
            "url": "/today/",
            "created_at": timezone.now(),
        },
    )
    return {"pk": found.pk}


ROUTES = [
    Route("notifications:list", ANY_SIGNED_IN),
    Route("notifications:choices", ANY_SIGNED_IN),
    Route("notifications:open", CLIENT, kwargs=_clients_notification, method="post"),
    Route("notifications:read", CLIENT, kwargs=_clients_notification, method="post"),
    Route("notifications:read_all", ANY_SIGNED_IN, method="post"),
    # an empty body is refused kindly (400) to anyone offered push; an ally whose links all
    # ended gets no kind (403)
    Route(
        "notifications:device_on",
        ANY_SIGNED_IN - {"ally_ended"},
        method="post",
        also_ok=frozenset({400}),
    ),
    Route("notifications:device_off", ANY_SIGNED_IN, method="post"),
]
