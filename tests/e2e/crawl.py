"""A small, bounded same-origin crawler for Playwright pages.

Shared by the end-to-end tests and ``tools/screenshots.py``; it imports no
Django, so it works against any running Waypost. It follows links (GET
only, so POST-only URLs are never reached) found in the page's navigation
and main area, stays on the starting origin, skips sign-out and files, and
stops after ``limit`` pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

# Paths never visited: they change state or are not pages. (Non-HTML answers, such as
# the API's JSON, are recorded but neither checked nor searched for links.)
SKIP_PATH_PARTS = ("/logout", "/photo", "/media/", "/static/", "/healthz")
DOWNLOAD_SUFFIXES = (".json", ".csv", ".pdf", ".ics", ".zip")
# Where links are looked for: the main nav, the bottom nav and the main area.
LINK_SELECTOR = "header nav a[href], nav.bottom-nav a[href], main a[href]"


@dataclass
class Visited:
    """One page the crawler opened."""

    url: str
    path: str
    status: int | None
    content_type: str
    title: str

    @property
    def is_html_page(self) -> bool:
        return self.content_type.startswith("text/html")


def same_origin(url: str, base: str) -> bool:
    a, b = urlsplit(url), urlsplit(base)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


def normalise(href: str, page_url: str) -> str:
    """Absolute URL without the fragment."""
    return urldefrag(urljoin(page_url, href))[0]


# Pages named by a slug that all share one template filled from structured data: one of
# each is crawled (the skills toolbox's exercises). Reading modules are not here: their
# text is written by hand, so each is checked.
SAME_TEMPLATE = ((re.compile(r"^/toolbox/(?!practice/)[^/]+/$"), "/toolbox/<exercise>/"),)


def pattern_of(url: str) -> str:
    """The URL with numbers and query values blanked: /clients/7/ and /clients/8/ are one page,
    and so are ?language=Malay and ?language=Tamil (and one toolbox exercise and another)."""
    parts = urlsplit(url)
    keys = sorted({pair.split("=", 1)[0] for pair in parts.query.split("&") if pair})
    path = parts.path
    for same, name in SAME_TEMPLATE:
        if same.match(path):
            path = name
    return re.sub(r"\d+", "N", path) + (f"?{'&'.join(keys)}" if keys else "")


def should_visit(url: str, base: str, skip: Iterable[str] = SKIP_PATH_PARTS) -> bool:
    if not same_origin(url, base):
        return False
    path = urlsplit(url).path
    # Files to download (FHIR exports …) are not pages.
    if path.endswith(DOWNLOAD_SUFFIXES):
        return False
    return not any(part in path for part in skip)


def crawl(
    page,
    base_url: str,
    start_paths: Iterable[str],
    *,
    limit: int = 40,
    on_page: Callable[[object, Visited], None] | None = None,
    skip: Iterable[str] = SKIP_PATH_PARTS,
    one_per_pattern: bool = True,
    already_seen: set[str] | None = None,
) -> list[Visited]:
    """Visit ``start_paths`` then every same-origin link found, breadth first.

    ``on_page(page, visited)`` runs on each HTML page after it has loaded
    (axe checks, screenshots). With ``one_per_pattern``, links that differ
    from a page already queued only by numbers (another client's record,
    another crisis line) are not followed: same template, same findings.
    ``already_seen`` is a set of patterns shared between crawls: links to
    pages another crawl has already opened are not followed (start paths are
    always opened), and every page opened here is added to it. Redirects are
    followed by the browser; a page is recorded under the URL it ended on, so
    a redirect to an already seen page is not visited twice.
    """
    skip = tuple(skip)
    queue = [normalise(p, base_url) for p in start_paths]
    queued = set(queue)
    patterns = {pattern_of(u) for u in queue}
    seen_elsewhere = already_seen if already_seen is not None else set()
    seen_final: set[str] = set()
    visited: list[Visited] = []
    while queue and len(visited) < limit:
        url = queue.pop(0)
        response = page.goto(url, wait_until="load")
        final = normalise(page.url, base_url)
        if final in seen_final:
            continue
        seen_final.add(final)
        headers = response.headers if response else {}
        item = Visited(
            url=final,
            path=urlsplit(final).path
            + (f"?{urlsplit(final).query}" if urlsplit(final).query else ""),
            status=response.status if response else None,
            content_type=headers.get("content-type", ""),
            title=page.title() if headers.get("content-type", "").startswith("text/html") else "",
        )
        visited.append(item)
        seen_elsewhere.add(pattern_of(final))
        if not item.is_html_page:
            continue
        if on_page is not None:
            on_page(page, item)
        hrefs = page.eval_on_selector_all(
            LINK_SELECTOR, "els => els.map(e => e.getAttribute('href'))"
        )
        for href in hrefs:
            if not href or href.startswith(("mailto:", "tel:", "javascript:")):
                continue
            target = normalise(href, final)
            if target in queued or not should_visit(target, base_url, skip):
                continue
            if one_per_pattern and pattern_of(target) in patterns:
                continue
            if pattern_of(target) in seen_elsewhere:
                continue
            queued.add(target)
            patterns.add(pattern_of(target))
            queue.append(target)
    return visited
