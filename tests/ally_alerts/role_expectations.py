"""Who may open each page of ally alerts: an ally only their own open link's, the client
only their own "I need support now"."""

from tests.roles import Route


def _support_request(cast) -> dict:
    import uuid

    from waypost.connect.alerts.support import request_support

    sent = request_support(
        enrollment=cast.enrollment, by=cast.client, client_uuid=uuid.uuid4(), message="Hard day."
    )
    return {"request_id": sent.pk}


ROUTES = [
    Route(
        "ally_alerts:updates",
        frozenset({"ally_all"}),
        kwargs=lambda cast: {"link_id": cast.links["all"].pk},
        note="each ally sees only their own open link's updates",
    ),
    Route(
        "ally_alerts:alert_settings",
        frozenset({"ally_all"}),
        kwargs=lambda cast: {"link_id": cast.links["all"].pk},
        note="the ally's own rhythm; the client cannot choose it for them",
    ),
    Route("ally_alerts:support", frozenset({"client"})),
    Route(
        "ally_alerts:support_sent",
        frozenset({"client"}),
        kwargs=_support_request,
        note="the client's own request only",
    ),
]
