"""Is an address on the public internet? For every place the server connects to an address
someone else gave it (a clinic's meeting feed, a browser's push service).

Such an address must not make the server a way into places only it can reach: the
machine itself, the cloud's metadata service at 169.254.169.254, the clinic's own
network. So a caller resolves the host once (:func:`lookup`), refuses unless every
address is public (:func:`is_public_address`), and connects to a checked address,
never through a second lookup a hostile name server could answer differently.

Pure: no Django.
"""

from __future__ import annotations

import ipaddress
import socket

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# IPv6 prefixes that carry an IPv4 address in their last 32 bits and reach it (NAT64).
_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))


def _carried(address: Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address stands for (mapped, 6to4, Teredo, NAT64)."""
    if isinstance(address, ipaddress.IPv4Address):
        return []
    found = [a for a in (address.ipv4_mapped, address.sixtofour) if a is not None]
    if address.teredo is not None:
        found.extend(address.teredo)
    if any(address in network for network in _NAT64):
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def is_public_address(address: Address) -> bool:
    """True for an address on the public internet, and for nothing that reaches inside:
    no private, loopback, link-local, shared or reserved range, nor an IPv6 address that
    carries one inside (IPv4-mapped, 6to4, Teredo, NAT64)."""
    if (
        not address.is_global
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or address.is_loopback
        or address.is_link_local
    ):
        return False
    return all(is_public_address(inner) for inner in _carried(address))


def literal_address(host: str) -> Address | None:
    """The address a host names without a lookup: "10.0.0.1", "::1", also "2130706433"."""
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if host and all(ch in "0123456789abcdefxABCDEFX." for ch in host) and host[0].isdigit():
        try:
            # the forms C's inet_aton takes (and so a connection would): 127.1, 0x7f.1 …
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def lookup(host: str, port: int) -> list[Address]:
    """Every address ``host`` resolves to, in one lookup, each once (empty: none).

    Raises ``OSError`` or ``UnicodeError`` when the lookup fails.
    """
    found: list[Address] = []
    for family, _kind, _proto, _name, sockaddr in socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM
    ):
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    return found
