"""Shield end to end on loopback: real DNS packets from dnspython, a real upstream behind it."""

from __future__ import annotations

import base64
import http.client
import socket
import time

import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
import pytest

from waypost.shield import rules
from waypost.shield.blocklist import Blocklist
from waypost.shield.cache import Entry

LISTS = {"blocked.test": "adult", "dating.test": "dating", "vpn.test": "bypass"}


def ask(shield, name: str, rdtype: str = "A", *, tcp: bool = False, **make) -> dns.message.Message:
    query = dns.message.make_query(name, rdtype, **make)
    host, port = shield.dns
    if tcp:
        return dns.query.tcp(query, host, port=port, timeout=5)
    return dns.query.udp(query, host, port=port, timeout=5, ignore_trailing=False)


def addresses(response: dns.message.Message) -> list[str]:
    return sorted(
        rdata.to_text()
        for rrset in response.answer
        if rrset.rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA)
        for rdata in rrset
    )


def cname_of(response: dns.message.Message) -> str | None:
    for rrset in response.answer:
        if rrset.rdtype == dns.rdatatype.CNAME:
            return rrset[0].target.to_text()
    return None


@pytest.fixture
def shield(start_shield):
    return start_shield(blocklist=Blocklist.from_domains(LISTS))


# --- forwarding, blocking ---------------------------------------------------------------------


def test_an_allowed_name_is_answered_from_the_upstream(shield):
    response = ask(shield, "allowed.test")
    assert response.rcode() == dns.rcode.NOERROR
    assert addresses(response) == ["192.0.2.10"]
    assert response.flags & dns.flags.RA
    assert response.flags & dns.flags.QR


def test_a_blocked_name_is_answered_nxdomain_with_a_short_ttl(shield):
    response = ask(shield, "blocked.test")
    assert response.rcode() == dns.rcode.NXDOMAIN
    assert response.answer == []
    (soa,) = response.authority
    assert soa.rdtype == dns.rdatatype.SOA and soa.ttl <= 60


@pytest.mark.parametrize("extra", ["www.", "a.b.", "a.b.c."])
def test_every_name_below_a_blocked_one_is_blocked(shield, extra, upstream):
    assert ask(shield, f"{extra}blocked.test").rcode() == dns.rcode.NXDOMAIN
    assert not upstream.asked  # never forwarded


def test_a_name_that_only_ends_the_same_is_not_blocked(shield):
    assert addresses(ask(shield, "notblocked.test")) == ["192.0.2.12"]


def test_blocked_in_the_other_mode_is_the_null_address(start_shield):
    shield = start_shield(blocklist=Blocklist.from_domains(LISTS), block_mode="null")
    assert addresses(ask(shield, "blocked.test")) == ["0.0.0.0"]  # noqa: S104
    assert addresses(ask(shield, "blocked.test", "AAAA")) == ["::"]
    txt = ask(shield, "blocked.test", "TXT")
    assert txt.rcode() == dns.rcode.NOERROR and txt.answer == []


def test_only_the_categories_the_policy_blocks_are_blocked(start_shield):
    policy = rules.Policy(categories=frozenset({"adult"}))
    shield = start_shield(blocklist=Blocklist.from_domains(LISTS), policy=policy)
    assert ask(shield, "blocked.test").rcode() == dns.rcode.NXDOMAIN
    assert addresses(ask(shield, "dating.test")) == ["192.0.2.13"]  # listed, not blocked here
    assert [event[1] for event in shield.resolver.stats.blocked] == ["blocked.test"]


def test_the_firefox_canary_says_there_is_no_such_name(shield, upstream):
    assert ask(shield, "use-application-dns.net").rcode() == dns.rcode.NXDOMAIN
    assert not upstream.asked


# --- accountability: counts, never names, for what is allowed ------------------------------------


def test_allowed_lookups_are_counted_and_blocked_ones_kept_with_their_names(shield):
    ask(shield, "allowed.test")
    ask(shield, "www.allowed.test")
    ask(shield, "a.blocked.test")
    stats = shield.resolver.stats
    assert sum(stats.allowed.values()) == 2
    assert all(isinstance(key, tuple) and len(key) == 2 for key in stats.allowed)
    assert "allowed.test" not in repr(dict(stats.allowed))
    (event,) = stats.blocked
    assert event[1:3] == ("a.blocked.test", "adult")


