"""Each device has its own identity: a DoH path, a DoT name (TLS SNI), a router's address."""

from __future__ import annotations

import datetime
import http.client
import ssl

import dns.message
import dns.query
import dns.rcode
import dns.rrset
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from waypost.shield import server
from waypost.shield.blocklist import Blocklist

LISTS = {"blocked.test": "adult"}


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory) -> tuple[str, str]:
    """A self-signed certificate for shield.test and *.shield.test, and its key (PEM files)."""
    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "shield.test")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("shield.test"), x509.DNSName("*.shield.test")]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_file), str(key_file)


@pytest.fixture(scope="module")
def tls(tls_files) -> ssl.SSLContext:
    """The server context Shield makes of the test certificate."""
    return server.tls_context(*tls_files)


def _client_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
    return context


class Known(server.Identities):
    """Two devices: a phone by token, a home router by its address."""

    standalone = False

    def __init__(self, *, router: str | None = "127.0.0.1") -> None:
        self.router = router

    def by_token(self, token: str) -> str | None:
        return {"tok1": "phone-1"}.get(token)

    def by_address(self, address: str) -> str | None:
        return "router-1" if address == self.router else None


def dot(shield, name: str, server_name: str) -> dns.message.Message:
    host, port = shield.listeners.dot[0]
    query = dns.message.make_query(name, "A")
    return dns.query.tls(
        query,
        host,
        port=port,
        timeout=5,
        ssl_context=_client_context(),
        server_hostname=server_name,
    )


def test_dot_knows_the_device_by_the_name_it_asked_for(start_shield, tls):
    shield = start_shield(blocklist=Blocklist.from_domains(LISTS), tls=tls, identities=Known())
    assert dot(shield, "allowed.test", "tok1.shield.test").rcode() == dns.rcode.NOERROR
    assert dot(shield, "www.blocked.test", "TOK1.shield.test").rcode() == dns.rcode.NXDOMAIN
    stats = shield.resolver.stats
    assert stats.blocked[-1][:3] == ("phone-1", "www.blocked.test", "adult")
    assert [device for device, _hour in stats.allowed] == ["phone-1"]


def test_dot_with_an_unknown_name_gets_nothing(start_shield, tls):
    shield = start_shield(tls=tls, identities=Known())
    with pytest.raises((EOFError, ConnectionError, ssl.SSLError, dns.exception.DNSException)):
        dot(shield, "allowed.test", "someone-else.shield.test")
    assert not shield.resolver.stats.allowed


def test_standalone_dot_answers_whatever_the_name(start_shield, tls):
    shield = start_shield(tls=tls)
    assert dot(shield, "allowed.test", "anything.example").rcode() == dns.rcode.NOERROR


def _doh_post(shield, path: str) -> tuple[int, bytes]:
    host, port = shield.doh
    connection = http.client.HTTPConnection(host, port, timeout=5)
    wire = dns.message.make_query("blocked.test", "A").to_wire()
    connection.request("POST", path, body=wire, headers={"Content-Type": "application/dns-message"})
    response = connection.getresponse()
    return response.status, response.read()


def test_doh_knows_the_device_by_its_path(start_shield):
    shield = start_shield(blocklist=Blocklist.from_domains(LISTS), identities=Known())
    status, body = _doh_post(shield, "/dns-query/tok1")
    assert status == 200 and dns.message.from_wire(body).rcode() == dns.rcode.NXDOMAIN
    assert shield.resolver.stats.blocked[-1][0] == "phone-1"
    assert _doh_post(shield, "/dns-query/unknown")[0] == 404
    assert _doh_post(shield, "/dns-query")[0] == 404  # with devices, no anonymous address


def test_plain_dns_is_the_device_linked_to_the_address(start_shield):
    shield = start_shield(blocklist=Blocklist.from_domains(LISTS), identities=Known())
    host, port = shield.dns
    query = dns.message.make_query("a.blocked.test", "A")
    assert dns.query.udp(query, host, port=port, timeout=5).rcode() == dns.rcode.NXDOMAIN
    assert shield.resolver.stats.blocked[-1][0] == "router-1"


