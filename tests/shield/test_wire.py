"""The hand-written DNS wire format against dnspython, and against hostile bytes.

dnspython is the reference: the queries it builds must parse to the right Question, and
every message the module builds must be accepted by it and say what was meant. Hostile
input (pointer loops, out-of-range pointers, absurd counts, fuzzed bytes) must end in
FormatError or the documented value, quickly, and never in another exception.
"""

from __future__ import annotations

import contextlib
import struct
import time
from collections.abc import Callable
from typing import Any

import dns.flags
import dns.message
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import pytest
from hypothesis import given
from hypothesis import strategies as st

from waypost.shield import wire
from waypost.shield.wire import (
    AAAA,
    CNAME,
    FORMERR,
    HTTPS,
    IN,
    NOERROR,
    NOTIMP,
    NXDOMAIN,
    OPT,
    SERVFAIL,
    SOA,
    FormatError,
    NotImplementedOpcode,
    Question,
    Record,
    a_record,
    aaaa_record,
    age_ttls,
    answer,
    cname_record,
    error_response,
    min_ttl,
    name_to_wire,
    parse_query,
    rcode_of,
    read_answer,
    soa_record,
    truncate,
    wire_to_name,
    with_id,
)

# What Shield answers for a blocked name: an address in an answer, not one bound to.
UNSPECIFIED = "0.0.0.0"  # noqa: S104
HEADER = struct.Struct("!HHHHHH")
RR = struct.Struct("!HHIH")


def query(name: str, rdtype: str = "A", **kwargs: Any) -> bytes:
    """A query from dnspython, with a fixed id so the fuzz samples are the same each run."""
    message = dns.message.make_query(name, rdtype, **kwargs)
    message.id = 0x4242
    return message.to_wire()


def header(flags: int = 0, qd: int = 1, an: int = 0, ns: int = 0, ar: int = 0) -> bytes:
    return HEADER.pack(0x1234, flags, qd, an, ns, ar)


# -- parse_query ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "rdtype", "expected_name", "qtype"),
    [
        ("www.example.com", "A", "www.example.com", 1),
        ("WwW.ExAmPlE.CoM.", "AAAA", "www.example.com", AAAA),
        ("_dmarc.example.org", "TXT", "_dmarc.example.org", 16),
        ("xn--bcher-kva.example", "HTTPS", "xn--bcher-kva.example", HTTPS),
        (".", "NS", "", 2),
        ("a.b.c.d.e.f.g.example.net", "ANY", "a.b.c.d.e.f.g.example.net", 255),
    ],
)
def test_queries_from_dnspython_parse_to_their_question(name, rdtype, expected_name, qtype):
    message = dns.message.make_query(name, rdtype)
    q = parse_query(message.to_wire())
    assert (q.id, q.flags) == (message.id, message.flags)
    assert (q.name, q.qtype, q.qclass) == (expected_name, qtype, IN)
    assert q.edns_size is None
    assert q.dnssec_ok is False


@pytest.mark.parametrize(
    ("kwargs", "edns_size", "dnssec_ok"),
    [
        ({"use_edns": 0}, 1232, False),
        ({"use_edns": 0, "payload": 4096}, 4096, False),
        ({"use_edns": 0, "payload": 100}, 512, False),
        ({"use_edns": 0, "payload": 65000}, 4096, False),
        ({"want_dnssec": True}, 1232, True),
    ],
)
def test_edns_size_is_clamped_and_the_do_bit_read(kwargs, edns_size, dnssec_ok):
    kwargs.setdefault("payload", 1232)
    q = parse_query(query("example.com", **kwargs))
    assert (q.edns_size, q.dnssec_ok) == (edns_size, dnssec_ok)


def test_equal_questions_have_equal_keys_whatever_the_case():
    keys = {parse_query(query(name)).key for name in ("example.com", "EXAMPLE.COM", "eXaMpLe.cOm")}
    assert len(keys) == 1
    assert keys.pop().startswith(b"\x07example\x03com\x00\x00\x01\x00\x01")


