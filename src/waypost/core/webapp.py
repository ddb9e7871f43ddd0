"""The installable web app: its manifest, its service worker and its offline page.

The worker must be served from the site's root (``/sw.js``) to look after every page
of the site; ``Service-Worker-Allowed: /`` says so explicitly. Its script is the same
for everyone and holds no data: which files and pages it keeps comes from
``core.offline``. See docs/deployment.md ("The installable app").
"""

from __future__ import annotations

import json
from functools import cache

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_safe

from waypost.core import offline

# The site's own colours (core/static/waypost/app.css: --accent and --bg).
THEME_COLOUR = "#2f5f5a"
BACKGROUND_COLOUR = "#f6f4ef"


@cache
def _worker_source() -> str:
    return offline.WORKER_SOURCE.read_text(encoding="utf-8")


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker: what to keep (as JSON), then the worker's own code."""
    config = json.dumps(offline.worker_config(), separators=(",", ":"))
    body = f"const WAYPOST = {config};\n{_worker_source()}"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # The browser asks again every time it checks for a new worker.
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: a discreet name, the site's colours and our own icons."""
    data = {
        "id": "/",
        "name": "Waypost",
        "short_name": "Waypost",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": BACKGROUND_COLOUR,
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static("waypost/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("waypost/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("waypost/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("waypost/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def offline_page(request: HttpRequest) -> HttpResponse:
    """Shown by the worker, without a signal, for a page it does not keep."""
    return render(request, "core/offline.html", {"links": offline.offline_links()})
