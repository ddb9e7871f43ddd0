"""Who may use each URL of the recovery app; gathered by tests/core/test_roles.py.

The daily check-in is the client's own, from Stage 2 on (the cast's client is in
Stage 2). Everyone else is refused by the way in (``own_enrollment``: 403). A client
below Stage 2 gets a kind page on GET and 403 on POST (tests/recovery/test_pages.py).
"""

from uuid import uuid4

from tests.roles import Route

CLIENT = frozenset({"client"})


def _today(cast) -> dict:
    from waypost.recovery.selectors import client_today

    return {"day": client_today(cast.enrollment).isoformat()}


def _answers(cast) -> dict:
    return {
        "client_uuid": str(uuid4()),
        "sober": "yes",
        "mood": "4",
        "urge": "2",
        "sleep_hours": "7.5",
        "mindfulness_minutes": "10",
        "note": "",
    }


ROUTES = [
    Route("recovery:checkin", CLIENT),
    Route(
        "recovery:checkin_day",
        CLIENT,
        kwargs=_today,
        method="post",
        data=_answers,
        note="a POST for today keeps the check-in and goes back to Today",
    ),
]