def test_keys_tell_apart_type_class_edns_and_do():
    keys = [
        parse_query(query("example.com", "A")).key,
        parse_query(query("example.com", "AAAA")).key,
        parse_query(query("example.com", "A", rdclass="CH")).key,
        parse_query(query("example.com", "A", use_edns=0)).key,
        parse_query(query("example.com", "A", want_dnssec=True)).key,
        parse_query(query("example.org", "A")).key,
    ]
    assert len(set(keys)) == len(keys)


def test_type_octets_are_not_lower_cased_into_the_key():
    # HTTPS is type 65 = b"A" in its low octet; lower-casing it would make it type 97.
    https = parse_query(query("example.com", "HTTPS")).key
    type97 = parse_query(query("example.com", "TYPE97")).key
    assert https != type97
    assert parse_query(query("example.com", "HTTPS")).qtype == HTTPS


def test_rd_and_cd_flags_are_kept_in_the_question():
    message = dns.message.make_query("example.com", "A")
    message.flags |= dns.flags.CD
    q = parse_query(message.to_wire())
    assert q.flags & 0x0110 == 0x0110


def test_opt_found_after_other_records_and_trailing_bytes_ignored():
    question = b"\x07example\x03com\x00\x00\x01\x00\x01"
    answer_rr = b"\xc0\x0c" + RR.pack(1, 1, 60, 4) + b"\x01\x02\x03\x04"
    other = b"\x03key\x00" + RR.pack(250, 255, 0, 2) + b"\x00\x00"  # a TSIG-like record
    opt = b"\x00" + RR.pack(OPT, 2048, 0x8000, 0)
    data = header(an=1, ar=2) + question + answer_rr + other + opt + b"junk after the end"
    q = parse_query(data)
    assert (q.name, q.edns_size, q.dnssec_ok) == ("example.com", 2048, True)


@pytest.mark.parametrize(
    "additional",
    [
        b"\x00\x00\x29\x04",  # OPT cut in the middle
        b"\x00" + RR.pack(OPT, 4096, 0, 10) + b"\x00",  # OPT rdata longer than the message
        b"\xff\xff",  # a bad label type
        b"",  # counted but absent
    ],
)
def test_garbage_after_a_good_question_is_answered_without_edns(additional):
    data = header(ar=1) + b"\x07example\x03com\x00\x00\x01\x00\x01" + additional
    q = parse_query(data)
    assert q.name == "example.com"
    assert q.edns_size is None
    assert q.key[-1] == 0


def test_a_non_query_opcode_is_not_implemented():
    message = dns.message.make_query("example.com", "SOA")
    message.set_opcode(dns.opcode.NOTIFY)
    with pytest.raises(NotImplementedOpcode):
        parse_query(message.to_wire())


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x12\x34\x01\x00\x00\x01",  # shorter than a header
        header(flags=0x8000) + b"\x00\x00\x01\x00\x01",  # a response
        header(qd=0),
        header(qd=2) + b"\x00\x00\x01\x00\x01" * 2,
        header() + b"\x07example\x03com",  # unterminated
        header() + b"\x07example\x03com\x00\x00\x01",  # qtype/qclass cut
        header() + b"\x03www\xc0\x0c\x00\x01\x00\x01",  # compression pointer
        header() + b"\xc0\x0c\x00\x01\x00\x01",
        header() + b"\x40" + b"a" * 64 + b"\x00\x00\x01\x00\x01",  # label over 63
        header() + b"\x03a.b\x03com\x00\x00\x01\x00\x01",  # a dot inside a label
        header() + b"\x03a b\x03com\x00\x00\x01\x00\x01",  # a space
        header() + b"\x03a\\b\x03com\x00\x00\x01\x00\x01",  # a backslash
        header() + b"\x03a\xe9b\x03com\x00\x00\x01\x00\x01",  # not ASCII
        header() + b"\x03a\x00b\x03com\x00\x00\x01\x00\x01",  # a zero byte in a label
        header() + b"\x3f" + b"a" * 63 + (b"\x3f" + b"b" * 63) * 3 + b"\x00\x00\x01\x00\x01",
    ],
)
def test_malformed_queries_raise_format_error(data):
    with pytest.raises(FormatError):
        parse_query(data)


