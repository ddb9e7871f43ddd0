"""A real Shield on loopback, in front of a small real upstream resolver, for the tests.

``upstream``: a DNS server on 127.0.0.1 (UDP and TCP, one port) answering from a little
zone of its own (dnspython builds the answers), counting what it is asked, and able to go
silent ("down"). ``start_shield(...)``: Shield's own listeners (``server.start``) on free
ports, in an event loop on a thread of its own; queries are real packets over loopback.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import dns.flags
import dns.message
import dns.rcode
import dns.rrset
import pytest

from waypost.shield import rules, server
from waypost.shield.upstream import Server, Upstream

ZONE: dict[tuple[str, str], list[str]] = {
    ("allowed.test.", "A"): ["192.0.2.10"],
    ("allowed.test.", "AAAA"): ["2001:db8::10"],
    ("www.allowed.test.", "A"): ["192.0.2.11"],
    ("notblocked.test.", "A"): ["192.0.2.12"],
    ("dating.test.", "A"): ["192.0.2.13"],
    ("blocked.test.", "A"): ["192.0.2.66"],
    ("a.b.c.blocked.test.", "A"): ["192.0.2.67"],
    ("forcesafesearch.google.com.", "A"): ["192.0.2.100"],
    ("forcesafesearch.google.com.", "AAAA"): ["2001:db8::100"],
    ("restrict.youtube.com.", "A"): ["192.0.2.101"],
    ("restrictmoderate.youtube.com.", "A"): ["192.0.2.102"],
    ("strict.bing.com.", "A"): ["192.0.2.103"],
    ("safe.duckduckgo.com.", "A"): ["192.0.2.104"],
    ("www.google.com.", "A"): ["192.0.2.200"],  # what an unfiltered resolver would say
    ("big.test.", "A"): [f"192.0.2.{n}" for n in range(1, 61)],  # > 512 bytes: truncated
}
TTL = 300


@dataclass
class Upstream_:
    port: int
    asked: Counter[str] = field(default_factory=Counter)
    down: bool = False


class _FakeUpstream:
    def __init__(self) -> None:
        while True:  # a free UDP port whose number is free for TCP too
            self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.udp.bind(("127.0.0.1", 0))
            port = self.udp.getsockname()[1]
            self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                self.tcp.bind(("127.0.0.1", port))
            except OSError:
                self.udp.close()
                self.tcp.close()
                continue
            break
        self.tcp.listen(16)
        self.state = Upstream_(port)
        self._stop = False
        self.threads = [
            threading.Thread(target=self._serve_udp, daemon=True),
            threading.Thread(target=self._serve_tcp, daemon=True),
        ]
        for thread in self.threads:
            thread.start()

    def answer(self, wire_query: bytes) -> bytes:
        query = dns.message.from_wire(wire_query)
        question = query.question[0]
        name, rtype = question.name.to_text().lower(), dns.rdatatype.to_text(question.rdtype)
        self.state.asked[name] += 1
        response = dns.message.make_response(query)
        response.flags |= dns.flags.RA
        values = ZONE.get((name, rtype))
        if values:
            response.answer.append(dns.rrset.from_text_list(name, TTL, "IN", rtype, values))
        elif not any(key[0] == name for key in ZONE):
            response.set_rcode(dns.rcode.NXDOMAIN)
        return response.to_wire()

    def _serve_udp(self) -> None:
        while not self._stop:
            try:
                data, addr = self.udp.recvfrom(65535)
            except OSError:
                return
            if self.state.down:
                continue
            wire_answer = self.answer(data)
            if len(wire_answer) > 512:
                query = dns.message.from_wire(data)
                truncated = dns.message.make_response(query)
                truncated.flags |= dns.flags.TC
                wire_answer = truncated.to_wire()
            self.udp.sendto(wire_answer, addr)

    def _serve_tcp(self) -> None:
        while not self._stop:
            try:
                connection, _addr = self.tcp.accept()
            except OSError:
                return
            with connection:
                try:
                    size = int.from_bytes(connection.recv(2), "big")
                    data = b""
                    while len(data) < size:
                        chunk = connection.recv(size - len(data))
                        if not chunk:
                            break
                        data += chunk
                    if self.state.down:
                        continue
                    wire_answer = self.answer(data)
                    connection.sendall(len(wire_answer).to_bytes(2, "big") + wire_answer)
                except OSError:
                    continue

    def close(self) -> None:
        self._stop = True
        self.udp.close()
        self.tcp.close()


@pytest.fixture
def upstream() -> Iterator[Upstream_]:
    fake = _FakeUpstream()
    yield fake.state
    fake.close()


@dataclass
class RunningShield:
    resolver: server.Resolver
    listeners: server.Listeners
    loop: asyncio.AbstractEventLoop

    @property
    def dns(self) -> tuple[str, int]:
        return self.listeners.dns[0]

    @property
    def doh(self) -> tuple[str, int]:
        return self.listeners.doh[0]

    def call(self, function: Callable[[], Any]) -> Any:
        """Run ``function`` on the server's loop (to change its policy between queries)."""
        done: asyncio.Future[Any] = asyncio.run_coroutine_threadsafe(_call(function), self.loop)
        return done.result(5)


async def _call(function: Callable[[], Any]) -> Any:
    return function()


@pytest.fixture
def start_shield(upstream: Upstream_) -> Iterator[Callable[..., RunningShield]]:
    """Start a Shield; keyword arguments go to ``server.Options`` (and ``blocklist``)."""
    started: list[tuple[RunningShield, threading.Thread]] = []

    def start(
        *,
        blocklist: rules.Matcher | None = None,
        timeout: float = 1.0,
        identities: server.Identities | None = None,
        tls: ssl.SSLContext | None = None,
        policy_for: Callable[[str], rules.Policy] | None = None,
        **options: Any,
    ) -> RunningShield:
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, daemon=True)
        thread.start()
        options.setdefault("rate_limit", 0)
        resolver = server.Resolver(
            upstream=Upstream([Server("127.0.0.1", upstream.port)], timeout=timeout),
            blocklist=blocklist,
            options=server.Options(**options),
            policy_for=policy_for,
        )
        listeners = asyncio.run_coroutine_threadsafe(
            server.start(
                resolver,
                dns=[("127.0.0.1", 0)],
                doh=[("127.0.0.1", 0)],
                dot=[("127.0.0.1", 0)] if tls else [],
                tls=tls,
                identities=identities,
            ),
            loop,
        ).result(5)
        running = RunningShield(resolver, listeners, loop)
        started.append((running, thread))
        return running

    yield start
    for running, thread in started:
        running.call(running.listeners.close)
        running.call(running.resolver.upstream.close)
        running.loop.call_soon_threadsafe(running.loop.stop)
        thread.join(5)
        running.loop.close()