def test_plain_dns_from_an_unknown_address_is_refused(start_shield):
    shield = start_shield(identities=Known(router="192.0.2.1"))
    host, port = shield.dns
    query = dns.message.make_query("allowed.test", "A")
    assert dns.query.udp(query, host, port=port, timeout=5).rcode() == dns.rcode.REFUSED
    with pytest.raises((EOFError, ConnectionError, dns.exception.DNSException)):
        dns.query.tcp(query, host, port=port, timeout=5)
    assert not shield.resolver.stats.allowed


# --- DNS-over-TLS to the upstream ---------------------------------------------------------------


def test_an_upstream_over_tls_is_asked_and_its_connection_kept(start_shield, tls, tls_files):
    import asyncio

    from waypost.shield.upstream import Server, Upstream

    # the upstream: another Shield, answering DNS-over-TLS in front of the test zone
    upstream_shield = start_shield(tls=tls)
    host, port = upstream_shield.listeners.dot[0]
    trusted = ssl.create_default_context(cafile=tls_files[0])
    message = dns.message.make_query("allowed.test", "A").to_wire()

    async def ask_twice(name: str) -> tuple[list[bytes], int]:
        upstream = Upstream([Server.parse(f"tls://{host}:{port}#{name}")], timeout=2, tls=trusted)
        try:
            answers = [await upstream.query(message) for _ in range(2)]
            return answers, sum(len(kept) for kept in upstream._idle.values())
        finally:
            upstream.close()

    answers, kept = asyncio.run(ask_twice("dns.shield.test"))
    for answer in answers:
        assert answer[:2] == message[:2]
        assert dns.message.from_wire(answer).answer[0][0].to_text() == "192.0.2.10"
    assert kept == 1  # one connection, used for both
    # a certificate that does not name the server is refused: no answer from it
    from waypost.shield.upstream import UpstreamError

    with pytest.raises(UpstreamError):
        asyncio.run(ask_twice("elsewhere.example"))


def test_upstream_addresses_are_read_with_their_defaults():
    from waypost.shield.upstream import Server

    assert Server.parse("tls://9.9.9.9#dns.quad9.net") == Server(
        "9.9.9.9", 853, tcp_only=True, tls_name="dns.quad9.net"
    )
    assert str(Server.parse("tls://[2620:fe::fe]")) == "tls://[2620:fe::fe]:853"
    assert Server.parse("192.0.2.1") == Server("192.0.2.1", 53)
    assert Server.parse("tcp://192.0.2.1:5353") == Server("192.0.2.1", 5353, tcp_only=True)
    assert Server.parse("https://9.9.9.9#dns.quad9.net") == Server(
        "9.9.9.9", 443, tcp_only=True, tls_name="dns.quad9.net", https_path="/dns-query"
    )
    doh = Server.parse("https://[2620:fe::fe]:8443/resolve")
    assert (doh.port, doh.https_path, doh.tls_name) == (8443, "/resolve", "2620:fe::fe")
    assert str(doh) == "https://[2620:fe::fe]:8443/resolve"
    for bad in (
        "ftp://dns.example",
        "udp://:53",
        "192.0.2.1:99999",
        "tls://9.9.9.9/path",
        "https://dns.example/dns-query?dns=x",
        "https://dns.example/a b",
    ):
        with pytest.raises(ValueError):
            Server.parse(bad)


# --- DNS-over-HTTPS to the upstream ---------------------------------------------------------------


def _https_upstream(shield, tls) -> tuple[str, int]:
    """A TLS listener in front of ``shield``'s own DoH handler (standalone: /dns-query)."""
    import asyncio

    async def listen():
        doh = server.DoHServer(shield.resolver, server.Identities())
        listener = await asyncio.start_server(doh.handle, "127.0.0.1", 0, ssl=tls)
        return listener

    listener = asyncio.run_coroutine_threadsafe(listen(), shield.loop).result(5)
    return listener.sockets[0].getsockname()[:2]