def test_a_name_of_exactly_255_octets_is_accepted():
    name = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 61])
    assert len(name_to_wire(name)) == 255
    assert parse_query(query(name)).name == name


def test_the_name_cache_stays_bounded_under_a_flood_of_distinct_names():
    for i in range(wire._NAMES_MAX + 100):
        parse_query(header() + name_to_wire(f"n{i}.example") + b"\x00\x01\x00\x01")
    assert len(wire._NAMES) <= wire._NAMES_MAX
    assert parse_query(query("N5.Example")).name == "n5.example"


# -- answer ---------------------------------------------------------------------------------


def test_a_blocked_answer_is_what_dnspython_reads():
    message = dns.message.make_query("Ads.Example.com", "A", use_edns=0)
    q = parse_query(message.to_wire())
    response = dns.message.from_wire(answer(q, NOERROR, [a_record(q.name, 60, UNSPECIFIED)]))
    assert response.id == message.id
    assert response.rcode() == dns.rcode.NOERROR
    assert response.flags & dns.flags.QR
    assert response.flags & dns.flags.RA
    assert response.flags & dns.flags.RD
    assert not response.flags & (dns.flags.AA | dns.flags.TC | dns.flags.CD)
    assert response.opcode() == 0
    assert [str(r.name) for r in response.question] == ["ads.example.com."]
    assert response.question[0].rdtype == dns.rdatatype.A
    (rrset,) = response.answer
    assert (str(rrset.name), rrset.ttl, [r.to_text() for r in rrset]) == (
        "ads.example.com.",
        60,
        [UNSPECIFIED],
    )
    assert response.edns == 0
    assert response.payload == wire.EDNS_PAYLOAD
    assert not response.ednsflags & dns.flags.DO


def test_opt_is_present_exactly_when_the_query_had_edns_and_do_is_copied():
    plain = dns.message.from_wire(answer(parse_query(query("example.com")), NOERROR))
    assert plain.edns == -1
    assert plain.additional == []
    signed = dns.message.from_wire(
        answer(parse_query(query("example.com", want_dnssec=True)), NOERROR)
    )
    assert signed.edns == 0
    assert signed.ednsflags & dns.flags.DO


def test_rd_and_cd_are_copied_from_the_query():
    message = dns.message.make_query("example.com", "A")
    message.flags = dns.flags.CD  # RD clear, CD set
    response = dns.message.from_wire(answer(parse_query(message.to_wire()), NOERROR))
    assert not response.flags & dns.flags.RD
    assert response.flags & dns.flags.CD


def test_nxdomain_with_a_synthetic_soa():
    q = parse_query(query("casino.example", "AAAA", use_edns=0))
    data = answer(q, NXDOMAIN, authority=[soa_record("casino.example", 30)])
    response = dns.message.from_wire(data)
    assert response.rcode() == dns.rcode.NXDOMAIN
    assert response.answer == []
    (rrset,) = response.authority
    soa = rrset[0]
    assert (str(rrset.name), rrset.ttl, rrset.rdtype) == ("casino.example.", 30, SOA)
    assert str(soa.mname) == "shield.invalid."
    assert soa.minimum == 30
    assert min_ttl(data) == 30


def test_safesearch_cname_and_addresses_read_back():
    q = parse_query(query("WWW.google.com", "AAAA"))
    records = [
        cname_record(q.name, 300, "forcesafesearch.google.com"),
        aaaa_record("forcesafesearch.google.com", 120, "2001:db8::1"),
    ]
    response = dns.message.from_wire(answer(q, NOERROR, records))
    assert [(str(r.name), r.rdtype, r.ttl, r[0].to_text()) for r in response.answer] == [
        ("www.google.com.", CNAME, 300, "forcesafesearch.google.com."),
        ("forcesafesearch.google.com.", AAAA, 120, "2001:db8::1"),
    ]


