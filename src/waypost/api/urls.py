"""The REST API under /api/v1/: same services and the same access policy as the pages.

Schema at /api/v1/openapi.json, interactive docs at /api/v1/docs (local
files only). Every operation needs a personal access token or a signed-in
session; every error is JSON with a stable code (see ``errors.py``).
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI

from waypost.api.ally import ally_router
from waypost.api.auth import api_auth, user_throttle
from waypost.api.docs import LocalSwagger
from waypost.api.endpoints import clinician_router, me_router
from waypost.api.errors import json_method_not_allowed, register_exception_handlers

DESCRIPTION = """\
The Waypost API, for clinic staff and the integrations they run.

**Authentication.** Staff and integration accounts create a personal access
token on their account page (*Account → Security → API tokens*) and send it as
`Authorization: Bearer wpt_...`. Clients and allies use the API only from their
signed-in browser; there, and for anyone in a signed-in browser, unsafe
methods need the `X-CSRFToken` header.

**Errors** are JSON: `{"code": "...", "message": "..."}`. The `code` is stable
(`bad_request`, `not_authenticated`, `forbidden`, `csrf_failed`,
`two_factor_required`, `not_found`, `not_enrolled`,
`method_not_allowed`, `validation_error` with `details`, `malformed_json`,
`throttled`, `server_error`); the message is for people and may change.

**Times** are ISO 8601 in UTC.
"""

api = NinjaAPI(
    title="Waypost API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs=LocalSwagger(),
    auth=api_auth,
    throttle=[user_throttle],
)
register_exception_handlers(api)
api.add_router("", me_router)
api.add_router("", clinician_router)
api.add_router("", ally_router)


URLs = tuple[list[URLResolver | URLPattern], str, str]


def _urls(urls: URLs) -> URLs:
    """Ninja's URL patterns, with its plain-text 405 replaced by our JSON one."""
    patterns, app_name, namespace = urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = json_method_not_allowed(pattern.callback)
    return patterns, app_name, namespace


api_urls = _urls(api.urls)
