"""Blocklists: read the usual text formats, compile them to one file, match names by mmap.

The resolver asks :meth:`Blocklist.match` about every query of every device, so the
lookup is built for that: the compiled file is memory-mapped (shared between worker
processes, paged by the OS, never copied into Python objects), opening it parses
nothing (a header check and a checksum: milliseconds for a million domains), and a
lookup is a few microseconds whatever the list's size.

Text formats, detected line by line (:func:`parse_line`): hosts files
(``0.0.0.0 a.example b.example  # comment``), plain domain lists (``example.com``),
adblock-style network rules (``||example.com^``, options after ``$`` ignored) and
wildcards (``*.example.com``, the same as ``example.com``: a listed domain blocks its
subdomains anyway). Comments (``#``, ``!``, ``[Adblock Plus 2.0]``), adblock exceptions
(``@@…``) and cosmetic rules (``##``, ``#@#`` …) list nothing; anything else that is not
a whole host name (a path, a URL with a path, a pattern) is junk, reported with its
file and line number and skipped, never fatal (:func:`compile_lists`). Names are
normalised (:func:`normalise`): lower case, IDNA (the stdlib IDNA 2003 codec, so
``bücher.example`` is ``xn--bcher-kva.example``), no trailing dot, no ``*.``.

Compiled file, version 2 (all integers little-endian; this module refuses big-endian
hosts rather than misread it)::

    offset 0    header, 64 bytes: magic b"\\x89WPSHBL\\n" (8) | version u16 |
                index bits k u8 | filter bits j u8 | CRC-32 of everything after
                the header u32 | entry count n u64 | file size u64 | 32 zero bytes
    64          entries: n × u32, ascending, distinct. Each domain's h = blake2b(domain,
                digest_size=8) of the ASCII domain, read as a little-endian integer; its
                top k bits pick its bucket, the next 28 bits are its fingerprint, and the
                entry is fingerprint << 4 | category (its position in CATEGORIES)
    64 + 4n     index: 2**k + 1 × u16 — the position of the first entry of bucket b
                (k is chosen so a bucket holds 2 to 4), modulo 65,536
    … + 2(2**k+1)  bases: (2**k >> 10) + 1 × u32 — the whole position of the first
                entry of each group of 1,024 buckets; bucket b's position is
                bases[b >> 10] plus (index[b] − bases[b >> 10]) mod 65,536 (a group
                holds about 4,000 entries, never 65,536: compiling checks)
    … + 4((2**k >> 10) + 1)  filter: 2**j bits (j chosen so 2**j >= 8n): for every listed
                domain, with c = crc32(domain), bit c mod 2**j and bit
                (c × 0x9E3779B1 mod 2**32) >> (32 − j) are set

A lookup tries the name, then the name without its first label, and so on (the
nearest listed parent wins): for each suffix it computes its CRC-32 (cheap) and tests
the filter's two bits, one of which is clear for about 95 % of unlisted suffixes
(a Bloom filter of 8 bits a domain and two probes); only when both are set does
it compute the blake2b hash, look up its bucket in the index and bisect the bucket
(``bisect`` on a ``memoryview.cast("I")``, two to four entries) for its fingerprint.
The filter is what makes an unlisted name cost one CRC per label instead of one blake2b
per label. The file is about 5.5 bytes a domain (5.5 MB for a million), and a busy
resolver touches little more than the filter, the index and one entry page per
listed domain it meets: that is what stays in its memory.

A false match would make an unlisted name match a listed domain (a false block,
recorded with the name, so visible and fixable with an allow-list, and the same for
every device, so quickly noticed). It needs both filter bits (1 in 20) and one of
the bucket's two to four fingerprints (28 bits) to agree by chance: about
4 × 2**-28 / 20, 10**-9 per unlisted suffix tried, so one false block in about
3 × 10**8 distinct names (3 suffixes each) — for a clinic's thousand phones, each asking
a few thousand distinct names a day, one wrongly blocked name every few months,
which the "wrong block?" button is there for. Two listed domains with the same bucket
and fingerprint (n**2 / 2**47, 0.7 % for a million) are merged: both stay blocked,
one under the other's category. blake2b is a cryptographic hash, so an attacker
cannot aim a name at a listed domain's fingerprint without trying about 2**46 names
— and would only get a name of their choosing blocked.

Files are replaced, never rewritten: :func:`compile_lists` writes a temporary file in
the destination's directory and ``os.replace``-s it, so a resolver still mapping the
old file keeps its old inode (rewriting a mapped file in place could crash it with
SIGBUS). No Django here: the resolver must run while the web app is down.
"""