@pytest.mark.parametrize("rcode", [NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, wire.REFUSED])
def test_each_rcode_is_written(rcode):
    q = parse_query(query("example.com"))
    assert dns.message.from_wire(answer(q, rcode)).rcode() == rcode


def test_out_of_range_fields_are_value_errors():
    q = parse_query(query("example.com"))
    with pytest.raises(ValueError):
        answer(q, 16)
    with pytest.raises(ValueError):
        answer(q, NOERROR, [Record("example.com", 1, IN, -1, b"\x00" * 4)])
    with pytest.raises(ValueError):
        answer(q, NOERROR, [Record("example.com", 16, IN, 1, b"x" * 70000)])
    with pytest.raises(ValueError):
        a_record("example.com", 60, "::1")
    with pytest.raises(ValueError):
        aaaa_record("example.com", 60, "256.0.0.1")
    with pytest.raises(ValueError):
        soa_record("example.com", -5)


def test_a_hand_built_question_is_answered_from_its_fields():
    q = Question(7, 0x0100, "Example.ORG", 1, IN, b"opaque", None, False)
    response = dns.message.from_wire(answer(q, NOERROR, [a_record(q.name, 5, "192.0.2.7")]))
    assert response.id == 7
    assert str(response.question[0].name).lower() == "example.org."
    assert response.answer[0][0].to_text() == "192.0.2.7"


# -- error_response -------------------------------------------------------------------------


def test_error_response_never_answers_a_response_or_a_short_packet():
    reply = answer(parse_query(query("example.com")), NOERROR)
    assert error_response(reply, FORMERR) is None
    assert error_response(b"\x12\x34\x81\x80" + b"\x00" * 8, FORMERR) is None  # QR set
    for length in range(12):
        assert error_response(b"\x00" * length, FORMERR) is None


def test_error_response_echoes_the_id_and_the_question_as_it_came():
    message = dns.message.make_query("Odd.Example.com", "MX")
    response = dns.message.from_wire(error_response(message.to_wire(), SERVFAIL))
    assert response.id == message.id
    assert response.rcode() == dns.rcode.SERVFAIL
    assert response.flags & dns.flags.QR
    assert str(response.question[0].name) == "Odd.Example.com."
    assert response.question[0].rdtype == dns.rdatatype.MX


def test_error_response_to_an_unparsable_question_has_only_a_header():
    data = header(an=3) + b"\x03www\xc0\x0c\x00\x01\x00\x01garbage"
    reply = error_response(data, FORMERR)
    assert reply is not None
    assert reply[:2] == b"\x12\x34"
    response = dns.message.from_wire(reply)
    assert response.rcode() == dns.rcode.FORMERR
    assert response.question == []
    assert len(reply) == 12


def test_notimp_echoes_the_opcode():
    message = dns.message.make_query("example.com", "SOA")
    message.set_opcode(dns.opcode.NOTIFY)
    response = dns.message.from_wire(error_response(message.to_wire(), NOTIMP))
    assert response.opcode() == dns.opcode.NOTIFY
    assert response.rcode() == dns.rcode.NOTIMP


# -- read_answer ----------------------------------------------------------------------------


def upstream(qname: str, rdtype: str, *rrsets: dns.rrset.RRset) -> bytes:
    """A compressed response from dnspython, in a fixed order (one rdata per RRset, as
    dnspython shuffles the rdatas of an RRset on the wire)."""
    response = dns.message.make_response(dns.message.from_wire(query(qname, rdtype)))
    for rrset in rrsets:
        for rdata in rrset:
            response.answer.append(dns.rrset.from_rdata(rrset.name, rrset.ttl, rdata))
    return response.to_wire()


def expected(*rrsets: dns.rrset.RRset) -> list[Record]:
    return [
        Record(
            rrset.name.to_text(omit_final_dot=True).lower(),
            int(rrset.rdtype),
            int(rrset.rdclass),
            rrset.ttl,
            rdata.to_wire(),  # names uncompressed, case as given
        )
        for rrset in rrsets
        for rdata in rrset
    ]


