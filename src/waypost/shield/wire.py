"""DNS messages by hand (RFC 1035, RFC 3596, RFC 6891 EDNS) for the resolver's hot path.

Every lookup of every client device passes through ``parse_query`` and, on a cache hit,
``with_id`` and ``age_ttls``, so this module works on ``bytes`` with precompiled
``struct.Struct`` objects and C-level ``bytes`` methods instead of a general DNS library.
It is standard library only and imports nothing from Django: the resolver must keep
answering while the web app and the database are down.

Robustness: whatever arrives, the parsers return or raise :class:`FormatError` (a
``ValueError``); indexing past the end, bad pointers, loops and absurd counts are all
turned into it, and the work done is bounded by the message length.

Names as text. ``Question.name`` and the owner names :func:`read_answer` returns are
lower-case, dot-separated, without the trailing dot (``""`` is the root), labels as on
the wire (punycode stays punycode); names given to :func:`answer` are written as given.
A query whose name holds a byte outside ``0x21..0x7e``, a ``.`` or a ``\\`` inside a
label is rejected: no real client sends one, and refusing them keeps the text form a
plain, unambiguous round trip of the wire. Answers from upstream are never refused for
such bytes: :func:`wire_to_name` writes them in the presentation format's escapes
(``\\.``, ``\\\\``, ``\\DDD``), which :func:`name_to_wire` reads back.
"""

from __future__ import annotations

import functools
import socket
import struct
from collections.abc import Sequence
from dataclasses import dataclass


class FormatError(ValueError):
    """A malformed DNS message (or name): the server answers FORMERR or drops it."""


class NotImplementedOpcode(FormatError):
    """A well-formed query header whose opcode is not QUERY (0): answered NOTIMP."""


# Record types, classes and response codes.
A, NS, CNAME, SOA, PTR, MX, TXT, AAAA, SRV, OPT, SVCB, HTTPS, ANY = (
    1,
    2,
    5,
    6,
    12,
    15,
    16,
    28,
    33,
    41,
    64,
    65,
    255,
)
NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, REFUSED = 0, 1, 2, 3, 4, 5
IN = 1

#: The EDNS UDP payload size Shield announces (the DNS Flag Day 2020 value: no IP
#: fragmentation on ordinary paths).
EDNS_PAYLOAD = 1232

# Header flag bits.
_QR = 0x8000
_OPCODE = 0x7800
_TC = 0x0200
_RD = 0x0100
_RA = 0x0080
_CD = 0x0010
# OPT TTL field: extended rcode (8 bits), version (8 bits), then the DO bit on top of flags.
_DO = 0x8000

_HEADER = struct.Struct("!HHHHHH")
# The header after the id: flags and the four counts.
_HEADER_TAIL = struct.Struct("!HHHHH")
_U16 = struct.Struct("!H")
_U32 = struct.Struct("!I")
_TYPE_CLASS = struct.Struct("!HH")
# type, class, TTL, rdlength: what follows an owner name.
_RR = struct.Struct("!HHIH")
_SOA_TAIL = struct.Struct("!IIIII")

_MAX_NAME = 255  # octets of a wire name, the final zero included
_MAX_HOPS = 127  # compression pointers followed for one name: more labels cannot fit
_TTL_MAX = 0x7FFFFFFF  # RFC 2181 §8: a TTL with the top bit set counts as zero

# Bytes a label may hold in the plain text form: printable ASCII except "." and "\".
_PLAIN = bytes(b for b in range(0x21, 0x7F) if b not in b".\\")

# The last byte of ``Question.key``: whether the query had EDNS, and its DO bit.
_KEY_NO_EDNS = b"\x00"
_KEY_EDNS = b"\x01"
_KEY_EDNS_DO = b"\x03"

# Root name + OPT RR with Shield's payload size; TTL carries only the DO bit.
_OPT_PLAIN = b"\x00" + _RR.pack(OPT, EDNS_PAYLOAD, 0, 0)
_OPT_DO = b"\x00" + _RR.pack(OPT, EDNS_PAYLOAD, _DO, 0)

