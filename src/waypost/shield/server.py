"""The resolver process: plain DNS on UDP and TCP, and DNS-over-HTTPS, on asyncio.

Every lookup goes the same way (``Resolver``): parse the question (``wire``), decide
(``rules.decide``: canary, lockdown, allow- and block-lists, SafeSearch, blocklist), then
answer blocked at once, or from the cache, or from the upstream resolvers. The common
cases (a blocked name, a cached answer) are answered synchronously in the packet's own
callback; only a cache miss waits for the upstream, and identical questions in flight
share one upstream query.

No request can crash it: a packet that does not parse gets FORMERR (or nothing, if it is
not even a query), an upstream that fails gets SERVFAIL within ``Upstream.timeout``, a
source sending faster than ``rate_limit`` queries a second is dropped beyond it, and every
connection has an idle timeout and a size limit.

DNS-over-HTTPS (RFC 8484) is served as HTTP/1.1 on its own port, for a TLS-terminating
reverse proxy in front (the deployment guide's nginx serves it as HTTP/2 over TLS) or for
loopback use: ``GET /dns-query?dns=<base64url>`` and ``POST /dns-query`` with
``application/dns-message``; the answer's ``Cache-Control: max-age`` is its smallest TTL.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import logging
import ssl
import time
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

from waypost.shield import rules, wire
from waypost.shield.cache import Cache, Entry, aged
from waypost.shield.upstream import Upstream, UpstreamError

log = logging.getLogger("waypost.shield")

BLOCKED_TTL = 60  # seconds a client may keep a blocked answer: short, so an unblock is quick
TCP_IDLE = 10.0  # seconds a DNS-over-TCP connection may stay silent (RFC 7766 suggests ~10)
HTTP_IDLE = 30.0
MAX_HTTP_HEAD = 16 * 1024
MAX_DNS_MESSAGE = 65_535
MAX_REPEATS = 100_000  # remembered answers per device (``Resolver.repeat``)
NULL_V4 = "0.0.0.0"  # noqa: S104 — the answer for a blocked name in "null" mode, not a bind


@dataclass
class Options:
    block_mode: str = "nxdomain"  # or "null": 0.0.0.0 and ::
    blocked_ttl: int = BLOCKED_TTL
    rate_limit: int = 500  # queries a second per source address over UDP; 0: no limit
    policy: rules.Policy = field(default_factory=rules.Policy)


class Identities:
    """Who is asking: the device behind a DoH token, a DoT name, or a router's address.

    This base is **standalone**: no devices to tell apart, every query is the device ""
    (DoH at plain ``/dns-query``, DoT whatever the name). Installed with the web app,
    a subclass answers from the devices registered there, and None for anything unknown
    (refused, so Shield is never an open resolver).
    """

    standalone = True

    def __len__(self) -> int:
        """How many devices are known (none standalone)."""
        return 0

    def by_token(self, token: str) -> str | None:
        """The device of a DoH path's or a DoT name's token."""
        return None

    def by_address(self, address: str) -> str | None:
        """The device linked to a source address (plain DNS from a home router)."""
        return ""

    def by_server_name(self, server_name: str | None) -> str | None:
        """DoT: the device of ``<token>.<shield host>`` from TLS SNI."""
        if self.standalone:
            return ""
        if not server_name:
            return None
        return self.by_token(server_name.split(".", 1)[0].lower())


class Stats:
    """Counts kept in memory until they are handed on: never a name of an allowed lookup.

    Allowed lookups are counted per device and hour; blocked ones are kept with name,
    category, device and time (at most ``max_events``, the oldest dropped first).
    """

    def __init__(self, max_events: int = 100_000) -> None:
        self.allowed: defaultdict[tuple[str, int], int] = defaultdict(int)
        self.blocked: deque[tuple[str, str, str, float]] = deque(maxlen=max_events)
        self.last_seen: dict[str, float] = {}
        self.answered = 0
        self.servfail = 0
        self.dropped = 0
        self.formerr = 0

    def allow(self, device: str, now: float) -> None:
        self.allowed[(device, int(now // 3600))] += 1
        self.last_seen[device] = now

    def block(self, device: str, name: str, category: str, now: float) -> None:
        self.blocked.append((device, name, category, now))
        self.last_seen[device] = now

    def drain(
        self,
    ) -> tuple[dict[tuple[str, int], int], list[tuple[str, str, str, float]], dict[str, float]]:
        """The counts, blocked lookups and last-seen times so far; start afresh (a flush)."""
        drained = dict(self.allowed), list(self.blocked), dict(self.last_seen)
        self.allowed.clear()
        self.blocked.clear()
        self.last_seen.clear()
        return drained

    def restore(
        self,
        allowed: dict[tuple[str, int], int],
        blocked: list[tuple[str, str, str, float]],
        last_seen: dict[str, float],
    ) -> None:
        """Put back what a flush could not store (the database was down), kept in order."""
        for key, n in allowed.items():
            self.allowed[key] += n
        newer = list(self.blocked)
        self.blocked.clear()
        self.blocked.extend(blocked)
        self.blocked.extend(newer)  # the deque's bound drops the oldest first
        for device, seen in last_seen.items():
            self.last_seen[device] = max(seen, self.last_seen.get(device, 0.0))


class RateLimiter:
    """A token bucket per source address, in bounded memory."""

    def __init__(self, per_second: int, max_sources: int = 100_000) -> None:
        self.rate = per_second
        self.burst = per_second * 2
        self.max_sources = max_sources
        self._buckets: dict[str, list[float]] = {}

    def allow(self, source: str, now: float) -> bool:
        if self.rate <= 0:
            return True
        bucket = self._buckets.get(source)
        if bucket is None:
            if len(self._buckets) >= self.max_sources:
                self._buckets.clear()  # a flood of sources: start over rather than grow
            self._buckets[source] = [self.burst - 1, now]
            return True
        tokens = min(self.burst, bucket[0] + (now - bucket[1]) * self.rate)
        bucket[1] = now
        if tokens < 1:
            bucket[0] = tokens
            return False
        bucket[0] = tokens - 1
        return True


def _query_for(name: str, qtype: int) -> bytes:
    """A recursive query for ``name`` (id 0): how a SafeSearch target is looked up."""
    header = b"\x00\x00\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
    return header + wire.name_to_wire(name) + qtype.to_bytes(2, "big") + b"\x00\x01"


class Resolver:
    """Answers one DNS message for one device (standalone: the device is "")."""

    def __init__(
        self,
        *,
        upstream: Upstream,
        blocklist: rules.Matcher | None = None,
        options: Options | None = None,
        cache: Cache | None = None,
        stats: Stats | None = None,
        policy_for: Callable[[str], rules.Policy] | None = None,
    ) -> None:
        self.upstream = upstream
        self.options = options or Options()
        self.cache = Cache() if cache is None else cache
        self.stats = stats or Stats()
        self.policy_for = policy_for or (lambda device: self.options.policy)
        self._in_flight: dict[bytes, asyncio.Future[bytes]] = {}
        self._blocklist = blocklist
        # device -> query bytes after the id -> the cache's entry (an allowed answer,
        # shared) or (expires, answer, name, category) for a blocked one
        self._repeats: dict[str, dict[bytes, Entry | tuple[float, bytes, str, str]]] = {}

    # --- the parts ---------------------------------------------------------------------

    def blocked(self, question: wire.Question) -> bytes:
        ttl = self.options.blocked_ttl
        soa = [wire.soa_record(question.name, ttl)]
        if self.options.block_mode == "null":
            if question.qtype == wire.A:
                return wire.answer(
                    question, wire.NOERROR, [wire.a_record(question.name, ttl, NULL_V4)]
                )
            if question.qtype == wire.AAAA:
                return wire.answer(
                    question, wire.NOERROR, [wire.aaaa_record(question.name, ttl, "::")]
                )
            return wire.answer(question, wire.NOERROR, authority=soa)
        return wire.answer(question, wire.NXDOMAIN, authority=soa)

    def quick(
        self, data: bytes, device: str
    ) -> tuple[bytes | None, wire.Question | None, rules.Decision | None]:
        """Answer what can be answered at once: blocked, cached, or not a query at all.

        Returns (answer, question, decision): the answer is None when the question needs
        the upstream (``slow``); question and decision are None when the message did not
        parse (then the answer is an error response, or None: send nothing).
        """
        try:
            question = wire.parse_query(data)
        except wire.NotImplementedOpcode:
            return wire.error_response(data, wire.NOTIMP), None, None
        except wire.FormatError:
            self.stats.formerr += 1
            return wire.error_response(data, wire.FORMERR), None, None
        now = time.time()
        decision = rules.decide(question.name, self.policy_for(device), self._blocklist)
        if decision.verdict is rules.Verdict.BLOCK:
            self.stats.block(device, question.name, decision.category, now)
            return self.blocked(question), question, decision
        self.stats.allow(device, now)
        # rewrites are cached under the question too (the CNAME and the target's records)
        return self.cache.get(question.key, question.id), question, decision

    # --- repeats: the same query again, byte for byte but its id --------------------------

    @property
    def blocklist(self) -> rules.Matcher | None:
        return self._blocklist

    @blocklist.setter
    def blocklist(self, fresh: rules.Matcher | None) -> None:
        self._blocklist = fresh
        self.forget_repeats()  # a remembered answer may say otherwise now

    def forget_repeats(self) -> None:
        """Drop every remembered answer: the lists or the policies changed."""
        self._repeats = {}

    def repeat(self, device: str, data: bytes) -> bytes | None:
        """The answer to a query this device sent before, byte for byte but its id.

        The common case of a busy resolver (a phone asks the same few names all day): no
        parsing and no deciding, only the counting, the TTLs aged (once a second at
        most) and the asker's id put in.
        """
        table = self._repeats.get(device)
        if table is None:
            return None
        key = data[2:]
        entry = table.get(key)
        if entry is None:
            return None
        now = time.monotonic()
        if isinstance(entry, tuple):  # blocked: the same answer until it expires
            if now >= entry[0]:
                del table[key]
                return None
            self.stats.block(device, entry[2], entry[3], time.time())
            blocked: bytes = entry[1]
            return data[:2] + blocked[2:]
        answer = aged(entry, now)
        if answer is None:
            del table[key]
            return None
        self.stats.allow(device, time.time())
        return data[:2] + answer[2:]

    def remember(
        self,
        device: str,
        data: bytes,
        answer: bytes,
        question: wire.Question,
        decision: rules.Decision,
    ) -> None:
        """Keep ``answer`` (as sent) for a repeat of ``data``, for as long as it holds.

        An allowed answer is remembered as the cache's entry for the question (one copy
        for every device), and only when what was sent is that entry's answer — not a
        copy cut short for UDP, say; a blocked one as its own small tuple.
        """
        if decision.verdict is rules.Verdict.BLOCK:
            remembered: Entry | tuple[float, bytes, str, str] = (
                time.monotonic() + self.options.blocked_ttl,
                answer,
                question.name,
                decision.category,
            )
        else:
            entry = self.cache.entry(question.key)
            if entry is None or entry.answer[2:] != answer[2:]:
                return
            remembered = entry
        table = self._repeats.get(device)
        if table is None:
            table = self._repeats[device] = {}
        elif len(table) >= MAX_REPEATS:
            table.clear()  # bounded memory: start over rather than grow
        table[data[2:]] = remembered

    async def _forward(self, key: bytes, message: bytes) -> bytes:
        """The upstream's answer to ``message``, one upstream query per key in flight."""
        waiting = self._in_flight.get(key)
        if waiting is not None:
            return await asyncio.shield(waiting)
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._in_flight[key] = future
        try:
            answer = await self.upstream.query(message)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: no "never retrieved" warning when nobody waits
            raise
        finally:
            self._in_flight.pop(key, None)
        future.set_result(answer)
        return answer

    async def slow(self, data: bytes, question: wire.Question, decision: rules.Decision) -> bytes:
        """Answer from the upstream (SERVFAIL when it cannot), and cache the answer."""
        try:
            if decision.verdict is rules.Verdict.REWRITE:
                answer = await self._rewrite(question, decision.target)
            else:
                answer = await self._forward(question.key, data)
                answer = data[:2] + answer[2:]
        except (UpstreamError, wire.FormatError, OSError, TimeoutError):
            self.stats.servfail += 1
            return wire.answer(question, wire.SERVFAIL)
        self.cache.put(question.key, answer)
        return answer

    async def _rewrite(self, question: wire.Question, target: str) -> bytes:
        """A CNAME from the asked name to ``target``, with the target's own records."""
        lookup = _query_for(target, question.qtype)
        upstream_answer = await self._forward(b"rewrite:" + lookup[12:], lookup)
        rcode, records = wire.read_answer(upstream_answer)
        ttl = min([r.ttl for r in records] or [self.options.blocked_ttl])
        chain = [wire.cname_record(question.name, ttl, target), *records]
        return wire.answer(question, rcode, chain)

    async def resolve(self, data: bytes, device: str = "") -> bytes | None:
        """The answer to one message (None: send nothing)."""
        answer, question, decision = self.quick(data, device)
        if answer is not None or question is None or decision is None:
            return answer
        return await self.slow(data, question, decision)