from __future__ import annotations

import logging
import mmap
import os
import re
import struct
import sys
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from hashlib import blake2b
from itertools import accumulate
from pathlib import Path
from types import TracebackType
from typing import Any, Self

__all__ = [
    "CATEGORIES",
    "BadLine",
    "Blocklist",
    "BlocklistError",
    "CompileReport",
    "Problem",
    "compile_lists",
    "compiled_version",
    "is_compiled",
    "load",
    "normalise",
    "parse_line",
]

log = logging.getLogger(__name__)

CATEGORIES: tuple[str, ...] = ("adult", "dating", "gambling", "bypass", "social", "custom")
"""Stable order: a compiled file stores a category as its position here (so only append).

"bypass" is public DoH/DoT resolvers, VPN and proxy services; "custom" is the clinic's
own list. A domain listed in two categories keeps the earlier one.
"""

MAGIC = b"\x89WPSHBL\n"  # \x89 starts no UTF-8 text, so no text list is mistaken for one
VERSION = 2
MAX_PROBLEMS = 1000  # problems kept in a CompileReport (all are counted)
MAX_LINE = 4096  # bytes; a longer line is junk, read past without holding it in memory
MAX_DOMAINS = 1 << 28  # the filter's bit numbers must fit a CRC-32 (8 bits a domain)
FINGERPRINT_BITS = 28  # of the hash, below the bucket's k bits; an entry's low 4 bits: category

_HEADER = struct.Struct("<8sHBBIQQ32x")
_BUCKETS = 256  # compile sorts and dedupes per top byte of the hash, to bound memory
_PROBLEM_TEXT = 200  # characters of a junk line kept in its Problem
# an entry's lowest byte: any fingerprint nibble, a known category
_VALID_LOW_BYTES = bytes(b for b in range(256) if b & 15 < len(CATEGORIES))
_FINGERPRINT_MASK = (1 << FINGERPRINT_BITS) - 1
_GROUP_BITS = 10  # buckets a group of the index, whose positions are stored in full once
_GOLDEN = 0x9E3779B1  # the filter's second bit: Fibonacci hashing of the same CRC


class BlocklistError(ValueError):
    """An unreadable, corrupt or wrong-version compiled file; an unknown category."""


class BadLine(BlocklistError):
    """A line or name that is not a host name or a supported rule (the reason says why)."""


@dataclass(frozen=True)
class Problem:
    """A junk line: skipped and reported, never fatal."""

    source: str
    line: int
    text: str  # at most 200 characters of it
    reason: str


@dataclass
class CompileReport:
    """What :func:`compile_lists` wrote and what it skipped."""

    domains: int  # distinct domains written
    by_category: dict[str, int]  # every category, in CATEGORIES order
    problems: list[Problem] = field(default_factory=list)  # the first MAX_PROBLEMS
    problem_count: int = 0  # all of them

    def as_json(self) -> dict[str, Any]:
        """The report as JSON-ready data (for ``waypost shield compile`` and the worker)."""
        return {
            "domains": self.domains,
            "by_category": dict(self.by_category),
            "problems": [asdict(p) for p in self.problems],
            "problem_count": self.problem_count,
        }


# --- Text formats ------------------------------------------------------------------