# Where the domain names sit in the rdata of the types whose names may be compressed
# (RFC 3597 §4 lists those of RFC 1035; SRV's target is decompressed too, harmlessly):
# (fixed octets before, number of names, fixed octets after).
_RDATA_NAMES: dict[int, tuple[int, int, int]] = {
    NS: (0, 1, 0),
    CNAME: (0, 1, 0),
    PTR: (0, 1, 0),
    MX: (2, 1, 0),
    SRV: (6, 1, 0),
    SOA: (0, 2, 20),
}


@dataclass(slots=True, frozen=True)
class Question:
    """A parsed query: what the resolver needs to answer it, and its cache key.

    ``key`` is the lower-cased wire name, the qtype and qclass octets, and one byte
    telling the response's shape: 0 without EDNS, 1 with EDNS, 3 with EDNS and the DO
    bit. EDNS presence is in the key because a response carries an OPT record exactly
    when its query did (RFC 6891 §7), so cached bytes must not cross between the two.
    """

    id: int
    flags: int
    name: str
    qtype: int
    qclass: int
    key: bytes
    edns_size: int | None
    dnssec_ok: bool


@dataclass(slots=True, frozen=True)
class Record:
    """A resource record: ``rdata`` holds any domain names uncompressed (wire form)."""

    name: str
    rtype: int
    rclass: int
    ttl: int
    rdata: bytes


# -- names -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def name_to_wire(name: str) -> bytes:
    """The uncompressed wire form of a text name (trailing dot optional, ``""`` = root).

    Cached: the resolver encodes the same few names (the blocked query's, SafeSearch
    targets) over and over. Non-ASCII names must be IDNA-encoded by the caller;
    ``\\.``, ``\\\\`` and ``\\DDD`` escapes are understood. Raises FormatError for an
    empty label, a label over 63 octets or a name over 255.
    """
    if "\\" in name:
        labels = _unescape_labels(name)
    elif name in ("", "."):
        return b"\x00"
    else:
        if name[-1] == ".":
            name = name[:-1]
        try:
            labels = name.encode("ascii").split(b".")
        except UnicodeEncodeError:
            raise FormatError(f"name is not ASCII (IDNA-encode it first): {name!r}") from None
    out = bytearray()
    for label in labels:
        if not 0 < len(label) <= 63:
            raise FormatError(f"empty or over-long label in {name!r}")
        out.append(len(label))
        out += label
    out.append(0)
    if len(out) > _MAX_NAME:
        raise FormatError(f"name over {_MAX_NAME} octets: {name!r}")
    return bytes(out)


def _unescape_labels(name: str) -> list[bytes]:
    """Split a presentation-format name with backslash escapes into its labels."""
    labels: list[bytes] = []
    label = bytearray()
    i, end = 0, len(name)
    while i < end:
        char = name[i]
        if char == "\\":
            digits = name[i + 1 : i + 4]
            if len(digits) == 3 and digits.isascii() and digits.isdigit():
                value = int(digits)
                if value > 255:
                    raise FormatError(f"bad escape in {name!r}")
                label.append(value)
                i += 4
                continue
            if i + 1 >= end:
                raise FormatError(f"dangling backslash in {name!r}")
            char = name[i + 1]
            i += 1
        elif char == ".":
            labels.append(bytes(label))
            label.clear()
            i += 1
            continue
        code = ord(char)
        if code > 0x7F:
            raise FormatError(f"name is not ASCII (IDNA-encode it first): {name!r}")
        label.append(code)
        i += 1
    if label:
        labels.append(bytes(label))
    return labels


def wire_to_name(wire: bytes) -> str:
    """The text form of one uncompressed wire name (e.g. a CNAME's rdata from read_answer).

    Lower-cased, no trailing dot; bytes outside printable ASCII, ``.`` and ``\\`` inside
    a label are escaped so :func:`name_to_wire` gives the same name back.
    """
    labels: list[bytes] = []
    pos = 0
    try:
        while length := wire[pos]:
            if length > 63:
                raise FormatError("compression pointer or bad label type in a plain name")
            labels.append(wire[pos + 1 : pos + 1 + length])
            pos += 1 + length
    except IndexError:
        raise FormatError("name runs past its end") from None
    if pos + 1 != len(wire) or pos >= _MAX_NAME:
        raise FormatError("name has trailing bytes or is over 255 octets")
    return _labels_to_text(labels)


