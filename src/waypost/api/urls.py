"""The REST API under /api/v1/: same services and the same access policy as the pages."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="Waypost API",
    version="1",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)

api_urls = api.urls
