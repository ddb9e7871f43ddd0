"""Forwarding to the upstream resolvers: fast, never hanging, never trusting a stray answer.

``Upstream.query(message, question)`` sends an allowed query to the first upstream
server, and to the next one when a server does not answer in time or answers SERVFAIL or
REFUSED; after ``timeout`` seconds in all it gives up (the caller answers SERVFAIL). Each
query leaves with an id of Shield's own choosing (random, unused among those in flight) on
one UDP socket per server, and an answer is taken only if its id is in flight *and* its
question is the one asked: a spoofed or late packet is dropped. A truncated UDP answer is
asked again over TCP.

Servers are written ``udp://192.0.2.1:53`` (or just ``192.0.2.1`` / ``192.0.2.1:5399``;
UDP with TCP fallback), ``tcp://192.0.2.1:53`` (TCP only), ``tls://9.9.9.9:853#dns.quad9.net``
(DNS-over-TLS, RFC 7858) or ``https://9.9.9.9/dns-query#dns.quad9.net`` (DNS-over-HTTPS,
RFC 8484: POST over HTTP/1.1, the path ``/dns-query`` when none is given). For both, the
certificate must be valid for the name after ``#``, or for the host when there is none,
and connections are kept open and reused. A host given by name is looked up with the
machine's own resolver, so give an address (and the name after ``#``) when that resolver
is this Shield.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import cast

from waypost.shield import wire

MAX_IN_FLIGHT = 20_000  # per server socket; beyond it a query is answered SERVFAIL at once


class UpstreamError(Exception):
    """No upstream gave a usable answer in time."""


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    tcp_only: bool = False
    tls_name: str = ""  # DNS-over-TLS (or HTTPS) to this server, whose certificate names this
    https_path: str = ""  # DNS-over-HTTPS: the path queries are POSTed to

    @classmethod
    def parse(cls, text: str) -> Server:
        """``udp://h:p``, ``tcp://h:p``, ``tls://h:p#name``, ``https://h:p/path#name``,
        ``h:p``, ``h`` (port 53; 853 for tls, 443 for https); IPv6 as ``[::1]:53``."""
        scheme, _, rest = text.rpartition("://")
        if scheme not in ("", "udp", "tcp", "tls", "https"):
            raise ValueError(
                f"unsupported upstream {text!r}: use udp://, tcp://, tls:// or https://"
            )
        rest, _, tls_name = rest.partition("#")
        path = ""
        if scheme == "https":
            rest, slash, path = rest.partition("/")
            path = "/" + path if slash and path else "/dns-query"
            if any(c in path for c in " \r\n\t?#") or not path.isascii():
                raise ValueError(f"unsupported upstream {text!r}: a plain path, no query string")
        elif "/" in rest:
            raise ValueError(f"unsupported upstream {text!r}: only https:// takes a path")
        host, port = rest, {"tls": 853, "https": 443}.get(scheme, 53)
        if rest.startswith("["):
            host, _, tail = rest[1:].partition("]")
            if tail.startswith(":"):
                port = int(tail[1:])
        elif rest.count(":") == 1:
            host, port_text = rest.split(":")
            port = int(port_text)
        if not host or not 0 < port < 65536:
            raise ValueError(f"unsupported upstream {text!r}")
        if scheme in ("tls", "https"):
            return cls(host, port, tcp_only=True, tls_name=tls_name or host, https_path=path)
        return cls(host, port, tcp_only=scheme == "tcp")

    def __str__(self) -> str:
        scheme = "tcp" if self.tcp_only else "udp"
        if self.tls_name:
            scheme = "https" if self.https_path else "tls"
        host = f"[{self.host}]" if ":" in self.host else self.host
        name = f"#{self.tls_name}" if self.tls_name and self.tls_name != self.host else ""
        return f"{scheme}://{host}:{self.port}{self.https_path}{name}"


class _UDPClient(asyncio.DatagramProtocol):
    """One socket to one server; answers matched to their futures by id and question."""

    def __init__(self) -> None:
        self.transport: asyncio.DatagramTransport | None = None
        self.pending: dict[int, tuple[bytes, asyncio.Future[bytes]]] = {}

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast("asyncio.DatagramTransport", transport)

    def datagram_received(self, data: bytes, addr: tuple[str | int, ...]) -> None:
        if len(data) < 12:
            return
        entry = self.pending.get(int.from_bytes(data[:2], "big"))
        if entry is None:
            return  # late, or not ours
        question_bytes, future = entry
        # the echoed question must be the one asked (bytes 12.. up to its end)
        if data[12 : 12 + len(question_bytes)].lower() != question_bytes or future.done():
            return
        future.set_result(data)

    def error_received(self, exc: Exception) -> None:
        # ICMP port unreachable and the like: fail whatever waits, quickly
        for _question, future in self.pending.values():
            if not future.done():
                future.set_exception(UpstreamError(str(exc)))

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        self.error_received(exc or ConnectionError("closed"))


def _question_bytes(message: bytes) -> bytes:
    """The question section of a query (name, type, class), lower-cased for matching."""
    end = 12
    while end < len(message) and message[end] != 0:
        end += 1 + message[end]
    return message[12 : end + 5].lower()


class Upstream:
    """The configured upstream servers, tried in order."""

    def __init__(
        self, servers: list[Server], timeout: float = 2.0, tls: ssl.SSLContext | None = None
    ) -> None:
        if not servers:
            raise ValueError("at least one upstream server is needed")
        self.servers = servers
        self.timeout = timeout
        # certificates checked against the system's trusted authorities unless told otherwise
        self.tls = tls or ssl.create_default_context()
        self._clients: dict[Server, _UDPClient] = {}
        # DoT connections kept open for the next query (RFC 7858 §3.4), a few per server
        self._idle: dict[Server, list[tuple[asyncio.StreamReader, asyncio.StreamWriter]]] = {}

    async def _client(self, server: Server) -> _UDPClient:
        client = self._clients.get(server)
        if client is None or client.transport is None:
            loop = asyncio.get_running_loop()
            _transport, client = await loop.create_datagram_endpoint(
                _UDPClient, remote_addr=(server.host, server.port)
            )
            self._clients[server] = client
        return client

    async def _udp(self, server: Server, message: bytes, deadline: float) -> bytes:
        client = await self._client(server)
        if len(client.pending) >= MAX_IN_FLIGHT:
            raise UpstreamError("too many queries in flight")
        while True:
            query_id = int.from_bytes(os.urandom(2), "big")  # unguessable, as secrets would
            if query_id not in client.pending:
                break
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        client.pending[query_id] = (_question_bytes(message), future)
        try:
            assert client.transport is not None  # noqa: S101
            client.transport.sendto(query_id.to_bytes(2, "big") + message[2:])
            loop = asyncio.get_running_loop()
            return await asyncio.wait_for(future, max(0.0, deadline - loop.time()))
        finally:
            client.pending.pop(query_id, None)

    async def _tcp(self, server: Server, message: bytes, deadline: float) -> bytes:
        loop = asyncio.get_running_loop()

        async def exchange() -> bytes:
            reader, writer = await asyncio.open_connection(server.host, server.port)
            try:
                return await _ask(reader, writer, message)
            finally:
                writer.close()
                with contextlib.suppress(OSError):
                    await writer.wait_closed()

        return await asyncio.wait_for(exchange(), max(0.0, deadline - loop.time()))

    async def _kept(self, server: Server, message: bytes, deadline: float, ask: _Ask) -> bytes:
        """DNS-over-TLS or -HTTPS: on a connection kept from before when there is one."""
        loop = asyncio.get_running_loop()
        idle = self._idle.setdefault(server, [])

        async def exchange() -> bytes:
            while idle:  # a kept connection, unless the server closed it meanwhile
                reader, writer = idle.pop()
                try:
                    answer, keep = await ask(reader, writer, server, message)
                except (OSError, asyncio.IncompleteReadError):
                    writer.close()
                    continue
                except BaseException:  # cancelled (out of time): the stream is mid-answer
                    writer.close()
                    raise
                _keep(idle, reader, writer, keep)
                return answer
            reader, writer = await asyncio.open_connection(
                server.host, server.port, ssl=self.tls, server_hostname=server.tls_name
            )
            try:
                answer, keep = await ask(reader, writer, server, message)
            except BaseException:
                writer.close()
                raise
            _keep(idle, reader, writer, keep)
            return answer

        return await asyncio.wait_for(exchange(), max(0.0, deadline - loop.time()))

    async def query(self, message: bytes) -> bytes:
        """An answer to ``message`` (a well-formed query) from the first server that gives one.

        The answer carries the query's own id. Raises ``UpstreamError`` when no server
        answered usefully within ``timeout``.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        last: Exception | None = None
        for index, server in enumerate(self.servers):
            # each server gets an equal share of what is left, the last all of it
            share = (deadline - loop.time()) / (len(self.servers) - index)
            attempt_deadline = loop.time() + share
            try:
                if server.https_path:
                    answer = await self._kept(server, message, attempt_deadline, _ask_https)
                elif server.tls_name:
                    answer = await self._kept(server, message, attempt_deadline, _ask_tls)
                elif server.tcp_only:
                    answer = await self._tcp(server, message, attempt_deadline)
                else:
                    answer = await self._udp(server, message, attempt_deadline)
                    if len(answer) > 2 and answer[2] & 0x02:  # TC: ask again over TCP
                        answer = await self._tcp(server, message, attempt_deadline)
                if len(answer) < 12 or wire.rcode_of(answer) in (wire.SERVFAIL, wire.REFUSED):
                    last = UpstreamError(f"{server} answered {wire.rcode_of(answer)}")
                    continue
                return message[:2] + answer[2:]
            except (
                TimeoutError,
                OSError,
                UpstreamError,
                asyncio.IncompleteReadError,
                ssl.SSLError,
            ) as exc:
                last = exc
            except wire.FormatError as exc:
                last = exc
        raise UpstreamError(str(last) if last else "no answer")

    def close(self) -> None:
        for client in self._clients.values():
            if client.transport is not None:
                client.transport.close()
        self._clients.clear()
        for kept in self._idle.values():
            for _reader, writer in kept:
                writer.close()
        self._idle.clear()


