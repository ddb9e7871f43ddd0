"""Which reverse proxy may say what the request really was: scheme, host and client address.

Behind a TLS-terminating proxy the app sees a plain HTTP connection from the proxy's
address. The proxy says what the request really was in ``X-Forwarded-Proto``,
``X-Forwarded-Host`` and ``X-Forwarded-For``, but anyone can send those headers, so they
are believed only from a **trusted proxy**: the loopback address when
``WAYPOST_BEHIND_PROXY`` is on, and the addresses or networks named in
``WAYPOST_TRUSTED_PROXIES``. From anyone else they are removed before Django sees the
request, so no code downstream can be fooled by them.

This is WSGI middleware (``waypost.wsgi`` wraps the application in it), so it works the
same under ``waypost serve`` (waitress, told to pass the headers through) and under any
other WSGI server.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, Sequence
from typing import Any

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

LOOPBACK: tuple[IPNetwork, ...] = (
    ipaddress.ip_network("127.0.0.0/8"),
    ipaddress.ip_network("::1/128"),
)

# Every header a client could use to claim another scheme, host, port or address.
PROXY_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_SSL",
    "HTTP_X_FORWARDED_BY",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
)


def parse_networks(entries: Iterable[str]) -> tuple[IPNetwork, ...]:
    """Addresses or networks ("10.0.0.5", "10.0.0.0/24", "fd00::/8"); ValueError names a bad one."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ValueError(f"{entry.strip()!r} is not an IP address or network") from None
    return tuple(networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:51234"
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


class TrustedProxies:
    """WSGI middleware: apply forwarded headers from trusted proxies, drop them from anyone else."""

    def __init__(self, app: WSGIApp, trusted: Sequence[IPNetwork]) -> None:
        self.app = app
        self.trusted = tuple(trusted)

    def is_trusted(self, text: str) -> bool:
        address = _address(text)
        return address is not None and any(address in network for network in self.trusted)

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        headers = {name: environ.pop(name) for name in PROXY_HEADERS if name in environ}
        if self.trusted and self.is_trusted(environ.get("REMOTE_ADDR", "")):
            self._apply(environ, headers)
        return self.app(environ, start_response)

    def _apply(self, environ: dict[str, Any], headers: dict[str, str]) -> None:
        # Each header may hold a list when proxies are chained; the last value is the one
        # the proxy next to us wrote (a value the client sent sits further left).
        proto = _last(headers.get("HTTP_X_FORWARDED_PROTO", "")).lower()
        if proto in ("http", "https"):
            environ["wsgi.url_scheme"] = proto
            if proto == "https":
                environ["HTTPS"] = "on"
            else:
                environ.pop("HTTPS", None)
            environ["SERVER_PORT"] = "443" if proto == "https" else "80"
        host = _last(headers.get("HTTP_X_FORWARDED_HOST", ""))
        if host:
            environ["HTTP_HOST"] = host  # Django still checks it against ALLOWED_HOSTS
        # The client is the right-most address that is not one of our proxies.
        for hop in reversed(headers.get("HTTP_X_FORWARDED_FOR", "").split(",")):
            address = _address(hop)
            if address is None:
                break  # a garbled chain: keep the proxy's own address
            if not any(address in network for network in self.trusted):
                environ["REMOTE_ADDR"] = str(address)
                break


def _last(value: str) -> str:
    return value.rsplit(",", 1)[-1].strip()
