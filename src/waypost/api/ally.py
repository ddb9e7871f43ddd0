"""The ally's API: the people they support and what each shares, nothing more.

From the signed-in browser only (allies have no API tokens): the same consent,
checked scope by scope on every request, as the ally's pages. A link that is not
the caller's own open link, or whose sharing has ended, answers 404 like the page,
and the attempt is audited; every scope read is audited as on the page.

No ``from __future__ import annotations`` here: ninja reads the annotations at
import time to build the schema.
"""

from typing import Any

from ninja import Router

from waypost.access.policy import Action, require
from waypost.api.auth import ApiRequest, SessionAuth
from waypost.api.errors import ErrorOut
from waypost.api.schemas import AllyLinkOut, AllySharedOut
from waypost.connect import scopes as scope_registry
from waypost.connect import services
from waypost.connect.relationships import relationship_label
from waypost.connect.selectors import shared_link, visible_ally_links
from waypost.core import events

COMMON_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 429: ErrorOut}

ally_router = Router(tags=["ally"], auth=[SessionAuth()])


@ally_router.get(
    "/ally/links/",
    response={200: list[AllyLinkOut], **COMMON_ERRORS},
    url_name="ally_links",
    operation_id="list_ally_links",
    summary="The people I support as an ally",
)
def list_ally_links(request: ApiRequest) -> list[dict[str, Any]]:
    """The clients who share with the caller, each with what they share at this moment.

    For allies (an ally whose sharing has ended gets an empty list); anyone else gets
    403. Only names and scope labels: the shared data itself is per link
    (``/ally/links/{link_id}/shared``).
    """
    require(request.auth, Action.VIEW_ALLY_HOME)
    return [
        {
            "id": link.pk,
            "client": {"name": link.enrollment.client.name},
            "relationship": relationship_label(link.relationship),
            "since": link.created_at,
            "scopes": [
                {"key": scope.key, "label": str(scope.label)}
                for scope in scope_registry.known(link.scopes)
            ],
        }
        for link in visible_ally_links(request.auth).order_by("created_at", "pk")
    ]


@ally_router.get(
    "/ally/links/{link_id}/shared",
    response={200: AllySharedOut, 404: ErrorOut, **COMMON_ERRORS},
    url_name="ally_shared",
    operation_id="get_ally_shared",
    summary="What one person shares with me",
)
def get_ally_shared(request: ApiRequest, link_id: int) -> dict[str, Any]:
    """The scopes the client consents to share with the caller now, each with its data.

    A scope the client has withdrawn is absent from the very next response. Anyone but
    the ally of this open link gets 404 (audited); each scope returned is audited.
    """
    link = shared_link(request.auth, link_id, path=request.path)
    shared = services.shared_data(link=link, viewer=request.auth)
    for item in shared:
        events.record_view(
            actor=request.auth,
            enrollment=link.enrollment,
            what=f"shared: {item.key}",
            path=request.path,
        )
    return {
        "link": link.pk,
        "client": {"name": link.enrollment.client.name},
        "scopes": [{"key": item.key, "label": item.label, "data": item.data} for item in shared],
    }