RRSETS = {
    "cname chain": [
        dns.rrset.from_text("www.example.com.", 300, "IN", "CNAME", "edge.example.com."),
        dns.rrset.from_text("edge.example.com.", 60, "IN", "CNAME", "a1.cdn.example.net."),
        dns.rrset.from_text("a1.cdn.example.net.", 20, "IN", "A", "192.0.2.1", "192.0.2.2"),
    ],
    "aaaa": [dns.rrset.from_text("www.example.com.", 300, "IN", "AAAA", "2001:db8::1")],
    "mx": [
        dns.rrset.from_text(
            "www.example.com.", 300, "IN", "MX", "10 mx1.example.com.", "20 www.example.com."
        )
    ],
    "soa": [
        dns.rrset.from_text(
            "www.example.com.",
            300,
            "IN",
            "SOA",
            "ns1.example.com. hostmaster.example.com. 2024010101 7200 900 1209600 86400",
        )
    ],
    "ns ptr srv txt": [
        dns.rrset.from_text("www.example.com.", 300, "IN", "NS", "ns1.example.com."),
        dns.rrset.from_text("1.2.0.192.in-addr.arpa.", 300, "IN", "PTR", "www.example.com."),
        dns.rrset.from_text(
            "_sip._tcp.example.com.", 30, "IN", "SRV", "10 5 5060 www.example.com."
        ),
        dns.rrset.from_text("www.example.com.", 30, "IN", "TXT", '"v=spf1 -all"'),
    ],
}


@pytest.mark.parametrize("case", sorted(RRSETS))
def test_read_answer_decompresses_what_dnspython_compressed(case):
    rrsets = RRSETS[case]
    data = upstream("www.example.com", "A", *rrsets)
    assert b"\xc0" in data[30:]  # dnspython did compress
    rcode, records = read_answer(data)
    assert rcode == NOERROR
    assert records == expected(*rrsets)


def test_read_answer_gives_the_rcode_and_ignores_authority():
    data = dns.message.make_response(dns.message.make_query("nx.example", "A"))
    data.set_rcode(dns.rcode.NXDOMAIN)
    data.authority.append(
        dns.rrset.from_text("example.", 60, "IN", "SOA", "a.example. b.example. 1 2 3 4 5")
    )
    assert read_answer(data.to_wire()) == (NXDOMAIN, [])


def test_read_answer_escapes_odd_bytes_so_the_name_round_trips():
    rrset = dns.rrset.from_text("a\\.b\\032C.example.com.", 300, "IN", "A", "1.2.3.4")
    (record,) = read_answer(upstream("example.com", "A", rrset))[1]
    assert record.name == "a\\.b\\032c.example.com"
    assert name_to_wire(record.name) == rrset.name.to_wire().lower()


def test_read_answer_refuses_a_query():
    with pytest.raises(FormatError):
        read_answer(query("example.com"))


RESPONSE = 0x8180
QUESTION = b"\x07example\x03com\x00\x00\x01\x00\x01"


def rr(owner: bytes, rtype: int = 1, rdata: bytes = b"\x01\x02\x03\x04") -> bytes:
    return owner + RR.pack(rtype, 1, 60, len(rdata)) + rdata


