"""What Waypost keeps on a phone for use without a signal, and how a queued write is answered.

The service worker (``core.webapp.service_worker``, served at ``/sw.js``) keeps two
things and nothing else:

- the app shell: the stylesheets, scripts and icons listed here (``SHELL_ASSETS``) or
  registered by an app with ``register_asset("recovery/toolbox.js")``;
- the pages a client needs in a hard moment, registered by the app that owns them
  with ``register_page(OfflinePage(...))``: the toolbox and its exercises, the urge
  page, "Get help now", the client's own safety plan, the urge log form. A page's
  URL is the same for every person (``/safety-plan/`` is always one's own), so the
  worker's script itself never holds anyone's data; the pages are fetched with the
  client's own session and kept only in their browser.

Every other page, and every other request, goes to the network as usual; offline,
pages that are not kept show the small offline page (``/offline/``), which lists what
still works (the pages registered with a ``label``).

The offline queue (``core/static/core/offline.js``) sends a queued form again with
the header ``X-Waypost-Replay: 1``. The endpoint answers with :func:`stored` (201,
or 200 when the same ``client_uuid`` was already stored) or :func:`refused` (400 and
the errors); the queue then forgets the entry. Anything else (a network error, a 5xx)
keeps it for the next try. An entry that waited in the queue also carries
``queued_at``, when it was saved on the phone (:func:`queued_at` reads it). Apps
register pages and assets from ``AppConfig.ready()``; core knows none of them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import JsonResponse
from django.templatetags.static import static
from django.utils import timezone

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django_stubs_ext import StrOrPromise

REPLAY_HEADER = "X-Waypost-Replay"
# The page every navigation falls back to offline when it is not one of the kept pages.
OFFLINE_URL_NAME = "offline"
# The worker's source; ``webapp.service_worker`` puts the lists below in front of it.
WORKER_SOURCE = Path(__file__).with_name("service_worker.js")
CACHE_PREFIX = "waypost-"

# Static files every page uses, kept whatever the apps register.
SHELL_ASSETS: tuple[str, ...] = (
    "waypost/app.css",
    "waypost/icon.svg",
    "waypost/icon-192.png",
    "waypost/icon-512.png",
    "waypost/icon-maskable-512.png",
    "core/offline.js",
)


@dataclass(frozen=True)
class OfflinePage:
    """Pages kept for use without a signal.

    ``urls`` returns their paths (called when the worker is served, after the URLconf
    is loaded); they must be the same for every person: no ids, nothing personal.
    ``label`` (if any) lists the first of them on the offline page.
    """

    key: str
    urls: Callable[[], Iterable[str]]
    label: StrOrPromise = ""
    order: int = 100


_pages: dict[str, OfflinePage] = {}
_assets: list[str] = []


def register_page(page: OfflinePage) -> OfflinePage:
    _pages[page.key] = page
    return page


def register_asset(*paths: str) -> None:
    """Static files (paths as ``{% static %}`` takes them) the kept pages need."""
    for path in paths:
        if path not in _assets:
            _assets.append(path)


def pages() -> list[OfflinePage]:
    return sorted(_pages.values(), key=lambda p: (p.order, p.key))


def page_urls() -> list[str]:
    """Every kept page's path, each once, in order; the offline page itself first."""
    from django.urls import reverse

    urls = [reverse(OFFLINE_URL_NAME)]
    for page in pages():
        for url in page.urls():
            if url not in urls:
                urls.append(url)
    return urls


def asset_paths() -> list[str]:
    return [*SHELL_ASSETS, *(p for p in _assets if p not in SHELL_ASSETS)]


def asset_urls() -> list[str]:
    return [static(path) for path in asset_paths()]


def offline_links() -> list[tuple[StrOrPromise, str]]:
    """(label, path) of the pages the offline page points to."""
    links: list[tuple[StrOrPromise, str]] = []
    for page in pages():
        if page.label:
            first = next(iter(page.urls()), None)
            if first:
                links.append((page.label, first))
    return links


def _version_of(paths: Sequence[str], urls: Sequence[str]) -> str:
    digest = hashlib.sha256()
    try:
        digest.update(metadata.version("waypost").encode())
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        digest.update(b"unpackaged")
    digest.update(WORKER_SOURCE.read_bytes())
    for path in paths:
        digest.update(path.encode())
        found = finders.find(path)
        if isinstance(found, str):
            digest.update(Path(found).read_bytes())
    for url in urls:
        digest.update(url.encode())
    return digest.hexdigest()[:16]


@cache
def _cached_version(paths: tuple[str, ...], urls: tuple[str, ...]) -> str:
    return _version_of(paths, urls)


def cache_version() -> str:
    """The name of the worker's cache: it changes when a kept file or the worker changes.

    A new name makes the browser install the new worker, which fills a new cache and
    drops the old one. (Kept pages also refresh themselves whenever they are opened
    with a signal.) Worked out once per process, or on every call with DEBUG on.
    """
    paths, urls = tuple(asset_paths()), tuple(page_urls())
    version = _version_of(paths, urls) if settings.DEBUG else _cached_version(paths, urls)
    return CACHE_PREFIX + version


def worker_config() -> dict[str, Any]:
    """What the worker is told: its cache's name, the files and pages it keeps."""
    from django.urls import reverse

    return {
        "cache": cache_version(),
        "assets": asset_urls(),
        "pages": page_urls(),
        "offline": reverse(OFFLINE_URL_NAME),
    }


# --- answering the offline queue -----------------------------------------------------


# Oldest queued time believed: older entries are stored as of when they arrive.
QUEUED_AT_FIELD = "queued_at"
QUEUED_AT_MAX_AGE = timedelta(days=14)


def queued_at(request: HttpRequest) -> datetime | None:
    """When a replayed entry was saved on the phone (the queue adds ``queued_at``, ISO 8601).

    Only for replays, and only if it is a sensible time: not in the future (beyond a few
    minutes of clock drift) and not older than ``QUEUED_AT_MAX_AGE``. None otherwise:
    the entry then counts as of now.
    """
    if not is_replay(request):
        return None
    raw = str(request.POST.get(QUEUED_AT_FIELD, ""))[:40]
    try:
        when = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        return None
    now = timezone.now()
    if when > now + timedelta(minutes=5) or when < now - QUEUED_AT_MAX_AGE:
        return None
    return min(when, now)


def is_replay(request: HttpRequest) -> bool:
    """Was this POST sent by the offline queue (``X-Waypost-Replay: 1``)?"""
    return request.headers.get(REPLAY_HEADER) == "1"


def stored(*, created: bool, **extra: Any) -> JsonResponse:
    """201 ``{"stored": true}`` for a new entry, 200 when its ``client_uuid`` was kept before."""
    return JsonResponse({"stored": True, **extra}, status=201 if created else 200)


def refused(errors: Mapping[str, Any]) -> JsonResponse:
    """400 ``{"stored": false, "errors": {field: [message, …]}}``: nothing was kept."""
    plain = {field: [str(message) for message in messages] for field, messages in errors.items()}
    return JsonResponse({"stored": False, "errors": plain}, status=400)