_HOST = re.compile(r"[a-z0-9_-]{1,63}(?:\.[a-z0-9_-]{1,63})*")
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_-.")
# Cosmetic (##, #@#, #?#, #$#, #%#, #$?# …) and HTML-filtering ($$, $@$) rules: page
# content, nothing a DNS filter can act on. Not after a space: "a.example ## note" is a
# hosts line with a comment.
_COSMETIC = re.compile(r"(?<!\s)#@?[?$%]{0,2}#|\$@?\$")
_PLAIN_URL = re.compile(r"\|https?://([^/:^|]+)(?::\d{1,5})?[/^]?\|?")
# What hosts files list that is not a blocked domain.
_LISTS_NOTHING = frozenset(
    {
        "localhost",
        "localhost.localdomain",
        "localhost4",
        "localhost4.localdomain4",
        "localhost6",
        "localhost6.localdomain6",
        "local",
        "broadcasthost",
        "ip6-localhost",
        "ip6-loopback",
        "ip6-localnet",
        "ip6-mcastprefix",
        "ip6-allnodes",
        "ip6-allrouters",
        "ip6-allhosts",
    }
)
# The addresses hosts files use, checked before the ipaddress module (not a bind).
_COMMON_ADDRESSES = frozenset({"0.0.0.0", "127.0.0.1", "::", "::1", "::0"})  # noqa: S104
# Adblock options that make a rule something other than "block this domain" (undo a
# rule, rewrite a request, or apply only on some sites): such a rule blocks nothing.
_NOT_A_BLOCK = frozenset(
    {
        "badfilter",
        "csp",
        "removeparam",
        "removeheader",
        "redirect",
        "redirect-rule",
        "replace",
        "cookie",
        "permissions",
        "urltransform",
        "stealth",
        "dnsrewrite",
        "domain",
    }
)


def normalise(name: str) -> str:
    """``name`` as it is stored and matched: lower case, IDNA, no trailing dot, no ``*.``.

    Raises :class:`BadLine` for what is not a host name: an empty label, a label over
    63 or a name over 253 characters, a character other than letters, digits, ``-``
    and ``_`` (underscores appear in real lists and in the DNS), or an all-digit last
    label (an IP address: a name filter cannot block one). Single labels are allowed:
    a list may block a whole top-level domain.
    """
    s = name.strip()
    if s.startswith("*."):
        s = s[2:]
    if s.endswith("."):
        s = s[:-1]
    if not s.isascii():
        try:
            s = s.encode("idna").decode("ascii")
        except UnicodeError as e:
            raise BadLine(f"not a valid international name ({e})") from None
    s = s.lower()
    if len(s) > 253 or _HOST.fullmatch(s) is None:
        raise BadLine(_why_not_a_host(s))
    if s.rpartition(".")[2].isdigit():
        raise BadLine("an IP address, not a host name")
    return s


def _why_not_a_host(s: str) -> str:
    """The reason :func:`normalise` refuses ``s`` (the slow path: junk only)."""
    if not s:
        return "empty name"
    if len(s) > 253:
        return "name longer than 253 characters"
    for ch in s:
        if ch not in _HOST_CHARS:
            return f"character {ch!r} not allowed in a host name"
    if any(len(label) > 63 for label in s.split(".")):
        return "label longer than 63 characters"
    return "empty label"


def is_address(token: str) -> bool:
    """Whether ``token`` is an IPv4 or IPv6 address (a hosts-file line starts with one)."""
    if token in _COMMON_ADDRESSES:
        return True
    if ":" not in token and not token.replace(".", "").isdigit():
        return False  # most tokens: no ipaddress call
    try:
        import ipaddress  # here: a running resolver never needs it (about 0.3 MB)

        ipaddress.ip_address(token.partition("%")[0])  # fe80::1%lo0
    except ValueError:
        return False
    return True