@pytest.mark.parametrize(
    "data",
    [
        # A pointer to itself (offset 29, just after the question).
        header(RESPONSE, an=1) + QUESTION + rr(b"\xc0\x1d"),
        # Two pointers pointing at each other.
        header(RESPONSE, an=1) + QUESTION + rr(b"\xc0\x1f\xc0\x1d"),
        # A label, then a pointer back to it: a loop that grows the name.
        header(RESPONSE, an=1) + QUESTION + rr(b"\x01a\xc0\x1d"),
        # A pointer beyond the end.
        header(RESPONSE, an=1) + QUESTION + rr(b"\xff\xff"),
        header(RESPONSE, an=1) + QUESTION + rr(b"\xc0"),
        # A forward pointer (to the record's own rdata).
        header(RESPONSE, an=1) + QUESTION + rr(b"\xc0\x30"),
        # A label longer than the message.
        header(RESPONSE, an=1) + QUESTION + b"\x3fabc",
        # The reserved label types 0x40 and 0x80.
        header(RESPONSE, an=1) + QUESTION + rr(b"\x41\x00"),
        header(RESPONSE, an=1) + QUESTION + rr(b"\x80\x00"),
        # Absurd counts.
        header(RESPONSE, qd=65535, an=65535) + QUESTION,
        header(RESPONSE, an=65535) + QUESTION + rr(b"\xc0\x0c"),
        # Rdata running past the end.
        header(RESPONSE, an=1) + QUESTION + b"\xc0\x0c" + RR.pack(1, 1, 60, 400) + b"\x01",
        # A CNAME whose name does not fill its rdata, and one whose name overruns it.
        header(RESPONSE, an=1) + QUESTION + rr(b"\xc0\x0c", CNAME, b"\xc0\x0c\x00"),
        header(RESPONSE, an=1) + QUESTION + rr(b"\xc0\x0c", CNAME, b"\x03abc") + b"\x00",
        # A CNAME whose rdata pointer loops.
        header(RESPONSE, an=1) + QUESTION + rr(b"\xc0\x0c", CNAME, b"\xc0\x29"),
        # A name over 255 octets through pointers: 64 octets in front of a 205-octet one.
        header(RESPONSE, an=2)
        + QUESTION
        + rr(b"".join(b"\x3f" + bytes([c]) * 63 for c in b"abc") + b"\xc0\x0c")
        + rr(b"\x3f" + b"e" * 63 + b"\xc0\x1d"),
    ],
)
def test_read_answer_refuses_malicious_messages(data):
    with pytest.raises(FormatError):
        read_answer(data)


def test_hostile_compression_work_is_bounded():
    # 40 questions of 126 one-letter labels, then as many records as fit, each owner a
    # pointer to a different label: the most decompression one 64 KiB message can ask.
    region = b"\x01a" * 126 + b"\x00\x00\x01\x00\x01"
    body = region * 40
    records = b""
    for q in range(40):
        for k in range(126):
            target = 12 + q * len(region) + 2 * k
            records += bytes([0xC0 | target >> 8, target & 0xFF]) + RR.pack(1, 1, 0, 0)
    count = (65535 - 12 - len(body)) // 12
    data = HEADER.pack(1, RESPONSE, 40, count, 0, 0) + body + records[: count * 12]
    started = time.perf_counter()
    assert len(read_answer(data)[1]) == count
    assert min_ttl(data) == 0
    assert age_ttls(data, 1) == data
    assert truncate(data, 512)[2] & 0x02
    assert time.perf_counter() - started < 1.0


# -- cache helpers --------------------------------------------------------------------------


def cached_answer() -> bytes:
    q = parse_query(query("www.example.com", use_edns=0))
    return answer(
        q,
        NOERROR,
        [
            cname_record(q.name, 300, "cdn.example.net"),
            a_record("cdn.example.net", 45, "192.0.2.9"),
        ],
        authority=[soa_record("example.net", 90)],
    )


def test_with_id_changes_only_the_id():
    data = cached_answer()
    other = with_id(data, 0xBEEF)
    assert other[:2] == b"\xbe\xef"
    assert other[2:] == data[2:]
    assert dns.message.from_wire(other).id == 0xBEEF
    with pytest.raises(FormatError):
        with_id(b"\x00" * 5, 1)
    with pytest.raises(ValueError):
        with_id(data, 70000)


def test_rcode_of():
    q = parse_query(query("example.com"))
    assert rcode_of(answer(q, NXDOMAIN)) == NXDOMAIN
    assert rcode_of(answer(q, SERVFAIL)) == SERVFAIL
    with pytest.raises(FormatError):
        rcode_of(b"\x00\x01")


