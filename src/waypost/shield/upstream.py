"""Forwarding to the upstream resolvers: fast, never hanging, never trusting a stray answer.

``Upstream.query(message, question)`` sends an allowed query to the first upstream
server, and to the next one when a server does not answer in time or answers SERVFAIL or
REFUSED; after ``timeout`` seconds in all it gives up (the caller answers SERVFAIL). Each
query leaves with an id of Shield's own choosing (random, unused among those in flight) on
one UDP socket per server, and an answer is taken only if its id is in flight *and* its
question is the one asked: a spoofed or late packet is dropped. A truncated UDP answer is
asked again over TCP.

Servers are written ``udp://192.0.2.1:53`` (or just ``192.0.2.1`` / ``192.0.2.1:5399``;
UDP with TCP fallback), ``tcp://192.0.2.1:53`` (TCP only) or ``tls://9.9.9.9:853#dns.quad9.net``
(DNS-over-TLS, RFC 7858: the certificate must be valid for the name after ``#``, or for
the host when there is none; connections are kept open and reused).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import ssl
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
    tls_name: str = ""  # DNS-over-TLS to this server, whose certificate names this

    @classmethod
    def parse(cls, text: str) -> Server:
        """``udp://h:p``, ``tcp://h:p``, ``tls://h:p#name``, ``h:p``, ``h`` (port 53, or 853
        for tls); IPv6 as ``[::1]:53``."""
        scheme, _, rest = text.rpartition("://")
        if scheme not in ("", "udp", "tcp", "tls"):
            raise ValueError(f"unsupported upstream {text!r}: use udp://, tcp:// or tls://")
        rest, _, tls_name = rest.partition("#")
        host, port = rest, 853 if scheme == "tls" else 53
        if rest.startswith("["):
            host, _, tail = rest[1:].partition("]")
            if tail.startswith(":"):
                port = int(tail[1:])
        elif rest.count(":") == 1:
            host, port_text = rest.split(":")
            port = int(port_text)
        if not host or not 0 < port < 65536:
            raise ValueError(f"unsupported upstream {text!r}")
        if scheme == "tls":
            return cls(host, port, tcp_only=True, tls_name=tls_name or host)
        return cls(host, port, tcp_only=scheme == "tcp")

    def __str__(self) -> str:
        scheme = "tls" if self.tls_name else "tcp" if self.tcp_only else "udp"
        host = f"[{self.host}]" if ":" in self.host else self.host
        name = f"#{self.tls_name}" if self.tls_name and self.tls_name != self.host else ""
        return f"{scheme}://{host}:{self.port}{name}"


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

    async def _tls(self, server: Server, message: bytes, deadline: float) -> bytes:
        """DNS-over-TLS: on a connection kept from before when there is one, else a new one."""
        loop = asyncio.get_running_loop()
        idle = self._idle.setdefault(server, [])

        async def exchange() -> bytes:
            while idle:  # a kept connection, unless the server closed it meanwhile
                reader, writer = idle.pop()
                try:
                    answer = await _ask(reader, writer, message)
                except (OSError, asyncio.IncompleteReadError):
                    writer.close()
                    continue
                except BaseException:  # cancelled (out of time): the stream is mid-answer
                    writer.close()
                    raise
                _keep(idle, reader, writer)
                return answer
            reader, writer = await asyncio.open_connection(
                server.host, server.port, ssl=self.tls, server_hostname=server.tls_name
            )
            try:
                answer = await _ask(reader, writer, message)
            except BaseException:
                writer.close()
                raise
            _keep(idle, reader, writer)
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
                if server.tls_name:
                    answer = await self._tls(server, message, attempt_deadline)
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


MAX_IDLE = 4  # DoT connections kept per upstream server


async def _ask(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, message: bytes) -> bytes:
    """One length-prefixed exchange on a stream (DNS over TCP or TLS)."""
    writer.write(len(message).to_bytes(2, "big") + message)
    await writer.drain()
    size = int.from_bytes(await reader.readexactly(2), "big")
    return await reader.readexactly(size)


def _keep(
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]],
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
) -> None:
    if len(idle) < MAX_IDLE and not writer.is_closing():
        idle.append((reader, writer))
    else:
        writer.close()
