"""Small helpers for the notifications tests: a kind of their own, and quiet hours."""

from __future__ import annotations

from datetime import time

from waypost.accounts.models import User
from waypost.notifications import kinds
from waypost.notifications.models import Preference

TEST_KIND = "tests.news"


def register_test_kind(**options) -> kinds.NotificationKind:
    """A kind for clients only, registered for one test (the fixture removes it)."""
    defaults = {
        "key": TEST_KIND,
        "label": "Test news",
        "audience": frozenset({kinds.CLIENT}),
    }
    return kinds.register(kinds.NotificationKind(**{**defaults, **options}))


def quiet(user: User, start: time, end: time, zone: str = "") -> None:
    User.objects.filter(pk=user.pk).update(
        quiet_hours_start=start, quiet_hours_end=end, time_zone=zone
    )
    user.refresh_from_db()


def choose(user: User, kind: str, *, in_app=True, email=True, push=True, at=None) -> None:
    """The person's choice for ``kind``, made at the (possibly travelled-to) time now."""
    from django.utils import timezone

    Preference.objects.update_or_create(
        user=user,
        kind=kind,
        defaults={
            "in_app": in_app,
            "email": email,
            "push": push,
            "at_time": at,
            "time_chosen_at": timezone.now() if at is not None else None,
            "updated_at": timezone.now(),
        },
    )
