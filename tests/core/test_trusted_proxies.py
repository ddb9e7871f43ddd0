"""Forwarded headers are believed from trusted proxies only (waypost.proxy)."""

from __future__ import annotations

from typing import Any

import pytest

from waypost.proxy import LOOPBACK, TrustedProxies, parse_networks


def _seen(environ: dict[str, Any], trusted=LOOPBACK) -> dict[str, Any]:
    """What the application behind the filter sees of this request."""
    seen: dict[str, Any] = {}

    def app(env: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.update(env)
        return [b""]

    base = {"REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http", "HTTP_HOST": "127.0.0.1:8000"}
    TrustedProxies(app, trusted)({**base, **environ}, lambda *a: None)
    return seen


def test_the_proxy_on_loopback_says_the_request_came_over_https_for_the_site_from_a_client():
    seen = _seen(
        {
            "HTTP_X_FORWARDED_PROTO": "https",
            "HTTP_X_FORWARDED_HOST": "care.example.org",
            "HTTP_X_FORWARDED_FOR": "203.0.113.7",
        }
    )
    assert seen["wsgi.url_scheme"] == "https"
    assert seen["HTTPS"] == "on"
    assert seen["HTTP_HOST"] == "care.example.org"
    assert seen["REMOTE_ADDR"] == "203.0.113.7"
    # and the headers themselves are gone: nothing downstream reads them again
    assert not any(name.startswith("HTTP_X_FORWARDED") for name in seen)


def test_anyone_else_sending_the_headers_is_not_believed_and_the_headers_are_removed():
    seen = _seen(
        {
            "REMOTE_ADDR": "198.51.100.4",
            "HTTP_X_FORWARDED_PROTO": "https",
            "HTTP_X_FORWARDED_HOST": "evil.example",
            "HTTP_X_FORWARDED_FOR": "10.0.0.1",
            "HTTP_X_REAL_IP": "10.0.0.1",
            "HTTP_FORWARDED": "for=10.0.0.1;proto=https",
        }
    )
    assert seen["wsgi.url_scheme"] == "http"
    assert "HTTPS" not in seen
    assert seen["HTTP_HOST"] == "127.0.0.1:8000"
    assert seen["REMOTE_ADDR"] == "198.51.100.4"
    assert not any(
        name.startswith(("HTTP_X_FORWARDED", "HTTP_FORWARDED", "HTTP_X_REAL")) for name in seen
    )


def test_without_a_proxy_configured_even_loopback_is_not_believed():
    seen = _seen({"HTTP_X_FORWARDED_PROTO": "https"}, trusted=())
    assert seen["wsgi.url_scheme"] == "http"
    assert "HTTP_X_FORWARDED_PROTO" not in seen


def test_the_client_is_the_right_most_address_that_is_not_a_trusted_proxy():
    trusted = LOOPBACK + parse_networks(["10.0.0.0/24"])
    # a client claims to be 192.0.2.1; the outer proxy (10.0.0.5) saw 203.0.113.9
    seen = _seen(
        {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "192.0.2.1, 203.0.113.9, 10.0.0.9"},
        trusted=trusted,
    )
    assert seen["REMOTE_ADDR"] == "203.0.113.9"


def test_a_client_added_value_to_the_left_of_the_proxys_own_is_ignored():
    seen = _seen({"HTTP_X_FORWARDED_PROTO": "http, https", "HTTP_X_FORWARDED_HOST": "a, b.org"})
    assert seen["wsgi.url_scheme"] == "https"
    assert seen["HTTP_HOST"] == "b.org"


@pytest.mark.parametrize("garbled", ["not-an-address", "", "999.1.1.1", "[::1"])
def test_a_garbled_forwarded_for_keeps_the_proxys_own_address(garbled):
    assert _seen({"HTTP_X_FORWARDED_FOR": garbled})["REMOTE_ADDR"] == "127.0.0.1"


def test_an_unknown_scheme_is_ignored():
    assert _seen({"HTTP_X_FORWARDED_PROTO": "gopher"})["wsgi.url_scheme"] == "http"


def test_addresses_with_ports_and_ipv6_are_understood():
    trusted = parse_networks(["::1", "fd00::/8"])
    seen = _seen(
        {"REMOTE_ADDR": "::1", "HTTP_X_FORWARDED_FOR": "[2001:db8::5]:443, fd00::2"},
        trusted=trusted,
    )
    assert seen["REMOTE_ADDR"] == "2001:db8::5"


def test_a_bad_trusted_proxy_entry_is_named():
    with pytest.raises(ValueError, match="'10.0.0.300'"):
        parse_networks(["10.0.0.1", "10.0.0.300"])