# --- SafeSearch ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "target", "address"),
    [
        ("www.google.com", "forcesafesearch.google.com.", "192.0.2.100"),
        ("google.com", "forcesafesearch.google.com.", "192.0.2.100"),
        ("www.google.co.uk", "forcesafesearch.google.com.", "192.0.2.100"),
        ("www.google.com.sg", "forcesafesearch.google.com.", "192.0.2.100"),
        ("www.google.de", "forcesafesearch.google.com.", "192.0.2.100"),
        ("www.youtube.com", "restrict.youtube.com.", "192.0.2.101"),
        ("m.youtube.com", "restrict.youtube.com.", "192.0.2.101"),
        ("www.bing.com", "strict.bing.com.", "192.0.2.103"),
        ("duckduckgo.com", "safe.duckduckgo.com.", "192.0.2.104"),
    ],
)
def test_search_engines_are_answered_with_their_safe_addresses(shield, name, target, address):
    response = ask(shield, name)
    assert response.rcode() == dns.rcode.NOERROR
    assert cname_of(response) == target
    assert addresses(response) == [address]


def test_youtube_moderate(start_shield):
    shield = start_shield(policy=rules.Policy(safesearch=rules.SafeSearch.MODERATE))
    assert cname_of(ask(shield, "www.youtube.com")) == "restrictmoderate.youtube.com."


def test_safesearch_off_forwards_as_is(start_shield):
    shield = start_shield(policy=rules.Policy(safesearch=rules.SafeSearch.OFF))
    response = ask(shield, "www.google.com")
    assert cname_of(response) is None and addresses(response) == ["192.0.2.200"]


def test_a_google_lookalike_is_not_rewritten(shield):
    assert cname_of(ask(shield, "google.example.test")) is None


# --- allow-list, block-list, lockdown ----------------------------------------------------------


def test_the_allow_list_wins_over_the_blocklist(start_shield):
    policy = rules.Policy(allow=frozenset({"blocked.test"}))
    shield = start_shield(blocklist=Blocklist.from_domains(LISTS), policy=policy)
    assert addresses(ask(shield, "blocked.test")) == ["192.0.2.66"]
    assert addresses(ask(shield, "a.b.c.blocked.test")) == ["192.0.2.67"]


def test_the_clients_own_block_list_blocks(start_shield):
    shield = start_shield(policy=rules.Policy(block=frozenset({"allowed.test"})))
    assert ask(shield, "www.allowed.test").rcode() == dns.rcode.NXDOMAIN
    assert addresses(ask(shield, "notblocked.test")) == ["192.0.2.12"]


def test_in_lockdown_only_the_allow_list_resolves(start_shield):
    policy = rules.Policy(lockdown=True, allow=frozenset({"allowed.test"}))
    shield = start_shield(policy=policy)
    assert addresses(ask(shield, "www.allowed.test")) == ["192.0.2.11"]
    assert ask(shield, "notblocked.test").rcode() == dns.rcode.NXDOMAIN
    assert shield.resolver.stats.blocked[-1][1:3] == ("notblocked.test", "lockdown")


# --- the cache, TCP, truncation -------------------------------------------------------------------


def test_a_second_lookup_comes_from_the_cache(shield, upstream):
    first = ask(shield, "allowed.test")
    second = ask(shield, "ALLOWED.test")  # any case: the same question
    assert addresses(first) == addresses(second) == ["192.0.2.10"]
    assert upstream.asked["allowed.test."] == 1
    assert second.answer[0].ttl <= first.answer[0].ttl


def test_tcp_is_answered_like_udp(shield):
    assert addresses(ask(shield, "allowed.test", tcp=True)) == ["192.0.2.10"]
    assert ask(shield, "blocked.test", tcp=True).rcode() == dns.rcode.NXDOMAIN