def test_min_ttl_counts_answer_and_authority_not_opt():
    data = cached_answer()
    assert min_ttl(data) == 45
    nodata = answer(parse_query(query("example.com", use_edns=0)), NOERROR)
    assert min_ttl(nodata) is None


def test_min_ttl_follows_rfc_2308_and_2181():
    soa = dns.rrset.from_text("example.", 600, "IN", "SOA", "a.example. b.example. 1 2 3 4 30")
    response = dns.message.make_response(dns.message.make_query("nx.example", "A"))
    response.authority.append(soa)
    assert min_ttl(response.to_wire()) == 30  # the SOA minimum is lower than its TTL
    assert min_ttl(upstream("example.", "SOA", soa)) == 600  # an SOA answer is not negative
    huge = header(RESPONSE, an=1) + QUESTION + b"\xc0\x0c" + RR.pack(1, 1, 0x80000000, 4) + b"1234"
    assert min_ttl(huge) == 0


@pytest.mark.parametrize(
    "data",
    [
        b"\x00" * 11,
        header(RESPONSE, an=1) + QUESTION + b"\xc0\x0c" + RR.pack(1, 1, 60, 8) + b"1234",
        header(RESPONSE, an=1) + QUESTION + b"\xc0\x0c\x00\x01",
    ],
)
def test_min_ttl_and_age_ttls_refuse_malformed_messages(data):
    with pytest.raises(FormatError):
        min_ttl(data)
    with pytest.raises(FormatError):
        age_ttls(data, 1)


def test_min_ttl_refuses_an_soa_too_short_for_its_minimum():
    data = header(RESPONSE, ns=1) + QUESTION + b"\xc0\x0c" + RR.pack(SOA, 1, 60, 4) + b"1234"
    with pytest.raises(FormatError):
        min_ttl(data)


def test_age_ttls_lowers_every_ttl_but_opts_not_below_zero():
    data = cached_answer()
    aged = dns.message.from_wire(age_ttls(data, 60))
    assert [rrset.ttl for rrset in aged.answer] == [240, 0]
    assert [rrset.ttl for rrset in aged.authority] == [30]
    assert aged.edns == 0
    assert aged.payload == wire.EDNS_PAYLOAD
    assert age_ttls(data, 0) == data
    with pytest.raises(ValueError):
        age_ttls(data, -1)


def test_age_ttls_also_ages_the_additional_section():
    response = dns.message.make_response(dns.message.make_query("example.com", "NS"))
    response.answer.append(dns.rrset.from_text("example.com.", 100, "IN", "NS", "ns.example.com."))
    response.additional.append(dns.rrset.from_text("ns.example.com.", 50, "IN", "A", "192.0.2.53"))
    aged = dns.message.from_wire(age_ttls(response.to_wire(), 20))
    assert [aged.answer[0].ttl, aged.additional[0].ttl] == [80, 30]


def test_truncate_keeps_header_question_and_opt():
    q = parse_query(query("big.example", "TXT", want_dnssec=True))
    records = [Record(q.name, 16, IN, 60, b"\xff" + b"x" * 255) for _ in range(10)]
    data = answer(q, NOERROR, records)
    assert truncate(data, len(data)) is data
    short = truncate(data, 512)
    assert len(short) <= 512
    response = dns.message.from_wire(short)
    assert response.flags & dns.flags.TC
    assert response.id == q.id
    assert str(response.question[0].name) == "big.example."
    assert response.answer == []
    assert response.edns == 0
    assert response.ednsflags & dns.flags.DO
    # A limit too small even for the OPT record: header and question only.
    assert dns.message.from_wire(truncate(data, 20)).edns == -1


def test_truncate_without_edns():
    q = parse_query(query("big.example", "TXT"))
    data = answer(q, NOERROR, [Record(q.name, 16, IN, 60, b"\xff" + b"x" * 255)] * 3)
    response = dns.message.from_wire(truncate(data, 512))
    assert response.flags & dns.flags.TC
    assert response.edns == -1
    assert len(response.question) == 1


