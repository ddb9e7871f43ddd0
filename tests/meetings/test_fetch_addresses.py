"""Waypost fetches a feed only from the public internet: never from itself, the cloud's
metadata service or the clinic's own network, also not after a redirect.

The tests' feed server listens on 127.0.0.1, so a test that should fetch from it says so:
either with ``WAYPOST_MEETING_FEEDS_ALLOW_PRIVATE`` (the documented opt-in) or by treating
that one address as public while every other private address stays refused.
"""

from __future__ import annotations

import http.server
import ipaddress
import socket
import threading
from collections.abc import Iterator

import pytest
from django.urls import reverse

from tests.meetings.helpers import entry, feed, web_source
from waypost import cli
from waypost.connect.meetings import fetch as fetching
from waypost.connect.meetings.fetch import FetchError, fetch
from waypost.connect.meetings.imports import import_feed
from waypost.connect.meetings.models import Meeting, MeetingSource

OPT_IN = "WAYPOST_MEETING_FEEDS_ALLOW_PRIVATE"


class _Server(http.server.BaseHTTPRequestHandler):
    bodies: dict[str, tuple[int, bytes, dict[str, str]]] = {}
    seen: list[tuple[str, str]] = []  # (path, Host header)

    def do_GET(self):  # noqa: N802 - the standard library's name
        self.seen.append((self.path, self.headers.get("Host", "")))
        status, body, headers = self.bodies.get(self.path, (404, b"not found", {}))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(monkeypatch) -> Iterator[str]:
    monkeypatch.delenv(OPT_IN, raising=False)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Server)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    _Server.bodies = {"/feed.json": (200, feed(entry("a")), {})}
    _Server.seen = []
    yield f"127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def loopback_is_public(monkeypatch):
    """The test server's one address counts as public; every other private one does not."""
    real = fetching.is_public_address

    def public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return str(address) == "127.0.0.1" or real(address)

    monkeypatch.setattr(fetching, "is_public_address", public)