def test_an_upstream_over_https_is_asked_and_its_connection_kept(start_shield, tls, tls_files):
    import asyncio

    from waypost.shield.upstream import Server, Upstream, UpstreamError

    host, port = _https_upstream(start_shield(), tls)
    trusted = ssl.create_default_context(cafile=tls_files[0])
    message = dns.message.make_query("allowed.test", "A").to_wire()

    async def ask_twice(url: str) -> tuple[list[bytes], int]:
        upstream = Upstream([Server.parse(url)], timeout=2, tls=trusted)
        try:
            answers = [await upstream.query(message) for _ in range(2)]
            return answers, sum(len(kept) for kept in upstream._idle.values())
        finally:
            upstream.close()

    answers, kept = asyncio.run(ask_twice(f"https://{host}:{port}/dns-query#dns.shield.test"))
    for answer in answers:
        assert answer[:2] == message[:2]  # the asker's id back, though it went as 0
        assert dns.message.from_wire(answer).answer[0][0].to_text() == "192.0.2.10"
    assert kept == 1
    with pytest.raises(UpstreamError, match="404"):  # a path the server does not serve
        asyncio.run(ask_twice(f"https://{host}:{port}/elsewhere#dns.shield.test"))
    with pytest.raises(UpstreamError):  # a certificate that does not name the server
        asyncio.run(ask_twice(f"https://{host}:{port}/dns-query#elsewhere.example"))


@pytest.mark.parametrize(
    ("response", "reason"),
    [
        (b"HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n", "500"),
        (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nhi", "not DNS"),
        (b"HTTP/1.1 200 OK\r\nContent-Type: application/dns-message\r\n\r\n", "Content-Length"),
        (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/dns-message\r\n"
            b"Content-Length: 99999\r\n\r\n",
            "99999 bytes",
        ),
        (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/dns-message\r\nX: " + b"y" * 70_000,
            "too long",
        ),
        (b"garbage\r\n\r\n", "garbage"),
        (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/dns-message\r\n"
            b"Transfer-Encoding: chunked\r\n\r\nzz\r\n",
            "bad chunk",
        ),
    ],
)
def test_a_bad_https_answer_is_an_upstream_error_not_a_crash(tls, tls_files, response, reason):
    import asyncio

    from waypost.shield.upstream import Server, Upstream, UpstreamError

    message = dns.message.make_query("allowed.test", "A").to_wire()

    async def scenario() -> None:
        async def handle(reader, writer):
            await reader.readuntil(b"\r\n\r\n")
            writer.write(response)
            await writer.drain()
            await asyncio.sleep(0.2)
            writer.close()

        listener = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=tls)
        host, port = listener.sockets[0].getsockname()[:2]
        trusted = ssl.create_default_context(cafile=tls_files[0])
        upstream = Upstream(
            [Server.parse(f"https://{host}:{port}#dns.shield.test")], timeout=1, tls=trusted
        )
        try:
            with pytest.raises(UpstreamError, match=reason):
                await upstream.query(message)
        finally:
            upstream.close()
            listener.close()

    asyncio.run(scenario())


def test_a_chunked_https_answer_is_read(tls, tls_files):
    import asyncio

    from waypost.shield.upstream import Server, Upstream

    query = dns.message.make_query("chunked.test", "A")
    reply = dns.message.make_response(query)
    reply.answer.append(dns.rrset.from_text("chunked.test.", 60, "IN", "A", "192.0.2.44"))
    body = reply.to_wire()

    async def scenario() -> bytes:
        async def handle(reader, writer):
            await reader.readuntil(b"\r\n\r\n")
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/dns-message\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n"
                + b"%x\r\n%s\r\n" % (10, body[:10])
                + b"%x\r\n%s\r\n" % (len(body) - 10, body[10:])
                + b"0\r\n\r\n"
            )
            await writer.drain()

        listener = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=tls)
        host, port = listener.sockets[0].getsockname()[:2]
        trusted = ssl.create_default_context(cafile=tls_files[0])
        upstream = Upstream(
            [Server.parse(f"https://{host}:{port}#dns.shield.test")], timeout=1, tls=trusted
        )
        try:
            return await upstream.query(query.to_wire())
        finally:
            upstream.close()
            listener.close()

    answer = dns.message.from_wire(asyncio.run(scenario()))
    assert answer.answer[0][0].to_text() == "192.0.2.44"