MAX_IDLE = 4  # DoT and DoH connections kept per upstream server
MAX_HTTP_HEAD = 16 * 1024  # bytes of a DoH answer's status line and headers


async def _ask(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, message: bytes) -> bytes:
    """One length-prefixed exchange on a stream (DNS over TCP or TLS)."""
    writer.write(len(message).to_bytes(2, "big") + message)
    await writer.drain()
    size = int.from_bytes(await reader.readexactly(2), "big")
    return await reader.readexactly(size)


_Ask = Callable[
    [asyncio.StreamReader, asyncio.StreamWriter, Server, bytes], Awaitable[tuple[bytes, bool]]
]


async def _ask_tls(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server, message: bytes
) -> tuple[bytes, bool]:
    return await _ask(reader, writer, message), True


async def _ask_https(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, server: Server, message: bytes
) -> tuple[bytes, bool]:
    """One DNS-over-HTTPS exchange (RFC 8484 POST); the answer, and whether to keep the line.

    The query goes with id 0 (§4.1, kinder to HTTP caches); the answer must be
    ``200`` ``application/dns-message`` of a stated length (or chunked), at most 65,535
    bytes, and must echo the question asked.
    """
    body = b"\x00\x00" + message[2:]
    writer.write(
        (
            f"POST {server.https_path} HTTP/1.1\r\nHost: {server.tls_name}\r\n"
            "Content-Type: application/dns-message\r\nAccept: application/dns-message\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode("ascii")
        + body
    )
    await writer.drain()
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.LimitOverrunError as exc:
        raise UpstreamError(f"{server}: HTTP headers too long") from exc
    if len(head) > MAX_HTTP_HEAD:
        raise UpstreamError(f"{server}: HTTP headers too long")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    parts = status_line.split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or parts[1] != "200":
        raise UpstreamError(f"{server} answered {status_line.strip()[:80]!r}")
    headers = {}
    for line in lines:
        name, colon, value = line.partition(":")
        if colon:
            headers[name.strip().lower()] = value.strip()
    if headers.get("content-type", "").split(";")[0].strip().lower() != "application/dns-message":
        raise UpstreamError(f"{server} answered {headers.get('content-type')!r}, not DNS")
    if headers.get("transfer-encoding", "").lower() == "chunked":
        answer = await _read_chunked(reader, server)
    else:
        try:
            length = int(headers["content-length"])
        except (KeyError, ValueError) as exc:
            raise UpstreamError(f"{server}: no usable Content-Length") from exc
        if not 12 <= length <= 65_535:
            raise UpstreamError(f"{server}: an answer of {length} bytes")
        answer = await reader.readexactly(length)
    if answer[12 : 12 + len(question := _question_bytes(message))].lower() != question:
        raise UpstreamError(f"{server} answered another question")
    return answer, headers.get("connection", "").lower() != "close"


async def _read_chunked(reader: asyncio.StreamReader, server: Server) -> bytes:
    """A chunked HTTP body (RFC 9112 §7.1), at most 65,535 bytes in all."""
    body = b""
    while True:
        line = await reader.readuntil(b"\r\n")
        try:
            size = int(line.split(b";")[0].strip(), 16)
        except ValueError as exc:
            raise UpstreamError(f"{server}: a bad chunk") from exc
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers
                pass
            return body
        if size < 0 or len(body) + size > 65_535:
            raise UpstreamError(f"{server}: an answer over 65,535 bytes")
        body += await reader.readexactly(size)
        if await reader.readexactly(2) != b"\r\n":
            raise UpstreamError(f"{server}: a bad chunk")


def _keep(
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]],
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    keep: bool = True,
) -> None:
    if keep and len(idle) < MAX_IDLE and not writer.is_closing():
        idle.append((reader, writer))
    else:
        writer.close()