@pytest.fixture
def no_connections(monkeypatch):
    """Fail the test if anything opens a connection."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"a connection was opened: {args!r}")

    monkeypatch.setattr(socket, "create_connection", refuse)


def _resolving(monkeypatch, names: dict[str, list[str]]) -> list[str]:
    """Let ``socket.getaddrinfo`` answer for made-up names; returns the names asked for."""
    asked: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in names:
            asked.append(host)
            answers = names[host]
            address = answers.pop(0) if len(answers) > 1 else answers[0]
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            sockaddr = (address, port or 0, 0, 0) if ":" in address else (address, port or 0)
            return [(family, socket.SOCK_STREAM, 6, "", sockaddr)]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def _refused(url: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch(url)
    return caught.value


# --- what is refused ------------------------------------------------------------------------


def test_the_machine_itself_is_refused_and_never_asked(server):
    error = _refused(f"http://{server}/feed.json")
    assert error.problem.code == "private_address"
    assert error.problem.params["host"] == "127.0.0.1"
    assert _Server.seen == []


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.8/feed.json",
        "http://192.168.1.1/feed.json",
        "http://172.16.0.1/feed.json",
        "http://100.64.0.1/feed.json",
        "http://0.0.0.0/feed.json",
        "http://localhost/feed.json",
        "http://[::1]/feed.json",
        "http://[::ffff:127.0.0.1]/feed.json",
        "http://[::ffff:a9fe:a9fe]/feed.json",
        "http://[fd00::1]/feed.json",
        "http://[fe80::1]/feed.json",
        "http://[2002:7f00:1::]/feed.json",  # 6to4 around 127.0.0.1
        "https://2130706433/feed.json",  # 127.0.0.1 as one number
    ],
)
def test_private_link_local_and_loopback_addresses_are_refused(url, no_connections, monkeypatch):
    monkeypatch.delenv(OPT_IN, raising=False)
    assert _refused(url).problem.code == "private_address"
    assert not fetching.may_fetch_from(url)


def test_a_name_that_resolves_to_a_private_address_is_refused(monkeypatch, no_connections):
    monkeypatch.delenv(OPT_IN, raising=False)
    _resolving(monkeypatch, {"feeds.internal.test": ["10.1.2.3"]})
    error = _refused("https://feeds.internal.test/feed.json")
    assert (error.problem.code, error.problem.params["host"]) == (
        "private_address",
        "feeds.internal.test",
    )


def test_a_name_with_any_private_address_among_public_ones_is_refused(monkeypatch, no_connections):
    monkeypatch.delenv(OPT_IN, raising=False)
    real = socket.getaddrinfo

    def both(host, port, *args, **kwargs):
        if host == "mixed.test":
            return [
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", port)),
            ]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", both)
    assert _refused("http://mixed.test/feed.json").problem.code == "private_address"


def test_a_redirect_to_the_metadata_service_is_refused(server, loopback_is_public):
    _Server.bodies["/go"] = (302, b"", {"Location": "http://169.254.169.254/latest/meta-data/"})
    error = _refused(f"http://{server}/go")
    assert (error.problem.code, error.problem.params["host"]) == (
        "private_address",
        "169.254.169.254",
    )
    assert [path for path, _host in _Server.seen] == ["/go"]


def test_a_redirect_to_a_name_on_the_inside_is_refused(server, loopback_is_public, monkeypatch):
    _resolving(monkeypatch, {"intranet.test": ["10.20.30.40"]})
    _Server.bodies["/go"] = (301, b"", {"Location": "http://intranet.test/admin.json"})
    assert _refused(f"http://{server}/go").problem.code == "private_address"


def test_a_redirect_back_to_this_machine_under_another_address_is_refused(
    server, loopback_is_public
):
    port = server.rsplit(":", 1)[1]
    _Server.bodies["/go"] = (307, b"", {"Location": f"http://127.0.0.2:{port}/feed.json"})
    error = _refused(f"http://{server}/go")
    assert error.problem.code == "private_address"
    assert [path for path, _host in _Server.seen] == ["/go"]


def test_endless_redirects_are_given_up(server, loopback_is_public):
    _Server.bodies["/loop"] = (302, b"", {"Location": "/loop"})
    assert _refused(f"http://{server}/loop").problem.code == "too_many_redirects"


# --- what is allowed --------------------------------------------------------------------------


def test_a_public_address_is_fetched_from_the_address_that_was_checked(
    server, loopback_is_public, monkeypatch
):
    # The name answers 127.0.0.1 (here: public) when checked, then 10.9.9.9: a fetch that
    # looked the name up again would go inside. The checked address is the one used.
    port = server.rsplit(":", 1)[1]
    asked = _resolving(monkeypatch, {"feeds.example.test": ["127.0.0.1", "10.9.9.9"]})
    body = fetch(f"http://feeds.example.test:{port}/feed.json")
    assert body == feed(entry("a"))
    assert asked == ["feeds.example.test"]
    assert _Server.seen == [("/feed.json", f"feeds.example.test:{port}")]


def test_a_redirect_within_public_addresses_is_followed(server, loopback_is_public):
    _Server.bodies["/old.json"] = (301, b"", {"Location": "/feed.json"})
    assert fetch(f"http://{server}/old.json") == feed(entry("a"))


def test_the_opt_in_lets_tests_and_closed_networks_fetch_from_private_addresses(
    server, monkeypatch
):
    monkeypatch.setenv(OPT_IN, "true")
    assert fetch(f"http://{server}/feed.json") == feed(entry("a"))
    assert fetching.may_fetch_from(f"http://{server}/feed.json")


def test_a_malformed_opt_in_is_refused_at_start_up(monkeypatch):
    from django.apps import apps

    from waypost.conf import ConfigError

    monkeypatch.setenv(OPT_IN, "perhaps")
    with pytest.raises(ConfigError):
        apps.get_app_config("meetings").ready()


# --- through the clinic page, the import and the command line ----------------------------------


@pytest.mark.django_db
def test_staff_cannot_add_a_list_at_a_private_address(cast, as_user, monkeypatch):
    monkeypatch.delenv(OPT_IN, raising=False)
    response = as_user(cast.clinician).post(
        reverse("meetings:clinic_source_new", args=[cast.clinic.slug]),
        {"name": "Metadata", "url": "http://169.254.169.254/latest/meta-data/", "refresh": "on"},
    )
    assert response.status_code == 400
    assert "only from the public internet" in response.content.decode()
    assert not MeetingSource.objects.exists()


@pytest.mark.django_db
def test_an_import_from_a_private_address_changes_nothing_and_says_why(cast, server, monkeypatch):
    _resolving(monkeypatch, {"lists.rebound.test": ["127.0.0.1"]})
    port = server.rsplit(":", 1)[1]
    source = web_source(cast.clinic, f"http://lists.rebound.test:{port}/feed.json")
    report = import_feed(source=source)
    assert report.error is not None and report.error.code == "private_address"
    assert "is a private or local address" in report.error_words()
    assert not Meeting.objects.exists()
    assert _Server.seen == []


@pytest.mark.django_db
def test_the_command_line_refuses_a_private_address(cast, server, capsys):
    status = cli.main(["meetings", "import", "--clinic", "north", f"http://{server}/feed.json"])
    _out, err = capsys.readouterr()
    assert status == 2
    assert "only from the public internet" in err
    assert not MeetingSource.objects.exists() and _Server.seen == []