def _labels_to_text(labels: list[bytes]) -> str:
    """Join labels into the lower-case text form, escaping only where it must."""
    joined = b".".join(labels).lower()
    if len(joined.translate(None, _PLAIN)) == len(labels) - 1 or not labels:
        return joined.decode("ascii")
    return ".".join(_escape_label(label) for label in labels)


def _escape_label(label: bytes) -> str:
    """One label in presentation format (RFC 1035 §5.1 escapes)."""
    out = []
    for byte in label.lower():
        if byte in b".\\":
            out.append("\\" + chr(byte))
        elif 0x21 <= byte <= 0x7E:
            out.append(chr(byte))
        else:
            out.append(f"\\{byte:03d}")
    return "".join(out)


def _question_name(data: bytes) -> tuple[int, bytes, str]:
    """The question at offset 12: (offset of its name's final zero, lower-cased wire name, text).

    Stricter than a general name reader: no compression pointer, and no byte outside
    ``0x21..0x7e``, ``.`` or ``\\`` inside a label — so the first zero byte after the header
    ends the name, found by one C-level ``find``. Real traffic asks the same names again
    and again, so the text of each valid wire name is remembered (a bounded dict, emptied
    when full: a flood of distinct names costs what no cache would, never more memory).
    Validity does not depend on letter case, so the lower-cased wire name is the key.
    """
    end = data.find(0, 12, 12 + _MAX_NAME)
    if end < 0:
        raise FormatError("question name unterminated or over 255 octets")
    if end + 5 > len(data):
        raise FormatError("question truncated")
    wire = data[12 : end + 1].lower()
    text = _NAMES.get(wire)
    if text is None:
        labels = []
        pos, last = 0, end - 12
        while pos < last:
            length = wire[pos]
            nxt = pos + 1 + length
            if length > 63 or nxt > last:
                raise FormatError("compression pointer, bad label type or zero byte in question")
            labels.append(wire[pos + 1 : nxt])
            pos = nxt
        joined = b".".join(labels)
        if labels and len(joined.translate(None, _PLAIN)) != len(labels) - 1:
            raise FormatError("question name holds a byte outside printable ASCII, '.' or '\\'")
        text = joined.decode("ascii")
        if len(_NAMES) >= _NAMES_MAX:
            _NAMES.clear()
        _NAMES[wire] = text
    return end, wire, text


_NAMES: dict[bytes, str] = {}
_NAMES_MAX = 1024


# -- queries -----------------------------------------------------------------------------


def parse_query(data: bytes) -> Question:
    """Parse a client's query: one question, QR clear, opcode 0, optional EDNS.

    Raises NotImplementedOpcode for a well-formed header with another opcode, FormatError
    for anything else malformed (see the module docstring for the bytes refused in a
    name). The additional section is read only for an OPT record: if it is malformed
    after a good question, the query is answered without EDNS rather than refused, the
    way a resolver that knew no EDNS would. The first OPT record counts; its version is
    not checked (answered as version 0). Bytes after the counted records are ignored.
    """
    if len(data) < 12:
        raise FormatError("shorter than a header")
    ident, flags, qdcount, ancount, nscount, arcount = _HEADER.unpack_from(data)
    if flags & _QR:
        raise FormatError("a response, not a query")
    if flags & _OPCODE:
        raise NotImplementedOpcode(f"opcode {(flags & _OPCODE) >> 11}")
    if qdcount != 1:
        raise FormatError(f"{qdcount} questions")
    end, wire, name = _question_name(data)
    pos = end + 5
    edns_size: int | None = None
    dnssec_ok = False
    if arcount:
        opt = _find_opt(data, pos, ancount + nscount, arcount)
        if opt >= 0:
            payload = (data[opt + 3] << 8) | data[opt + 4]
            edns_size = 512 if payload < 512 else 4096 if payload > 4096 else payload
            dnssec_ok = bool(data[opt + 7] & 0x80)
    return Question(
        ident,
        flags,
        name,
        (data[end + 1] << 8) | data[end + 2],
        (data[end + 3] << 8) | data[end + 4],
        wire
        + data[end + 1 : end + 5]
        + (_KEY_NO_EDNS if edns_size is None else _KEY_EDNS_DO if dnssec_ok else _KEY_EDNS),
        edns_size,
        dnssec_ok,
    )


