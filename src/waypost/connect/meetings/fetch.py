"""Fetching a feed from the web: http and https only, the public internet only, a size cap
and a time limit.

No Django. :func:`fetch` returns the body or raises :class:`FetchError` with a problem
code (``reasons.REASONS``) saying why. A clinic's staff type the address and the server
fetches it, so the server must not become their way into places only it can reach (the
machine itself, the cloud's metadata service at 169.254.169.254, the clinic's own
network). So, before every request, also after each redirect:

- the host's name is resolved, and every address it has must be public
  (``core.addresses``): an address on a private, loopback, link-local, shared or
  reserved range, or one carrying such an address inside (IPv4-mapped, 6to4, NAT64),
  refuses the fetch;
- the connection goes to an address that was checked (never a second lookup, which a
  hostile name server could answer differently);
- redirects are followed by hand, at most :data:`MAX_REDIRECTS`, only to http and https.

``WAYPOST_MEETING_FEEDS_ALLOW_PRIVATE=true`` turns the address check off, for tests that
serve a feed on 127.0.0.1 and for closed networks whose meeting lists live inside. The
whole download, not each read, must finish within ``timeout`` seconds, so a server that
drips bytes cannot hold a worker for long.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin, urlsplit

from waypost.conf import env_bool
from waypost.connect.meetings.feed import MAX_BYTES, FeedError
from waypost.connect.meetings.feed_values import shown
from waypost.core.addresses import Address, is_public_address, literal_address, lookup

TIMEOUT_SECONDS = 20
CHUNK = 64 * 1024
USER_AGENT = "Waypost meeting directory"
MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
#: The opt-in that lets feeds come from private and local addresses (default: off).
ALLOW_PRIVATE = "WAYPOST_MEETING_FEEDS_ALLOW_PRIVATE"


class FetchError(FeedError):
    """The feed could not be fetched; ``problem`` says why."""


def private_addresses_allowed() -> bool:
    """Whether ``WAYPOST_MEETING_FEEDS_ALLOW_PRIVATE`` is on (a malformed value raises)."""
    return env_bool(ALLOW_PRIVATE, default=False)


def is_web_address(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def may_fetch_from(url: str) -> bool:
    """False when ``url``'s host is, without a lookup, plainly not on the public internet.

    For a kind word when the address is typed; :func:`fetch` checks every address again
    when it fetches (a name may resolve anywhere).
    """
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if private_addresses_allowed():
        return True
    if host == "localhost" or host.endswith(".localhost"):
        return False
    address = literal_address(host)
    return address is None or is_public_address(address)


def _addresses(host: str, port: int) -> list[Address]:
    """Every address ``host`` resolves to (one lookup)."""
    try:
        found = lookup(host, port)
    except (OSError, UnicodeError) as exc:
        raise FetchError("fetch_failed", detail=_words(exc)) from None
    if not found:
        raise FetchError("fetch_failed", detail=f"no address for {shown(host)}")
    return found


def _checked_addresses(host: str, port: int) -> list[Address]:
    addresses = _addresses(host, port)
    if not private_addresses_allowed() and not all(is_public_address(a) for a in addresses):
        raise FetchError("private_address", host=shown(host))
    return addresses


def _connector(addresses: list[Address], port: int) -> Callable[..., socket.socket]:
    """Connect to one of the checked ``addresses`` (in turn), whatever host is asked for."""

    def connect(
        _asked: object, timeout: float, source_address: tuple[str, int] | None = None
    ) -> socket.socket:
        failure: OSError | None = None
        for address in addresses:
            try:
                return socket.create_connection((str(address), port), timeout, source_address)
            except OSError as exc:
                failure = exc
        assert failure is not None  # there is always at least one address
        raise failure

    return connect


def _connection(url: str, timeout: float) -> tuple[http.client.HTTPConnection, str]:
    """A connection for ``url`` to a checked address, and the path to ask for."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    secure = parts.scheme.lower() == "https"
    try:
        port = parts.port or (443 if secure else 80)
    except ValueError:
        raise FetchError("fetch_failed", detail="the port is not a number") from None
    addresses = _checked_addresses(host, port)
    connection: http.client.HTTPConnection
    if secure:
        connection = http.client.HTTPSConnection(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
    # The name is kept for the Host header and the certificate; the socket goes to the
    # address checked above, never to a fresh lookup.
    connection._create_connection = _connector(addresses, port)  # type: ignore[attr-defined]
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return connection, path


def fetch(url: str, *, max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The body at ``url``: at most ``max_bytes``, within ``timeout`` seconds, else FetchError."""
    if not is_web_address(url):
        raise FetchError("bad_scheme")
    deadline = time.monotonic() + timeout
    for _hop in range(MAX_REDIRECTS + 1):
        left = deadline - time.monotonic()
        if left <= 0:
            raise FetchError("timeout", seconds=int(timeout))
        connection, path = _connection(url, left)
        try:
            connection.request(
                "GET",
                path,
                headers={"User-Agent": USER_AGENT, "Accept": "application/json, */*;q=0.5"},
            )
            response = connection.getresponse()
            if response.status in REDIRECT_STATUSES:
                location = response.getheader("Location")
                if not location:
                    raise FetchError("http_status", status=response.status)
                url = urljoin(url, location.strip())
                if not is_web_address(url):
                    raise FetchError("bad_redirect")
                continue
            if not 200 <= response.status < 300:
                raise FetchError("http_status", status=response.status)
            declared = response.getheader("Content-Length")
            if declared and declared.isascii() and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError("too_large", limit_mb=max_bytes // (1024 * 1024) or 1)
            return _read(response, max_bytes=max_bytes, deadline=deadline, timeout=timeout)
        except FetchError:
            raise
        except TimeoutError:
            raise FetchError("timeout", seconds=int(timeout)) from None
        except (OSError, ValueError, http.client.HTTPException) as exc:
            raise FetchError("fetch_failed", detail=_words(exc)) from None
        finally:
            connection.close()
    raise FetchError("too_many_redirects")


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
