"""Fetching a feed from the web: http and https only, a size cap and a time limit.

No Django. :func:`fetch` returns the body or raises :class:`FetchError` with a problem
code (``reasons.REASONS``) saying why. Redirects are followed only to http and https
addresses; the whole download, not each read, must finish within ``timeout`` seconds,
so a server that drips bytes cannot hold a worker for long.
"""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.request
from typing import IO, Any
from urllib.parse import urlsplit

from waypost.connect.meetings.feed import MAX_BYTES, FeedError

TIMEOUT_SECONDS = 20
CHUNK = 64 * 1024
USER_AGENT = "Waypost meeting directory"


class FetchError(FeedError):
    """The feed could not be fetched; ``problem`` says why."""


def is_web_address(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


class _WebOnlyRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if not is_web_address(newurl):
            raise FetchError("bad_redirect")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, *, max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The body at ``url``: at most ``max_bytes``, within ``timeout`` seconds, else FetchError."""
    if not is_web_address(url):
        raise FetchError("bad_scheme")
    opener = urllib.request.build_opener(_WebOnlyRedirects)
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, headers={"User-Agent": USER_AGENT, "Accept": "application/json, */*;q=0.5"}
    )
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError("too_large", limit_mb=max_bytes // (1024 * 1024) or 1)
            return _read(response, max_bytes=max_bytes, deadline=deadline, timeout=timeout)
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            # urllib refuses a redirect to anything but http, https or ftp itself
            raise FetchError("bad_redirect") from None
        raise FetchError("http_status", status=exc.code) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, socket.timeout | TimeoutError):
            raise FetchError("timeout", seconds=int(timeout)) from None
        raise FetchError("fetch_failed", detail=_words(exc.reason)) from None
    except TimeoutError:
        raise FetchError("timeout", seconds=int(timeout)) from None
    except (OSError, ValueError, http.client.HTTPException) as exc:
        raise FetchError("fetch_failed", detail=_words(exc)) from None


def _read(response: Any, *, max_bytes: int, deadline: float, timeout: float) -> bytes:
    parts: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise FetchError("timeout", seconds=int(timeout))
        chunk = response.read(CHUNK)
        if not chunk:
            return b"".join(parts)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError("too_large", limit_mb=max_bytes // (1024 * 1024) or 1)
        parts.append(chunk)


def _words(reason: object) -> str:
    text = str(reason).strip() or type(reason).__name__
    return text[:200]