def _find_opt(data: bytes, pos: int, skip: int, arcount: int) -> int:
    """Offset of the first OPT record (its root owner name) in the additional section.

    ``skip`` answer/authority records come first. -1 when there is none or anything
    before it is malformed: the caller then answers without EDNS.
    """
    n = len(data)
    # The common case first: the OPT record straight after the question.
    if not skip and data[pos : pos + 3] == b"\x00\x00\x29" and pos + 11 <= n:
        return pos if pos + 11 + ((data[pos + 9] << 8) | data[pos + 10]) <= n else -1
    try:
        for _ in range(skip):
            pos = _skip_name(data, pos) + 10
            pos += (data[pos - 2] << 8) | data[pos - 1]
        for _ in range(arcount):
            start = pos
            pos = _skip_name(data, pos) + 10
            if pos > n:
                return -1
            pos += (data[pos - 2] << 8) | data[pos - 1]
            if data[start] == 0 and data[start + 1] == 0 and data[start + 2] == OPT:
                return start if pos <= n else -1
    except (IndexError, FormatError):
        return -1
    return -1


def _skip_name(data: bytes | bytearray, pos: int) -> int:
    """The offset after a (possibly compressed) name, without following pointers."""
    while True:
        length = data[pos]
        if length == 0:
            return pos + 1
        if length >= 0xC0:
            return pos + 2
        if length > 63:
            raise FormatError("bad label type")
        pos += 1 + length


# -- building responses ------------------------------------------------------------------


def a_record(name: str, ttl: int, address: str) -> Record:
    """An A record, e.g. ``a_record(q.name, 60, "0.0.0.0")`` for a blocked name."""
    try:
        return Record(name, A, IN, ttl, socket.inet_pton(socket.AF_INET, address))
    except OSError:
        raise ValueError(f"not an IPv4 address: {address!r}") from None


def aaaa_record(name: str, ttl: int, address: str) -> Record:
    """An AAAA record, e.g. ``aaaa_record(q.name, 60, "::")`` for a blocked name."""
    try:
        return Record(name, AAAA, IN, ttl, socket.inet_pton(socket.AF_INET6, address))
    except OSError:
        raise ValueError(f"not an IPv6 address: {address!r}") from None


def cname_record(name: str, ttl: int, target: str) -> Record:
    """A CNAME record (SafeSearch: ``www.google.com`` → ``forcesafesearch.google.com``)."""
    return Record(name, CNAME, IN, ttl, name_to_wire(target))


_SOA_NAMES = name_to_wire("shield.invalid") + name_to_wire("hostmaster.shield.invalid")


def soa_record(zone: str, ttl: int) -> Record:
    """A synthetic SOA for the authority section of negative answers.

    RFC 2308: resolvers cache a negative answer for min(SOA TTL, SOA minimum), so both
    are ``ttl``. The server names are under ``.invalid`` (RFC 6761): nothing to contact.
    """
    try:
        tail = _SOA_TAIL.pack(1, 3600, 600, 86400, ttl)
    except struct.error:
        raise ValueError(f"TTL out of range: {ttl}") from None
    return Record(zone, SOA, IN, ttl, _SOA_NAMES + tail)