def test_a_large_answer_is_fetched_over_tcp_and_truncated_for_a_small_udp_client(shield):
    small = ask(shield, "big.test")  # no EDNS: 512 bytes at most
    assert small.flags & dns.flags.TC
    full = ask(shield, "big.test", tcp=True)
    assert len(addresses(full)) == 60
    roomy = ask(shield, "big.test", use_edns=0, payload=4096)
    assert not roomy.flags & dns.flags.TC and len(addresses(roomy)) == 60


# --- when things go wrong ------------------------------------------------------------------------


def test_an_upstream_that_does_not_answer_gets_servfail_quickly(start_shield, upstream):
    shield = start_shield(timeout=0.5)
    upstream.down = True
    began = time.monotonic()
    response = ask(shield, "allowed.test")
    assert response.rcode() == dns.rcode.SERVFAIL
    assert time.monotonic() - began < 3
    upstream.down = False  # and it recovers: SERVFAIL is not cached
    assert addresses(ask(shield, "allowed.test")) == ["192.0.2.10"]


def test_garbage_gets_formerr_or_nothing_and_the_server_keeps_answering(shield):
    host, port = shield.dns
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(0.5)
        for junk in (
            b"",
            b"\x00",
            b"\x12\x34" + b"\xff" * 40,
            b"\x12\x34\x00\x00\x00\x01" + b"\x00" * 6,
        ):
            sock.sendto(junk, (host, port))
            try:
                answer, _ = sock.recvfrom(4096)
            except TimeoutError:
                continue
            assert answer[:2] == junk[:2] and answer[2] & 0x80  # an answer to it, QR set
            assert answer[3] & 0x0F in (1, 4)  # FORMERR or NOTIMP
        # a response is never answered (no reflection loops)
        sock.sendto(b"\x12\x34\x81\x80" + b"\x00" * 8, (host, port))
        with pytest.raises(TimeoutError):
            sock.recvfrom(4096)
    assert addresses(ask(shield, "allowed.test")) == ["192.0.2.10"]


def test_a_flood_from_one_source_is_cut_to_its_rate(start_shield):
    shield = start_shield(rate_limit=5)  # 5 a second, 10 at once
    host, port = shield.dns
    query = dns.message.make_query("blocked.test", "A").to_wire()
    answered = 0
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(0.3)
        for _ in range(50):
            sock.sendto(query, (host, port))
        while True:
            try:
                sock.recvfrom(4096)
            except TimeoutError:
                break
            answered += 1
    # the burst of 10, and a few more as the bucket refills while a busy machine catches up
    assert 10 <= answered <= 20
    assert shield.resolver.stats.dropped >= 30


# --- DNS over HTTPS ------------------------------------------------------------------------------


def _doh(shield, method: str, path: str, body: bytes | None = None, headers=None):
    host, port = shield.doh
    connection = http.client.HTTPConnection(host, port, timeout=5)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response, response.read()


def test_doh_get_and_post_answer_like_plain_dns(shield):
    wire = dns.message.make_query("allowed.test", "A").to_wire()
    encoded = base64.urlsafe_b64encode(wire).rstrip(b"=").decode()
    got, body = _doh(shield, "GET", f"/dns-query?dns={encoded}")
    assert got.status == 200 and got.getheader("Content-Type") == "application/dns-message"
    assert addresses(dns.message.from_wire(body)) == ["192.0.2.10"]
    max_age = int(got.getheader("Cache-Control").split("=")[1])
    assert 0 < max_age <= 300
    posted, body = _doh(
        shield, "POST", "/dns-query", wire, {"Content-Type": "application/dns-message"}
    )
    assert posted.status == 200
    assert addresses(dns.message.from_wire(body)) == ["192.0.2.10"]
    blocked = dns.message.make_query("blocked.test", "A").to_wire()
    posted, body = _doh(
        shield, "POST", "/dns-query", blocked, {"Content-Type": "application/dns-message"}
    )
    assert dns.message.from_wire(body).rcode() == dns.rcode.NXDOMAIN
    assert int(posted.getheader("Cache-Control").split("=")[1]) <= 60