# --- plain DNS over UDP and TCP -------------------------------------------------------------


class UDPServer(asyncio.DatagramProtocol):
    def __init__(self, resolver: Resolver, identities: Identities) -> None:
        self.resolver = resolver
        self.limiter = RateLimiter(resolver.options.rate_limit)
        self.limited = resolver.options.rate_limit > 0
        # plain DNS has no identity but its source: a home router's address linked to a device
        self.identities = identities
        self.transport: asyncio.DatagramTransport | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast("asyncio.DatagramTransport", transport)

    def datagram_received(self, data: bytes, addr: tuple[str | Any, ...]) -> None:
        source = addr[0]
        if self.limited and not self.limiter.allow(source, time.monotonic()):
            self.resolver.stats.dropped += 1
            return
        device = self.identities.by_address(source)
        transport = self.transport
        if device is None or transport is None:
            answer = wire.error_response(data, wire.REFUSED)
            if answer is not None and transport is not None:
                transport.sendto(answer, addr)
            return
        answer = self.resolver.repeat(device, data)
        if answer is not None:
            transport.sendto(answer, addr)
            return
        answer, question, decision = self.resolver.quick(data, device)
        if question is None or decision is None:
            if answer is not None:
                transport.sendto(answer, addr)
            return
        if answer is None:
            task = asyncio.ensure_future(self._later(data, question, decision, addr, device))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            return
        answer = wire.truncate(answer, question.edns_size or 512)
        transport.sendto(answer, addr)
        self.resolver.remember(device, data, answer, question, decision)

    async def _later(
        self,
        data: bytes,
        question: wire.Question,
        decision: rules.Decision,
        addr: tuple[Any, ...],
        device: str,
    ) -> None:
        answer = await self.resolver.slow(data, question, decision)
        if self.transport is not None:
            answer = wire.truncate(answer, question.edns_size or 512)
            self.transport.sendto(answer, addr)
            self.resolver.remember(device, data, answer, question, decision)

    def error_received(self, exc: Exception) -> None:
        log.debug("udp error: %s", exc)