def answer(
    q: Question, rcode: int, records: Sequence[Record] = (), *, authority: Sequence[Record] = ()
) -> bytes:
    """A response to ``q`` with ``rcode`` (0..15), the answer and authority records.

    QR and RA set, AA and TC clear, RD and CD copied from the query, the question echoed
    (lower-cased), and an OPT record (payload 1232, DO copied) when the query had EDNS.
    Owner names equal to the question name are written as a pointer to it; every other
    name is written uncompressed. Raises ValueError for an rcode, TTL or rdata that
    does not fit its field.
    """
    if not 0 <= rcode <= 15:
        raise ValueError(f"rcode {rcode} needs EDNS extended rcodes, which Shield never sends")
    qname = q.name
    try:
        parts = [
            _HEADER.pack(
                q.id,
                _QR | _RA | (q.flags & (_RD | _CD)) | rcode,
                1,
                len(records),
                len(authority),
                0 if q.edns_size is None else 1,
            ),
            name_to_wire(qname),
            _TYPE_CLASS.pack(q.qtype, q.qclass),
        ]
        for section in (records, authority):
            for record in section:
                parts.append(b"\xc0\x0c" if record.name == qname else name_to_wire(record.name))
                parts.append(_RR.pack(record.rtype, record.rclass, record.ttl, len(record.rdata)))
                parts.append(record.rdata)
    except struct.error as exc:
        raise ValueError(f"record field out of range: {exc}") from None
    if q.edns_size is not None:
        parts.append(_OPT_DO if q.dnssec_ok else _OPT_PLAIN)
    return b"".join(parts)


def error_response(data: bytes, rcode: int) -> bytes | None:
    """A minimal response with ``rcode`` to whatever arrived, or None to stay silent.

    The id, opcode, RD and CD are echoed, and the question when it parses (as it came,
    case kept); no OPT record. None for fewer than 12 bytes or a packet with QR set:
    answering responses would let two servers (or a spoofed source) loop forever.
    """
    if not 0 <= rcode <= 15:
        raise ValueError(f"rcode {rcode} needs EDNS extended rcodes, which Shield never sends")
    if len(data) < 12 or data[2] & 0x80:
        return None
    flags = _QR | _RA | (_U16.unpack_from(data, 2)[0] & (_OPCODE | _RD | _CD)) | rcode
    if data[4:6] == b"\x00\x01":
        try:
            end, _, _ = _question_name(data)
        except FormatError:
            pass
        else:
            return data[:2] + _HEADER_TAIL.pack(flags, 1, 0, 0, 0) + data[12 : end + 5]
    return data[:2] + _HEADER_TAIL.pack(flags, 0, 0, 0, 0)


# -- reading and rewriting responses -----------------------------------------------------


def read_answer(message: bytes) -> tuple[int, list[Record]]:
    """An upstream response's rcode and its answer-section records, names decompressed.

    Owner names come as text (:func:`wire_to_name`); the domain names inside NS, CNAME,
    PTR, MX, SOA and SRV rdata are written uncompressed, other rdata is copied as is.
    Raises FormatError for a query (QR clear), pointer loops, pointers forward or out of
    range, truncated records or rdata whose names do not fill it exactly. Work is
    bounded: each pointer target is decompressed once per message and each name follows
    at most 127 pointers. The rcode is the header's 4 bits (no EDNS extended rcode).
    """
    try:
        if len(message) < 12:
            raise FormatError("shorter than a header")
        _, flags, qdcount, ancount, _, _ = _HEADER.unpack_from(message)
        if not flags & _QR:
            raise FormatError("not a response")
        pos = 12
        for _ in range(qdcount):
            pos = _skip_name(message, pos) + 4
        n = len(message)
        if pos > n:
            raise FormatError("question truncated")
        suffixes: dict[int, bytes] = {}
        texts: dict[bytes, str] = {}
        records = []
        for _ in range(ancount):
            wire, pos = _read_name(message, pos, suffixes)
            rtype, rclass, ttl, rdlength = _RR.unpack_from(message, pos)
            pos += 10
            rdend = pos + rdlength
            if rdend > n:
                raise FormatError("rdata runs past the end")
            layout = _RDATA_NAMES.get(rtype)
            if layout is None:
                rdata = message[pos:rdend]
            else:
                rdata = _read_rdata(message, pos, rdend, layout, suffixes)
            pos = rdend
            text = texts.get(wire)
            if text is None:
                text = texts[wire] = wire_to_name(wire)
            records.append(Record(text, rtype, rclass, ttl, rdata))
        return flags & 0xF, records
    except (IndexError, struct.error):
        raise FormatError("message truncated") from None


