"""The upstream resolver of ``benchmarks/shield.py``: answers every A question at once.

Every server in the benchmark forwards the names it does not block to this one process,
so it must never be what is measured: it answers from the packet's own bytes (the
question copied back, one A record 192.0.2.1 — a documentation address, never
contacted — with TTL 3600, so each server keeps it in its cache for the whole run),
parses nothing it does not need and runs on uvloop when it is installed. Other types
get an empty NOERROR answer, a packet that is not a query gets nothing.

    python benchmarks/_shield_upstream.py [PORT]   # 127.0.0.1, PORT 0 (any free port)

Prints ``{"port": n}`` when it listens; on SIGUSR1 prints ``{"queries": n}`` (what the
servers asked so far: shows their caches at work); stops on SIGTERM or SIGINT.
Standard library only (plus uvloop if present).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import sys
from typing import cast

ANSWER_A = (
    b"\xc0\x0c"  # the name: a pointer to the question's
    b"\x00\x01\x00\x01"  # A, IN
    + (3600).to_bytes(4, "big")  # TTL: outlasts the run, so every server caches it
    + b"\x00\x04"
    + bytes((192, 0, 2, 1))
)


def answer(query: bytes) -> bytes | None:
    """The reply to ``query``, or None when it is not a one-question query."""
    if len(query) < 17 or query[2] & 0x80 or query[4:6] != b"\x00\x01":
        return None
    end = 12
    while True:  # walk the question's labels to find where it ends
        if end >= len(query):
            return None
        length = query[end]
        if length == 0:
            break
        if length > 63:
            return None  # no compression in a question of one
        end += length + 1
    end += 5  # the root label, type and class
    if end > len(query):
        return None
    qtype_class = query[end - 4 : end]
    found = qtype_class == b"\x00\x01\x00\x01"
    # id, flags: QR, the query's opcode and RD, RA; one question; answers; no others
    flags = bytes((0x80 | (query[2] & 0x79), 0x80))
    counts = b"\x00\x01" + (b"\x00\x01" if found else b"\x00\x00") + b"\x00\x00\x00\x00"
    return query[:2] + flags + counts + query[12:end] + (ANSWER_A if found else b"")


class Upstream(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.queries = 0
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)  # uvloop's is no subclass

    def datagram_received(self, data: bytes, addr: tuple[str | object, int]) -> None:
        reply = answer(data)
        if reply is not None and self.transport is not None:
            self.queries += 1
            self.transport.sendto(reply, addr)


async def serve(port: int) -> None:
    loop = asyncio.get_running_loop()
    transport, upstream = await loop.create_datagram_endpoint(
        Upstream, local_addr=("127.0.0.1", port)
    )
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.add_signal_handler(
        signal.SIGUSR1, lambda: print(json.dumps({"queries": upstream.queries}), flush=True)
    )
    print(json.dumps({"port": transport.get_extra_info("sockname")[1]}), flush=True)
    await stop.wait()
    transport.close()


def main() -> None:
    with contextlib.suppress(ImportError):
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    asyncio.run(serve(int(sys.argv[1]) if len(sys.argv) > 1 else 0))


if __name__ == "__main__":
    main()