async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with contextlib.suppress(OSError, ConnectionError):
        await writer.wait_closed()


async def _handle_tcp(
    resolver: Resolver, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, device: str = ""
) -> None:
    """DNS over TCP (RFC 7766): length-prefixed messages, answered in order, until idle."""
    try:
        while True:
            try:
                size = int.from_bytes(
                    await asyncio.wait_for(reader.readexactly(2), TCP_IDLE), "big"
                )
                data = await asyncio.wait_for(reader.readexactly(size), TCP_IDLE)
            except (TimeoutError, asyncio.IncompleteReadError, ConnectionError):
                return
            answer = await resolver.resolve(data, device)
            if answer is None:
                return
            writer.write(len(answer).to_bytes(2, "big") + answer)
            await writer.drain()
    except ConnectionError:
        return
    finally:
        await _close(writer)


# --- DNS over HTTPS ----------------------------------------------------------------------------

_REASONS = {
    200: "OK",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    411: "Length Required",
    413: "Content Too Large",
    414: "URI Too Long",
    415: "Unsupported Media Type",
    431: "Request Header Fields Too Large",
}


class HTTPError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _http_response(
    status: int, body: bytes, *, headers: dict[str, str] | None = None, close: bool = False
) -> bytes:
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}"]
    all_headers = {
        "Content-Length": str(len(body)),
        "Content-Type": "text/plain; charset=utf-8",
        **(headers or {}),
    }
    if close:
        all_headers["Connection"] = "close"
    lines += [f"{k}: {v}" for k, v in all_headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _decode_dns_param(value: str) -> bytes:
    """RFC 8484's ``dns`` parameter: base64url, padding optional."""
    if not value or len(value) > 2 * MAX_DNS_MESSAGE:
        raise HTTPError(400, "The dns parameter is missing or too long.")
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as exc:
        raise HTTPError(400, "The dns parameter is not base64url.") from exc


class DoHServer:
    """RFC 8484 over HTTP/1.1 with keep-alive.

    ``/dns-query/<token>`` is the device of that token (404 when unknown); standalone,
    there are no tokens and plain ``/dns-query`` is served.
    """

    def __init__(self, resolver: Resolver, identities: Identities) -> None:
        self.resolver = resolver
        self.identities = identities

    def _device(self, path: str) -> str:
        if path == "/dns-query" and self.identities.standalone:
            return ""
        if path.startswith("/dns-query/"):
            device = self.identities.by_token(path[len("/dns-query/") :])
            if device is not None:
                return device
        raise HTTPError(404, "No such DNS-over-HTTPS address.")

    async def _message(
        self, method: str, target: str, headers: dict[str, str], reader: asyncio.StreamReader
    ) -> tuple[str, bytes]:
        if len(target) > 8192:
            raise HTTPError(414, "The address is too long.")
        parts = urlsplit(target)
        device = self._device(parts.path)
        if method == "GET":
            values = parse_qs(parts.query).get("dns")
            return device, _decode_dns_param(values[0] if values else "")
        if method == "POST":
            content_type = headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type != "application/dns-message":
                raise HTTPError(415, "Send application/dns-message.")
            length_text = headers.get("content-length")
            if length_text is None or not length_text.isdigit():
                raise HTTPError(411, "Content-Length is required.")
            length = int(length_text)
            if length > MAX_DNS_MESSAGE:
                raise HTTPError(413, "A DNS message is at most 65535 bytes.")
            body = await asyncio.wait_for(reader.readexactly(length), HTTP_IDLE)
            return device, body
        raise HTTPError(405, "Use GET or POST.")

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), HTTP_IDLE)
                except asyncio.LimitOverrunError:
                    writer.write(_http_response(431, b"Request head too large.\n", close=True))
                    return
                except (TimeoutError, asyncio.IncompleteReadError, ConnectionError):
                    return
                keep_alive = await self._one(head, reader, writer)
                await writer.drain()
                if not keep_alive:
                    return
        except ConnectionError:
            return
        finally:
            await _close(writer)

    async def _one(
        self, head: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        lines = head.decode("latin-1").split("\r\n")
        request = lines[0].split(" ")
        if len(request) != 3 or not request[2].startswith("HTTP/1."):
            writer.write(_http_response(400, b"Not an HTTP/1.x request.\n", close=True))
            return False
        method, target, version = request
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if not line:
                continue
            name, sep, value = line.partition(":")
            if not sep:
                writer.write(_http_response(400, b"A header line without a colon.\n", close=True))
                return False
            headers[name.strip().lower()] = value.strip()
        connection = headers.get("connection", "").lower()
        keep_alive = connection != "close" if version == "HTTP/1.1" else connection == "keep-alive"
        try:
            device, message = await self._message(method, target, headers, reader)
            answer = await self.resolver.resolve(message, device)
            if answer is None or wire.rcode_of(answer) == wire.FORMERR:
                raise HTTPError(400, "Not a DNS query.")
        except HTTPError as exc:
            extra = {"Allow": "GET, POST"} if exc.status == 405 else {}
            close = exc.status in (411, 413) or not keep_alive
            writer.write(
                _http_response(
                    exc.status, (exc.message + "\n").encode(), headers=extra, close=close
                )
            )
            return not close
        except (TimeoutError, asyncio.IncompleteReadError):
            return False
        try:
            ttl = wire.min_ttl(answer)
        except wire.FormatError:
            ttl = None
        headers_out = {
            "Content-Type": "application/dns-message",
            "Cache-Control": f"max-age={ttl if ttl is not None else 0}",
        }
        writer.write(_http_response(200, answer, headers=headers_out, close=not keep_alive))
        return keep_alive


# --- running it ---------------------------------------------------------------------------------


@dataclass
class Listeners:
    """Where a running Shield listens (the real ports, also when asked for port 0)."""

    dns: list[tuple[str, int]] = field(default_factory=list)
    doh: list[tuple[str, int]] = field(default_factory=list)
    dot: list[tuple[str, int]] = field(default_factory=list)
    closers: list[Callable[[], Any]] = field(default_factory=list)

    def close(self) -> None:
        for close in self.closers:
            close()


async def _handle_dot(
    resolver: Resolver,
    identities: Identities,
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
) -> None:
    """DNS over TLS (RFC 7858): DNS over TCP inside TLS; the device named by the SNI."""
    ssl_object = writer.get_extra_info("ssl_object")
    device = identities.by_server_name(getattr(ssl_object, SNI_ATTRIBUTE, None))
    if device is None:
        await _close(writer)  # an unknown name: nothing to answer for
        return
    await _handle_tcp(resolver, reader, writer, device)


SNI_ATTRIBUTE = "waypost_server_name"


def tls_context(certificate: str, key: str) -> ssl.SSLContext:
    """A server context for DoT that keeps the name the client asked for (SNI)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(certificate, key)

    def remember(ssl_object: Any, server_name: str | None, _context: ssl.SSLContext) -> None:
        setattr(ssl_object, SNI_ATTRIBUTE, server_name)

    context.sni_callback = remember
    return context


async def start(
    resolver: Resolver,
    *,
    dns: Sequence[tuple[str, int]] = (),
    doh: Sequence[tuple[str, int]] = (),
    dot: Sequence[tuple[str, int]] = (),
    tls: ssl.SSLContext | None = None,
    identities: Identities | None = None,
    reuse_port: bool = False,
) -> Listeners:
    """Listen for plain DNS (UDP and TCP on each address), DoH and DoT; returns where."""
    loop = asyncio.get_running_loop()
    identities = Identities() if identities is None else identities
    listeners = Listeners()
    reuse = reuse_port or None
    for host, port in dns:
        # Port 0: a free UDP port, then TCP on the same number, which may be taken: try again.
        for attempt in range(20):
            transport, _protocol = await loop.create_datagram_endpoint(
                lambda: UDPServer(resolver, identities), local_addr=(host, port), reuse_port=reuse
            )
            real_port = transport.get_extra_info("sockname")[1]
            try:
                tcp = await asyncio.start_server(
                    lambda r, w: _tcp_from(resolver, identities, r, w),
                    host,
                    real_port,
                    reuse_port=reuse,
                )
            except OSError:
                transport.close()
                if port != 0 or attempt == 19:
                    raise
                continue
            break
        listeners.dns.append((host, real_port))
        listeners.closers += [transport.close, tcp.close]
    doh_server = DoHServer(resolver, identities)
    for host, port in doh:
        server = await asyncio.start_server(
            doh_server.handle, host, port, limit=MAX_HTTP_HEAD, reuse_port=reuse
        )
        listeners.doh.append((host, server.sockets[0].getsockname()[1]))
        listeners.closers.append(server.close)
    if dot and tls is None:
        raise ValueError("DNS-over-TLS needs a certificate and its key")
    for host, port in dot:
        server = await asyncio.start_server(
            lambda r, w: _handle_dot(resolver, identities, r, w),
            host,
            port,
            ssl=tls,
            ssl_handshake_timeout=TCP_IDLE,
            reuse_port=reuse,
        )
        listeners.dot.append((host, server.sockets[0].getsockname()[1]))
        listeners.closers.append(server.close)
    return listeners


async def _tcp_from(
    resolver: Resolver,
    identities: Identities,
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
) -> None:
    peer = writer.get_extra_info("peername")
    device = identities.by_address(peer[0] if peer else "")
    if device is None:
        await _close(writer)
        return
    await _handle_tcp(resolver, reader, writer, device)