def _read_rdata(
    message: bytes, pos: int, rdend: int, layout: tuple[int, int, int], suffixes: dict[int, bytes]
) -> bytes:
    """Rdata with its domain names decompressed; they must fill it exactly."""
    before, names, after = layout
    parts = [message[pos : pos + before]]
    pos += before
    for _ in range(names):
        wire, pos = _read_name(message, pos, suffixes)
        parts.append(wire)
    parts.append(message[pos : pos + after])
    if pos + after != rdend:
        raise FormatError("rdata length does not match its names")
    return b"".join(parts)


def _read_name(message: bytes, pos: int, suffixes: dict[int, bytes]) -> tuple[bytes, int]:
    """Decompress the name at ``pos``: (its uncompressed wire form, the offset after it).

    Pointers must point backwards (RFC 1035: to a prior occurrence) and at most
    ``_MAX_HOPS`` are followed. ``suffixes`` remembers what each pointer target decoded
    to, so a message of thousands of records pointing into long chains costs each chain
    once, not once per record.
    """
    out = bytearray()
    after = -1
    targets: list[tuple[int, int]] = []
    hops = 0
    while True:
        length = message[pos]
        if length == 0:
            out.append(0)
            if after < 0:
                after = pos + 1
            break
        if length >= 0xC0:
            target = ((length & 0x3F) << 8) | message[pos + 1]
            if after < 0:
                after = pos + 2
            if target >= pos:
                raise FormatError("compression pointer does not point backwards")
            known = suffixes.get(target)
            if known is not None:
                out += known
                break
            hops += 1
            if hops > _MAX_HOPS:
                raise FormatError("too many compression pointers")
            targets.append((target, len(out)))
            pos = target
            continue
        if length > 63:
            raise FormatError("bad label type")
        out += message[pos : pos + 1 + length]
        pos += 1 + length
        if len(out) >= _MAX_NAME:
            raise FormatError("name over 255 octets")
    if len(out) > _MAX_NAME:
        raise FormatError("name over 255 octets")
    wire = bytes(out)
    for target, start in targets:
        suffixes[target] = wire[start:]
    return wire, after


def _records(message: bytes, sections: int) -> tuple[int, list[int]]:
    """Offsets of the type field of each record in the first ``sections`` RR sections.

    Also returns the offset just after the question section. Names are skipped, not
    decompressed; counts larger than the message runs out of bytes → FormatError.
    """
    if len(message) < 12:
        raise FormatError("shorter than a header")
    counts = _HEADER.unpack_from(message)
    pos = 12
    for _ in range(counts[2]):
        pos = _skip_name(message, pos) + 4
    question_end = pos
    n = len(message)
    offsets = []
    for _ in range(sum(counts[3 : 3 + sections])):
        pos = _skip_name(message, pos)
        offsets.append(pos)
        pos += 10
        if pos > n:
            raise FormatError("record truncated")
        pos += (message[pos - 2] << 8) | message[pos - 1]
    if pos > n:
        raise FormatError("rdata runs past the end")
    return question_end, offsets


def with_id(message: bytes, id: int) -> bytes:
    """The same message with another id: a cached answer sent to a new query."""
    if len(message) < 12:
        raise FormatError("shorter than a header")
    try:
        return _U16.pack(id) + message[2:]
    except struct.error:
        raise ValueError(f"id out of range: {id}") from None


def rcode_of(message: bytes) -> int:
    """The header's 4-bit response code (upstream SERVFAIL, NXDOMAIN … before caching)."""
    if len(message) < 12:
        raise FormatError("shorter than a header")
    return message[3] & 0xF