# -- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encoded"),
    [
        ("", b"\x00"),
        (".", b"\x00"),
        ("example.com.", b"\x07example\x03com\x00"),
        ("Example.com", b"\x07Example\x03com\x00"),
        ("a\\.b.c", b"\x03a.b\x01c\x00"),
        ("a\\\\b\\032\\255.c.", b"\x05a\\b \xff\x01c\x00"),
    ],
)
def test_name_to_wire(name, encoded):
    assert name_to_wire(name) == encoded


@pytest.mark.parametrize(
    "name", ["a..b", ".a", "a" * 64, "é.example", "a\\", "a\\256", ".".join(["a" * 63] * 4)]
)
def test_name_to_wire_refuses_bad_names(name):
    with pytest.raises(FormatError):
        name_to_wire(name)


@pytest.mark.parametrize(
    "data", [b"", b"\x03ab", b"\x01a\x00\x00", b"\xc0\x0c", b"\x41a\x00", b"\x01a"]
)
def test_wire_to_name_refuses_bad_wire(data):
    with pytest.raises(FormatError):
        wire_to_name(data)


labels = st.lists(st.binary(min_size=1, max_size=20), max_size=8)


@given(labels)
def test_any_wire_name_round_trips_through_its_text(parts):
    encoded = b"".join(bytes([len(p)]) + p for p in parts) + b"\x00"
    text = wire_to_name(encoded)
    assert name_to_wire(text) == encoded.lower()
    assert text == text.lower()


# -- fuzzing --------------------------------------------------------------------------------

PARSERS: list[Callable[[bytes], object]] = [
    parse_query,
    read_answer,
    min_ttl,
    rcode_of,
    lambda data: age_ttls(data, 30),
    lambda data: truncate(data, 24),
    lambda data: with_id(data, 1),
    wire_to_name,
]


def everything_survives(data: bytes) -> None:
    """Every parser returns or raises FormatError; what parses can be answered."""
    for parser in PARSERS:
        with contextlib.suppress(FormatError):
            parser(data)
    reply = error_response(data, FORMERR)
    if reply is not None:
        assert reply[:2] == data[:2]
        assert reply[2] & 0x80
        assert rcode_of(reply) == FORMERR
    try:
        q = parse_query(data)
    except FormatError:
        return
    response = dns.message.from_wire(answer(q, NOERROR, [a_record(q.name, 5, UNSPECIFIED)]))
    assert response.id == q.id
    assert (response.edns >= 0) == (q.edns_size is not None)


SAMPLES = [
    query("www.example.com", want_dnssec=True),
    query("Mixed.Case.example", "AAAA"),
    upstream("www.example.com", "A", *RRSETS["cname chain"]),
    upstream("www.example.com", "A", *RRSETS["soa"], *RRSETS["mx"]),
    upstream("www.example.com", "A", *RRSETS["ns ptr srv txt"]),
    cached_answer(),
]


@given(st.binary(max_size=600))
def test_arbitrary_bytes(data):
    everything_survives(data)


@given(st.binary(max_size=40))
def test_arbitrary_bytes_after_a_plausible_header(tail):
    everything_survives(header(ar=1) + tail)
    everything_survives(header(RESPONSE, an=3, ns=1, ar=1) + tail)


@given(st.sampled_from(SAMPLES), st.lists(st.integers(min_value=0), min_size=1, max_size=6))
def test_bit_flips(sample, flips):
    data = bytearray(sample)
    for flip in flips:
        data[flip // 8 % len(data)] ^= 1 << flip % 8
    everything_survives(bytes(data))


@given(st.sampled_from(SAMPLES), st.integers(min_value=0), st.integers(0, 0x3FFF))
def test_random_pointers(sample, where, target):
    at = where % (len(sample) - 1)
    data = sample[:at] + struct.pack("!H", 0xC000 | target) + sample[at + 2 :]
    everything_survives(data)


@pytest.mark.parametrize("index", range(len(SAMPLES)))
def test_truncation_at_every_length(index):
    sample = SAMPLES[index]
    for length in range(len(sample)):
        everything_survives(sample[:length])