def parse_line(line: str) -> list[str]:
    """The normalised domains one line of a list blocks: usually one, ``[]`` for none.

    A hosts-file line lists every name after its address, so this returns a list;
    ``[]`` for blank lines, comments, headers, adblock exceptions and cosmetic rules,
    rules that only rewrite or undo (``$badfilter``, ``$removeparam`` …) or apply
    only on some sites (``$domain=``), and hosts lines that list nothing
    (``127.0.0.1 localhost``, ``0.0.0.0 0.0.0.0``). Raises :class:`BadLine` for junk:
    paths, URLs with a path, patterns, several words that are not a hosts line, and
    names :func:`normalise` refuses (one bad name spoils its whole hosts line, so the
    report shows it). An ``@@`` exception is not applied to the other lines' blocks.
    """
    s = line.strip()
    if not s:
        return []
    first = s[0]
    if first in "#!":
        return []
    if first == "|":
        return _adblock(s)
    if first == "@" and s.startswith("@@"):
        return []
    if first == "[" and s.endswith("]"):
        return []
    if "#" in s or "$" in s:
        if _COSMETIC.search(s):
            return []
        s = s.partition("#")[0].rstrip()
    words = s.split()
    if len(words) == 1:
        return _plain(words[0])
    if not words:
        return []
    if not is_address(words[0]):
        raise BadLine("several words, and not a hosts-file line (address, then names)")
    return [
        normalise(word)
        for word in words[1:]
        if word.lower() not in _LISTS_NOTHING and not is_address(word)
    ]


def _plain(word: str) -> list[str]:
    """A one-word line: a domain or wildcard (``localhost`` lists nothing)."""
    if word.lower() in _LISTS_NOTHING:
        return []
    if "/" in word:
        raise BadLine("a URL or path, not a whole domain")
    if "*" in word[1:] or "^" in word:
        raise BadLine("a pattern, not a whole domain")
    return [normalise(word)]


def _adblock(rule: str) -> list[str]:
    """An adblock network rule that starts with ``|``: its domain, if it is a whole one."""
    if not rule.startswith("||"):
        m = _PLAIN_URL.fullmatch(rule)
        if m is None:
            raise BadLine("a URL rule with a path or pattern, not a whole domain")
        return [normalise(m[1])]
    body, dollar, options = rule[2:].partition("$")
    if dollar:
        for option in options.split(","):
            if option.strip().lstrip("~").partition("=")[0].lower() in _NOT_A_BLOCK:
                return []
    if body.endswith("|"):
        body = body[:-1]
    if body.endswith("^"):
        body = body[:-1]
    if "/" in body:
        raise BadLine("an adblock rule with a path, not a whole domain")
    if "*" in body[1:] or "^" in body or "|" in body or ":" in body:
        raise BadLine("an adblock pattern, not a whole domain")
    return [normalise(body)]


# --- Compiling ---------------------------------------------------------------------


def _category_index(category: str) -> int:
    try:
        return CATEGORIES.index(category)
    except ValueError:
        known = ", ".join(CATEGORIES)
        raise BlocklistError(f"unknown category {category!r} (known: {known})") from None


def _require_little_endian() -> None:
    if sys.byteorder != "little":
        raise BlocklistError("compiled blocklists need a little-endian machine")