def min_ttl(message: bytes) -> int | None:
    """The smallest TTL in the answer and authority sections: how long to cache it.

    OPT records do not count. The minimum field of an SOA in the authority section counts
    too (RFC 2308 §5: a negative answer is cached for min(SOA TTL, SOA minimum)). TTLs
    with the top bit set count as 0 (RFC 2181 §8). None when there are no records;
    FormatError when malformed.
    """
    try:
        _, offsets = _records(message, 2)
        ancount = (message[6] << 8) | message[7]
        best: int | None = None
        for index, pos in enumerate(offsets):
            rtype = (message[pos] << 8) | message[pos + 1]
            if rtype == OPT:
                continue
            ttl = _U32.unpack_from(message, pos + 4)[0]
            if ttl > _TTL_MAX:
                ttl = 0
            if rtype == SOA and index >= ancount:
                rdlength = (message[pos + 8] << 8) | message[pos + 9]
                if rdlength < 22:
                    raise FormatError("SOA rdata too short")
                minimum = _U32.unpack_from(message, pos + 6 + rdlength)[0]
                if minimum < ttl:
                    ttl = minimum
            if best is None or ttl < best:
                best = ttl
        return best
    except (IndexError, struct.error):
        raise FormatError("message truncated") from None


def age_ttls(message: bytes, seconds: int) -> bytes:
    """The message with every RR's TTL (OPT's excepted) lowered by ``seconds``, floor 0.

    For cache hits: the client must see how long the answer has left, not the TTL it
    had when it was cached. TTLs with the top bit set become 0 (RFC 2181 §8).
    """
    if seconds < 0:
        raise ValueError("seconds must not be negative")
    buf = bytearray(message)
    n = len(buf)
    if n < 12:
        raise FormatError("shorter than a header")
    unpack, pack = _U32.unpack_from, _U32.pack_into
    try:
        pos = 12
        for _ in range((buf[4] << 8) | buf[5]):
            pos = _skip_name(buf, pos) + 4
        for _ in range(
            ((buf[6] << 8) | buf[7]) + ((buf[8] << 8) | buf[9]) + ((buf[10] << 8) | buf[11])
        ):
            # Owner names of cached answers are mostly a pointer: skip those inline.
            pos = pos + 2 if buf[pos] >= 0xC0 else _skip_name(buf, pos)
            if pos + 10 > n:
                raise FormatError("record truncated")
            if buf[pos] or buf[pos + 1] != OPT:
                ttl = unpack(buf, pos + 4)[0]
                pack(buf, pos + 4, ttl - seconds if seconds < ttl <= _TTL_MAX else 0)
            pos += 10 + ((buf[pos + 8] << 8) | buf[pos + 9])
    except IndexError:
        raise FormatError("message truncated") from None
    if pos > n:
        raise FormatError("rdata runs past the end")
    return bytes(buf)


def truncate(message: bytes, limit: int) -> bytes:
    """The message if it fits in ``limit`` bytes, else a truncated reply (TC set).

    The truncated reply is the header, the question and — when the message had one and
    it fits — the OPT record (RFC 6891 §7: a truncated response keeps its OPT, so the
    client does not conclude the server lacks EDNS). The client retries over TCP.
    """
    if len(message) <= limit:
        return message
    try:
        question_end, offsets = _records(message, 3)
        _, flags, qdcount, ancount, nscount, _ = _HEADER.unpack_from(message)
        opt = b""
        start = question_end
        for index, pos in enumerate(offsets):
            end = pos + 10 + ((message[pos + 8] << 8) | message[pos + 9])
            if index >= ancount + nscount and pos == start + 1 and message[pos + 1] == OPT:
                opt = message[start:end]
                break
            start = end
        if question_end + len(opt) > limit:
            opt = b""
        header = _HEADER_TAIL.pack(flags | _TC, qdcount, 0, 0, 1 if opt else 0)
        return message[:2] + header + message[12:question_end] + opt
    except (IndexError, struct.error):
        raise FormatError("message truncated") from None
