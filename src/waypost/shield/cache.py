"""The answer cache: upstream answers kept as raw bytes for as long as their TTL allows.

A hit costs a dictionary lookup, the TTLs lowered by the time the answer has spent in
the cache, and the asker's id put in: no parsing, no building. Answers are kept for the
smallest TTL among their records (negative answers: their SOA's, RFC 2308), at most
``max_ttl``; answers with nothing to go by are kept ``min_ttl`` seconds. SERVFAIL is never
kept. The cache holds at most ``size`` answers and forgets the oldest first.
"""

from __future__ import annotations

import time
from collections import OrderedDict

from waypost.shield import wire


class Cache:
    def __init__(self, size: int = 100_000, *, min_ttl: int = 5, max_ttl: int = 86_400) -> None:
        self.size = size
        self.min_ttl = min_ttl
        self.max_ttl = max_ttl
        # key -> (stored at, expires at, answer with id 0)
        self._entries: OrderedDict[bytes, tuple[float, float, bytes]] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: bytes, query_id: int, now: float | None = None) -> bytes | None:
        """The cached answer for ``key`` with the asker's id and aged TTLs, or None."""
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        now = time.monotonic() if now is None else now
        stored, expires, answer = entry
        if now >= expires:
            del self._entries[key]
            self.misses += 1
            return None
        self.hits += 1
        age = int(now - stored)
        if age:
            answer = wire.age_ttls(answer, age)
        return query_id.to_bytes(2, "big") + answer[2:]

    def ttl_of(self, answer: bytes) -> int:
        """How long ``answer`` may be kept (0: not at all)."""
        if wire.rcode_of(answer) not in (wire.NOERROR, wire.NXDOMAIN):
            return 0
        smallest = wire.min_ttl(answer)
        if smallest is None:
            return self.min_ttl
        return min(smallest, self.max_ttl)

    def put(self, key: bytes, answer: bytes, now: float | None = None) -> int:
        """Keep ``answer`` for its TTL; returns that TTL (0: not kept)."""
        try:
            ttl = self.ttl_of(answer)
        except wire.FormatError:
            return 0
        if ttl <= 0:
            return 0
        now = time.monotonic() if now is None else now
        entries = self._entries
        entries[key] = (now, now + ttl, b"\x00\x00" + answer[2:])
        entries.move_to_end(key)
        while len(entries) > self.size:
            entries.popitem(last=False)
        return ttl

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