class _Table:
    """Hashes, categories and CRCs of domains, kept as compact arrays while compiling.

    Bucketed by the hash's top byte so the final sort and dedupe hold Python objects
    for one bucket at a time: memory stays about 13 bytes per line read.
    """

    def __init__(self) -> None:
        self.hashes = [array("Q") for _ in range(_BUCKETS)]
        self.categories = [array("B") for _ in range(_BUCKETS)]
        self.crcs = [array("I") for _ in range(_BUCKETS)]

    def add(self, domain: str, category: int) -> None:
        data = domain.encode("ascii")
        h = int.from_bytes(blake2b(data, digest_size=8).digest(), "little")
        bucket = h >> 56
        self.hashes[bucket].append(h)
        self.categories[bucket].append(category)
        self.crcs[bucket].append(zlib.crc32(data))

    def build(self) -> tuple[list[bytes | bytearray | array[int]], CompileReport]:
        """The compiled file as buffers to write in order, and the report's counts."""
        _require_little_endian()
        hashes, categories, crcs = array("Q"), array("B"), array("I")
        for b in range(_BUCKETS):
            rows = sorted(zip(self.hashes[b], self.categories[b], self.crcs[b], strict=True))
            self.hashes[b], self.categories[b], self.crcs[b] = array("Q"), array("B"), array("I")
            last = last_crc = -1
            for h, c, r in rows:  # sorted by hash, then category: the first one wins
                if h != last:
                    hashes.append(h)
                    categories.append(c)
                    last = h
                if r != last_crc:  # every name's filter bit, a (2**-64) hash twin's too
                    crcs.append(r)
                    last_crc = r
        if len(hashes) > MAX_DOMAINS:
            raise BlocklistError(
                f"{len(hashes)} domains: more than a compiled list holds ({MAX_DOMAINS})"
            )
        k = (len(hashes) // 4).bit_length()
        shift = 64 - k
        low = shift - FINGERPRINT_BITS  # may be negative only for impossible k; not here
        counts = array("I", bytes(4 * ((1 << k) + 1)))
        entries = array("I")
        last_bucket = last_print = -1
        for h, c in zip(hashes, categories, strict=True):
            bucket, fingerprint = h >> shift, (h >> low) & _FINGERPRINT_MASK
            if fingerprint == last_print and bucket == last_bucket:
                continue  # a 2**-46 twin: blocked already, under the first one's category
            entries.append(fingerprint << 4 | c)
            counts[bucket + 1] += 1
            last_bucket, last_print = bucket, fingerprint
        del hashes, categories
        n = len(entries)
        positions = array("I", accumulate(counts))
        index = array("H", (p & 0xFFFF for p in positions))
        bases = positions[:: 1 << _GROUP_BITS]  # (2**k >> 10) + 1 of them, the end's group too
        for group, base in enumerate(bases):
            last = positions[min(len(positions) - 1, (group + 1) << _GROUP_BITS)]
            if last - base >= 1 << 16:  # about 4,000 expected; 65,536 is not a hash's doing
                raise BlocklistError("corrupt hash distribution: a group of buckets overflows")
        del positions
        j = max(6, (8 * n - 1).bit_length())
        mask, top = (1 << j) - 1, 32 - j
        bits = bytearray(1 << (j - 3))
        for r in crcs:
            spot, other = r & mask, (r * _GOLDEN & 0xFFFFFFFF) >> top
            bits[spot >> 3] |= 1 << (spot & 7)
            bits[other >> 3] |= 1 << (other & 7)
        crc = zlib.crc32(entries)
        crc = zlib.crc32(index, crc)
        crc = zlib.crc32(bases, crc)
        crc = zlib.crc32(bits, crc)
        size = _HEADER.size + 4 * n + 2 * len(index) + 4 * len(bases) + len(bits)
        header = _HEADER.pack(MAGIC, VERSION, k, j, crc, n, size)
        written = bytes(entries.tobytes()[::4])  # each entry's lowest byte
        by_category = {
            name: sum(written.count(c | f << 4) for f in range(16))
            for c, name in enumerate(CATEGORIES)
        }
        return [header, entries, index, bases, bits], CompileReport(n, by_category)


def _lines(path: Path) -> Iterator[tuple[int, str, str]]:
    """``(number, text, reason)`` per line of ``path``: reason "" for a readable line.

    Reads bytes and decodes each line on its own, so one bad byte spoils one line, not
    the file; a line over MAX_LINE bytes is read past, never held whole in memory. For
    an unreadable line, ``text`` is what can be shown of it.
    """
    with path.open("rb") as f:
        number = 0
        while raw := f.readline(MAX_LINE + 1):
            number += 1
            if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
                while (rest := f.readline(MAX_LINE + 1)) and not rest.endswith(b"\n"):
                    pass
                shown = raw[:_PROBLEM_TEXT].decode("utf-8", "replace")
                yield number, shown, f"line longer than {MAX_LINE} bytes"
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                yield number, raw.decode("utf-8", "replace"), f"not UTF-8 ({e.reason})"
                continue
            if number == 1 and text.startswith("\ufeff"):
                text = text[1:]
            yield number, text, ""


def compile_lists(sources: Sequence[tuple[str, str | Path]], out: str | Path) -> CompileReport:
    """Merge ``(category, file)`` text lists into the compiled file ``out``, atomically.

    A domain in several categories keeps the first in CATEGORIES order, whatever the
    order of ``sources``. Files are streamed: memory is about 13 bytes per line read
    plus the result. ``out`` is written to a temporary file beside it and moved into
    place with ``os.replace``, so a resolver never sees half a file; an existing
    ``out`` keeps its permissions, a new one is readable by all (blocklists are not
    secret, and the resolver may run as another user). Junk lines are reported, not
    fatal; an unknown category or an unreadable source raises :class:`BlocklistError`
    before ``out`` is touched.
    """
    plan = [(_category_index(category), Path(path)) for category, path in sources]
    table = _Table()
    problems: list[Problem] = []
    problem_count = 0
    for category, path in plan:
        source = str(path)
        try:
            for number, text, why in _lines(path):
                reason = why
                if not reason:
                    try:
                        for domain in parse_line(text):
                            table.add(domain, category)
                        continue
                    except BadLine as e:
                        reason = str(e)
                problem_count += 1
                if len(problems) < MAX_PROBLEMS:
                    problems.append(Problem(source, number, text.strip()[:_PROBLEM_TEXT], reason))
        except OSError as e:
            raise BlocklistError(f"cannot read {source}: {e.strerror or e}") from e
    parts, report = table.build()
    report.problems = problems
    report.problem_count = problem_count
    _write_atomically(Path(out), parts)
    return report


def _write_atomically(out: Path, parts: Sequence[bytes | bytearray | array[int]]) -> None:
    """Write ``parts`` to ``out`` through a temporary file beside it and ``os.replace``."""
    try:
        mode = out.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o644
    except OSError as e:
        raise BlocklistError(f"cannot write {out}: {e.strerror or e}") from e
    import tempfile  # here: a running resolver never writes a list (about 0.5 MB)

    try:
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    except OSError as e:
        raise BlocklistError(f"cannot write {out}: {e.strerror or e}") from e
    try:
        with os.fdopen(fd, "wb") as f:
            for part in parts:
                f.write(part)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, out)
    except BaseException as e:
        with suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError):
            raise BlocklistError(f"cannot write {out}: {e.strerror or e}") from e
        raise


