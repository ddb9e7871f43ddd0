"""The answer cache: upstream answers kept as raw bytes for as long as their TTL allows.

A hit costs a dictionary lookup, the TTLs lowered by the time the answer has spent in
the cache, and the asker's id put in: no parsing, no building. Answers are kept for the
smallest TTL among their records (negative answers: their SOA's, RFC 2308), at most
``max_ttl``; answers with nothing to go by are kept ``min_ttl`` seconds. SERVFAIL is never
kept. The cache holds at most ``size`` answers; when full it forgets the oldest tenth.
"""

from __future__ import annotations

import time
from itertools import islice

from waypost.shield import wire


class Cache:
    """Raw answers by question key, each kept as one mutable entry (see :data:`Entry`).

    The resolver's repeat table (``Resolver.repeat``) points at these same entries, so
    an answer is held once however many devices ask for it, and aged once a second for
    all of them.
    """

    def __init__(self, size: int = 100_000, *, min_ttl: int = 5, max_ttl: int = 86_400) -> None:
        self.size = size
        self.min_ttl = min_ttl
        self.max_ttl = max_ttl
        self._entries: dict[bytes, Entry] = {}  # oldest first (insertion order)
        self.hits = 0
        self.misses = 0

    def get(self, key: bytes, query_id: int, now: float | None = None) -> bytes | None:
        """The cached answer for ``key`` with the asker's id and aged TTLs, or None."""
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        now = time.monotonic() if now is None else now
        answer = aged(entry, now)
        if answer is None:
            del self._entries[key]
            self.misses += 1
            return None
        self.hits += 1
        return query_id.to_bytes(2, "big") + answer[2:]

    def entry(self, key: bytes) -> Entry | None:
        """The live entry for ``key`` (for the repeat table to share), or None."""
        return self._entries.get(key)

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
        entries.pop(key, None)  # a fresh answer goes to the end, with the newest
        entries[key] = Entry(now, now + ttl, b"\x00\x00" + answer[2:])
        if len(entries) > self.size:
            # forget the oldest tenth at once: one walk from the front, not one per answer
            for old in list(islice(entries, max(1, self.size // 10))):
                del entries[old]
        return ttl

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


class Entry:
    """One cached answer, shared by the cache and the repeat table.

    ``answer`` (id 0) is kept aged: its TTLs are lowered by ``age`` whole seconds since
    ``stored``, brought up to date at most once a second. Aging the aged copy by the
    seconds since is exact, since no record outlives the entry (it expires with its
    smallest TTL): one copy of the answer, not the original and an aged one.
    """

    __slots__ = ("stored", "expires", "answer", "age")

    def __init__(self, stored: float, expires: float, answer: bytes) -> None:
        self.stored = stored  # monotonic seconds
        self.expires = expires
        self.answer = answer
        self.age = 0


def aged(entry: Entry, now: float) -> bytes | None:
    """The entry's answer (id 0) with its TTLs lowered by its age; None once expired."""
    if now >= entry.expires:
        return None
    age = int(now - entry.stored)
    if age != entry.age:
        entry.answer = wire.age_ttls(entry.answer, age - entry.age)
        entry.age = age
    return entry.answer
