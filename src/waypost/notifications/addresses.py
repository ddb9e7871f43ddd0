"""Where a push may be sent: push services on the public internet, over https.

A browser gives us the address of its push service (the subscription's
``endpoint``) and the server posts to it. The endpoint comes from the person's
browser, so it could name anything; the server must not become a way into places
only it can reach (the machine itself, the cloud's metadata service, the clinic's
own network). So before every push:

- the endpoint must be ``https`` with a host name, on port 443 (the port of every
  push service; an endpoint naming another port is reaching for something else);
- the host is resolved once, and every address must be public
  (``core.addresses``): no private, loopback, link-local, shared or reserved
  range, nor an IPv6 address that carries one inside (IPv4-mapped, 6to4, Teredo,
  NAT64);
- the connection goes to an address that was checked, never to a second lookup.

Tests run a small push service on 127.0.0.1: the setting
``WAYPOST_PUSH_ALLOW_LOOPBACK`` (off unless a test turns it on) lets ``http`` to a
loopback address, on any port, through, and nothing else that is not public.

The address check itself is ``core.addresses``, which the meetings directory's feed
importer (``connect.meetings.fetch``) uses too.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from waypost.core.addresses import Address, is_public_address, literal_address, lookup

MAX_ENDPOINT_LENGTH = 2000


class EndpointRefused(Exception):
    """The endpoint is not a push service we may post to; ``reason`` says why (for logs)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def loopback_allowed() -> bool:
    """Whether a test has allowed ``http`` to 127.0.0.1 (``WAYPOST_PUSH_ALLOW_LOOPBACK``)."""
    return bool(getattr(settings, "WAYPOST_PUSH_ALLOW_LOOPBACK", False))


def _allowed(address: Address) -> bool:
    if is_public_address(address):
        return True
    return loopback_allowed() and address.is_loopback


@dataclass(frozen=True)
class Target:
    """A checked endpoint: where to connect, and what to ask for."""

    secure: bool
    host: str
    port: int
    path: str
    addresses: tuple[Address, ...]


def check_form(endpoint: str) -> tuple[bool, str, int, str]:
    """Check an endpoint's shape, without a lookup: (secure, host, port, path).

    Raises :class:`EndpointRefused` for anything but ``https://host/…`` on port 443
    (``http`` only to a loopback address, on any port, and only when a test allows it),
    and for a host that is, plainly, not on the public internet.
    """
    if not endpoint or len(endpoint) > MAX_ENDPOINT_LENGTH:
        raise EndpointRefused("length")
    parts = urlsplit(endpoint)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".").lower()
    if not host or parts.username or parts.password:
        raise EndpointRefused("host")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise EndpointRefused("port") from None
    literal = literal_address(host)
    if host == "localhost" or host.endswith(".localhost"):
        literal = ipaddress.IPv4Address("127.0.0.1")
    if scheme == "http":
        if not (loopback_allowed() and literal is not None and literal.is_loopback):
            raise EndpointRefused("scheme")
    elif scheme != "https":
        raise EndpointRefused("scheme")
    elif port != 443:
        raise EndpointRefused("port")
    if literal is not None and not _allowed(literal):
        raise EndpointRefused("private_address")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme == "https", host, port, path


def resolve(endpoint: str) -> Target:
    """The endpoint checked and its host resolved, every address allowed; else refused."""
    secure, host, port, path = check_form(endpoint)
    try:
        found = lookup(host, port)
    except (OSError, UnicodeError):
        raise EndpointRefused("lookup") from None
    if not found:
        raise EndpointRefused("lookup")
    if not all(_allowed(address) for address in found):
        raise EndpointRefused("private_address")
    return Target(secure, host, port, path, tuple(found))