# --- Matching ----------------------------------------------------------------------


class Blocklist:
    """A compiled blocklist, mapped (or in memory), answering :meth:`match`.

    Open with :meth:`open` or :func:`load`; :meth:`from_domains` builds a small one in
    memory. Not for use from several threads while :meth:`close` may run (the resolver
    is one asyncio thread per process: swap in the new list, then close the old one).
    """

    __slots__ = (
        "path",
        "_buffer",
        "_views",
        "_entries",
        "_index",
        "_bases",
        "_filter",
        "_count",
        "_shift",
        "_low",
        "_mask",
        "_top",
    )
    path: Path | None
    _buffer: bytes | mmap.mmap | None
    _views: list[memoryview]  # every view of _buffer, released before it is unmapped
    _entries: memoryview
    _index: memoryview
    _bases: memoryview
    _filter: memoryview
    _count: int
    _shift: int
    _low: int
    _mask: int
    _top: int

    def __init__(self, data: bytes | mmap.mmap, path: Path | None = None) -> None:
        """Check the compiled bytes ``data`` (header, size, checksum) and wrap them.

        Raises :class:`BlocklistError` for anything but a whole file of this version.
        ``path``: the file this list was loaded from, if any.
        """
        _require_little_endian()
        self.path = path
        self._buffer = data
        self._attach(data)

    def _attach(self, data: bytes | mmap.mmap) -> None:
        size = len(data)
        if size < _HEADER.size:
            raise BlocklistError(f"not a compiled blocklist: {size} bytes, too short")
        magic, version, k, j, crc, n, stated = _HEADER.unpack_from(data)
        if magic != MAGIC:
            raise BlocklistError("not a compiled blocklist (wrong magic bytes)")
        if version != VERSION:
            raise BlocklistError(
                f"compiled blocklist version {version}; this Waypost reads {VERSION}: recompile"
            )
        if k > 32 or not 6 <= j <= 32 or n > MAX_DOMAINS:
            raise BlocklistError("corrupt compiled blocklist (impossible header)")
        index_at = _HEADER.size + 4 * n
        bases_at = index_at + 2 * ((1 << k) + 1)
        filter_at = bases_at + 4 * (((1 << k) >> _GROUP_BITS) + 1)
        expected = filter_at + (1 << (j - 3))
        if stated != expected or size != expected:
            raise BlocklistError(
                f"truncated or corrupt compiled blocklist: {size} bytes, expected {expected}"
            )
        whole = memoryview(data)
        views = [whole]
        try:
            body = whole[_HEADER.size :]
            views.append(body)
            if zlib.crc32(body) != crc:
                raise BlocklistError("corrupt compiled blocklist (checksum mismatch)")
            raw_entries = whole[_HEADER.size : index_at]
            views.append(raw_entries)
            entries = raw_entries.cast("I")
            index = whole[index_at:bases_at].cast("H")
            bases = whole[bases_at:filter_at].cast("I")
            views += [entries, index, bases]
            end = bases[-1] + ((index[-1] - bases[-1]) & 0xFFFF)
            if bases[0] != 0 or index[0] != 0 or end != n:
                raise BlocklistError("corrupt compiled blocklist (bad index)")
            if raw_entries[::4].tobytes().translate(None, _VALID_LOW_BYTES):
                raise BlocklistError("corrupt compiled blocklist (unknown category)")
        except BaseException:
            for view in reversed(views):
                view.release()
            raise
        self._views = views
        self._entries = entries
        self._index = index
        self._bases = bases
        self._filter = whole[filter_at:]
        views.append(self._filter)
        self._count = n
        self._shift = 64 - k
        self._low = 64 - k - FINGERPRINT_BITS
        self._mask = (1 << j) - 1
        self._top = 32 - j

    @classmethod
    def open(cls, path: str | Path) -> Blocklist:
        """Map the compiled file ``path`` (read-only, shared); BlocklistError if it is not one."""
        p = Path(path)
        try:
            with p.open("rb") as f:
                if os.fstat(f.fileno()).st_size < _HEADER.size:
                    raise BlocklistError(f"{p}: not a compiled blocklist (too short)")
                mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except OSError as e:
            raise BlocklistError(f"cannot read {p}: {e.strerror or e}") from e
        try:
            opened = cls(mapped, p)
        except BlocklistError as e:
            mapped.close()
            raise BlocklistError(f"{p}: {e}") from None
        # The checks above read every page; let them go from this process's memory (they
        # stay in the OS's page cache) and fault back only the few a lookup touches, one
        # page at a time: lookups jump around the file, read-ahead would only waste memory.
        with suppress(AttributeError, OSError):
            mapped.madvise(mmap.MADV_DONTNEED)
            mapped.madvise(mmap.MADV_RANDOM)
        return opened

    @classmethod
    def from_domains(cls, domains: Mapping[str, str]) -> Blocklist:
        """An in-memory list of ``{domain: category}`` (tests, tiny lists).

        Domains are normalised (BadLine, a BlocklistError, for one that is not a host
        name); a domain given twice after normalising keeps the earlier category.
        """
        table = _Table()
        for domain, category in domains.items():
            table.add(normalise(domain), _category_index(category))
        parts, _ = table.build()
        return cls(b"".join(parts))

    def match(self, name: str) -> str | None:
        """The category of ``name`` or of its nearest listed parent; None if not listed.

        ``name`` is what the resolver parsed (lower-case ASCII, no trailing dot); ASCII
        letters are lower-cased and one trailing dot dropped anyway, since a case or dot
        slip here would be a filter bypass. Labels are compared whole: ``notexample.com``
        is not under ``example.com``. Never raises for any str; None once closed.
        """
        data = name.encode("utf-8", "surrogatepass").lower()
        if data[-1:] == b".":
            data = data[:-1]
        bits = self._filter
        mask, top = self._mask, self._top
        start = 0
        while True:
            suffix = data[start:]
            crc = zlib.crc32(suffix)
            spot, other = crc & mask, (crc * _GOLDEN & 0xFFFFFFFF) >> top
            if bits[spot >> 3] >> (spot & 7) & bits[other >> 3] >> (other & 7) & 1:
                h = int.from_bytes(blake2b(suffix, digest_size=8).digest(), "little")
                bucket = h >> self._shift
                index, bases = self._index, self._bases
                base = bases[bucket >> _GROUP_BITS]
                lo = base + ((index[bucket] - base) & 0xFFFF)
                base = bases[(bucket + 1) >> _GROUP_BITS]
                hi = base + ((index[bucket + 1] - base) & 0xFFFF)
                if hi > self._count:  # only a hand-made file: never index past the end
                    hi = self._count
                entries = self._entries
                fingerprint = (h >> self._low & _FINGERPRINT_MASK) << 4
                i = bisect_left(entries, fingerprint, lo, hi)
                if i < hi and entries[i] >> 4 == fingerprint >> 4:
                    return CATEGORIES[entries[i] & 15]
            start = data.find(b".", start) + 1
            if not start:
                return None

    def __len__(self) -> int:
        """The number of distinct domains listed."""
        return self._count

    def close(self) -> None:
        """Unmap the file; afterwards the list is empty (matches nothing). Idempotent."""
        buffer, views = self._buffer, self._views
        if buffer is None:
            return
        self._buffer = None
        self._attach(_EMPTY)
        for view in reversed(views):
            view.release()
        if isinstance(buffer, mmap.mmap):
            buffer.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


