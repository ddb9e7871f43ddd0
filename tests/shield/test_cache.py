"""The answer cache keeps raw answers for their TTL, ages them, and forgets the oldest."""

from __future__ import annotations

import dns.message
import dns.rcode
import dns.rrset

from waypost.shield.cache import Cache


def _answer(name: str = "example.test.", ttl: int = 300, rcode: int = dns.rcode.NOERROR) -> bytes:
    query = dns.message.make_query(name, "A")
    response = dns.message.make_response(query)
    response.set_rcode(rcode)
    if rcode == dns.rcode.NOERROR:
        response.answer.append(dns.rrset.from_text(name, ttl, "IN", "A", "192.0.2.1"))
    return response.to_wire()


def test_a_hit_has_the_askers_id_and_ttls_lowered_by_its_age():
    cache = Cache()
    assert cache.put(b"k", _answer(ttl=300), now=100.0) == 300
    hit = cache.get(b"k", 0xBEEF, now=130.5)
    assert hit is not None and hit[:2] == b"\xbe\xef"
    assert dns.message.from_wire(hit).answer[0].ttl == 270


def test_aging_step_by_step_gives_the_same_ttls_as_aging_once():
    """The entry keeps one aged copy and ages it further: exact for every record."""
    query = dns.message.make_query("two.test.", "A")
    response = dns.message.make_response(query)
    response.answer.append(dns.rrset.from_text("two.test.", 600, "IN", "CNAME", "b.test."))
    response.answer.append(dns.rrset.from_text("b.test.", 90, "IN", "A", "192.0.2.7"))
    cache = Cache()
    assert cache.put(b"k", response.to_wire(), now=0.0) == 90
    seen = []
    for now in (3.2, 3.9, 17.0, 17.5, 60.0, 89.9):
        hit = cache.get(b"k", 1, now=now)
        assert hit is not None
        seen.append([rrset.ttl for rrset in dns.message.from_wire(hit).answer])
    assert seen == [[597, 87], [597, 87], [583, 73], [583, 73], [540, 30], [511, 1]]
    assert cache.get(b"k", 1, now=90.0) is None


def test_an_answer_is_gone_when_its_ttl_is():
    cache = Cache()
    cache.put(b"k", _answer(ttl=10), now=0.0)
    assert cache.get(b"k", 1, now=9.9) is not None
    assert cache.get(b"k", 1, now=10.0) is None
    assert len(cache) == 0


def test_servfail_is_never_kept_and_nxdomain_without_soa_briefly():
    cache = Cache(min_ttl=5)
    assert cache.put(b"s", _answer(rcode=dns.rcode.SERVFAIL), now=0.0) == 0
    assert cache.get(b"s", 1, now=0.0) is None
    assert cache.put(b"n", _answer(rcode=dns.rcode.NXDOMAIN), now=0.0) == 5


def test_a_long_ttl_is_capped_and_the_oldest_forgotten_first():
    cache = Cache(size=2, max_ttl=60)
    assert cache.put(b"a", _answer(ttl=999_999), now=0.0) == 60
    cache.put(b"b", _answer(), now=0.0)
    cache.put(b"c", _answer(), now=0.0)
    assert cache.get(b"a", 1, now=1.0) is None
    assert cache.get(b"c", 1, now=1.0) is not None


def test_a_full_cache_forgets_its_oldest_tenth_and_a_refreshed_answer_counts_as_new():
    cache = Cache(size=20)
    for i in range(20):
        cache.put(b"k%d" % i, _answer(), now=0.0)
    cache.put(b"k0", _answer(), now=1.0)  # k0 again: now the newest
    cache.put(b"new", _answer(), now=1.0)  # 21 answers: the two oldest go (k1, k2)
    assert len(cache) == 19
    assert cache.get(b"k1", 1, now=2.0) is None
    assert cache.get(b"k2", 1, now=2.0) is None
    for key in (b"k0", b"k3", b"k19", b"new"):
        assert cache.get(key, 1, now=2.0) is not None


def test_a_malformed_answer_is_not_kept():
    assert Cache().put(b"x", b"\x00\x01\x81\x80\x00\x01\x00\x01", now=0.0) == 0