@pytest.mark.parametrize(
    ("method", "path", "body", "headers", "status"),
    [
        ("PUT", "/dns-query", b"x", {"Content-Type": "application/dns-message"}, 405),
        ("DELETE", "/dns-query", None, {}, 405),
        ("GET", "/dns-query", None, {}, 400),  # no dns parameter
        ("GET", "/dns-query?dns=***", None, {}, 400),  # not base64url
        ("GET", "/dns-query?dns=AAAA", None, {}, 400),  # base64url, not a DNS query
        ("POST", "/dns-query", b"abc", {"Content-Type": "text/plain"}, 415),
        ("GET", "/somewhere-else", None, {}, 404),
        ("GET", "/dns-query/some-device-token", None, {}, 404),  # standalone: no devices
    ],
)
def test_doh_says_what_is_wrong_with_a_bad_request(shield, method, path, body, headers, status):
    got, _body = _doh(shield, method, path, body, headers)
    assert got.status == status
    if status == 405:
        assert got.getheader("Allow") == "GET, POST"
    # and the server still answers
    wire = dns.message.make_query("allowed.test", "A").to_wire()
    posted, answer = _doh(
        shield, "POST", "/dns-query", wire, {"Content-Type": "application/dns-message"}
    )
    assert posted.status == 200


def test_doh_keeps_the_connection_for_several_queries(shield):
    host, port = shield.doh
    connection = http.client.HTTPConnection(host, port, timeout=5)
    for name in ("allowed.test", "blocked.test", "www.allowed.test"):
        wire = dns.message.make_query(name, "A").to_wire()
        connection.request(
            "POST", "/dns-query", body=wire, headers={"Content-Type": "application/dns-message"}
        )
        response = connection.getresponse()
        assert response.status == 200
        response.read()


# --- repeats: the same query again, answered without parsing or deciding -----------------------


def _same_query_twice(shield, name: str) -> tuple[bytes, bytes]:
    """The same query bytes (but the id) sent twice; the two raw answers."""
    wire = bytearray(dns.message.make_query(name, "A").to_wire())
    answers = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(5)
        for query_id in (0x0101, 0x0202):
            wire[:2] = query_id.to_bytes(2, "big")
            sock.sendto(bytes(wire), shield.dns)
            answer, _ = sock.recvfrom(4096)
            assert answer[:2] == query_id.to_bytes(2, "big")
            answers.append(answer)
    return answers[0], answers[1]


def test_a_repeated_query_is_answered_and_counted_again(shield, upstream):
    first, second = _same_query_twice(shield, "allowed.test")
    assert first[2:] == second[2:]
    assert upstream.asked["allowed.test."] == 1
    assert sum(shield.resolver.stats.allowed.values()) == 2
    first, second = _same_query_twice(shield, "x.blocked.test")
    assert dns.message.from_wire(second).rcode() == dns.rcode.NXDOMAIN
    assert [event[1] for event in shield.resolver.stats.blocked] == ["x.blocked.test"] * 2


def test_a_repeat_ages_its_ttls(shield):
    _same_query_twice(shield, "allowed.test")
    (table,) = shield.resolver._repeats.values()
    for entry in table.values():
        entry.stored -= 100  # the cache's entry, shared: stored 100 seconds earlier
    _first, second = _same_query_twice(shield, "allowed.test")
    assert dns.message.from_wire(second).answer[0].ttl == 200  # 300 - 100


def test_a_remembered_answer_is_the_caches_own_entry_not_a_copy(shield):
    """One copy of an allowed answer, however it is reached: less memory per name."""
    _same_query_twice(shield, "allowed.test")
    _same_query_twice(shield, "x.blocked.test")
    (table,) = shield.resolver._repeats.values()
    allowed = [entry for entry in table.values() if isinstance(entry, Entry)]
    blocked = [entry for entry in table.values() if isinstance(entry, tuple)]
    assert len(allowed) == len(blocked) == 1
    assert any(allowed[0] is entry for entry in shield.resolver.cache._entries.values())
    assert blocked[0][2:] == ("x.blocked.test", "adult")


def test_new_lists_forget_the_remembered_answers(shield):
    _same_query_twice(shield, "allowed.test")
    shield.call(
        lambda: setattr(
            shield.resolver, "blocklist", Blocklist.from_domains({"allowed.test": "adult"})
        )
    )
    _first, second = _same_query_twice(shield, "allowed.test")
    assert dns.message.from_wire(second).rcode() == dns.rcode.NXDOMAIN