_EMPTY = b"".join(_Table().build()[0])


def is_compiled(path: str | Path) -> bool:
    """Whether ``path`` starts with the compiled format's magic bytes (False if unreadable).

    A truncated compiled file is still one (opening it then says what is wrong), so this
    reads the magic alone, not the whole header as :func:`compiled_version` does.
    """
    try:
        with Path(path).open("rb") as f:
            return f.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def compiled_version(path: str | Path) -> int | None:
    """The format version of the compiled file ``path``; None if it is not one (or unreadable)."""
    try:
        with Path(path).open("rb") as f:
            head = f.read(_HEADER.size)
    except OSError:
        return None
    if len(head) < _HEADER.size or not head.startswith(MAGIC):
        return None
    version: int = _HEADER.unpack(head)[1]
    return version


def load(path: str | Path, category: str = "adult") -> Blocklist:
    """A blocklist from ``path``, compiled or text (for ``--blocklist FILE``).

    A compiled file is mapped; a text list is compiled first, every name in
    ``category``, into a temporary file that is mapped and then deleted (the mapping
    outlives the name). Junk lines are logged as a warning, with the first few.
    """
    p = Path(path)
    _category_index(category)  # an unknown one raises, whatever the file
    if is_compiled(p):
        return Blocklist.open(p)
    import tempfile  # here, as in _write_atomically

    fd, tmp = tempfile.mkstemp(prefix="waypost-blocklist-", suffix=".bin")
    os.close(fd)
    try:
        report = compile_lists([(category, p)], tmp)
        blocklist = Blocklist.open(tmp)
    finally:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
    blocklist.path = p
    if report.problem_count:
        first = "; ".join(f"line {q.line}: {q.reason}" for q in report.problems[:3])
        log.warning("%s: %d junk lines skipped (%s)", p, report.problem_count, first)
    return blocklist
