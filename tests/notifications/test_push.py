"""Web push for real: a small push service on 127.0.0.1 receives what Waypost sends.

The test plays the browser: it makes the device's keys (a P-256 key pair and a 16-byte
auth secret), gives Waypost the subscription, and decrypts what arrives with http_ece
(RFC 8291, aes128gcm), as the browser would. It also checks the VAPID signature
(RFC 8292) against the server's public key.
"""

from __future__ import annotations

import base64
import json
import os
import stat
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
import time_machine
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.utils import timezone
from py_vapid import Vapid

from tests.notifications.helpers import TEST_KIND
from waypost.notifications import addresses, push, services
from waypost.notifications.models import Notification, PushSubscription

pytestmark = pytest.mark.django_db


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PushService:
    """A push service on 127.0.0.1: keeps each request, answers with ``status``."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.status = 201
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length", "0"))
                service.received.append(
                    {
                        "path": self.path,
                        "headers": dict(self.headers.items()),
                        "body": self.rfile.read(length),
                    }
                )
                self.send_response(service.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> PushService:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class Device:
    """The browser's side of a subscription: its key pair and auth secret."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)

    @property
    def p256dh(self) -> str:
        raw = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(raw)

    def subscribe(self, user) -> PushSubscription:
        return services.subscribe_device(
            user=user, endpoint=self.endpoint, p256dh=self.p256dh, auth=b64url(self.auth)
        )

    def read(self, body: bytes) -> dict:
        plain = http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth, version="aes128gcm"
        )
        return json.loads(plain)


@pytest.fixture
def service(settings):
    settings.WAYPOST_PUSH_ALLOW_LOOPBACK = True
    with PushService() as running:
        yield running


def _notify_with_push(user, commit, key="news:1", url="/measures/"):
    with commit(execute=True):
        return services.notify(
            user=user,
            kind=TEST_KIND,
            title="A questionnaire is waiting for you",
            body="It takes a few minutes.",
            url=url,
            dedupe_key=key,
        )


def test_a_push_arrives_encrypted_discreet_and_signed(
    cast, news, service, django_capture_on_commit_callbacks
):
    # given a client who turned notifications on for one device
    device = Device(service.origin + "/push/device-1")
    device.subscribe(cast.client)
    # when they are notified
    outcome = _notify_with_push(cast.client, django_capture_on_commit_callbacks)
    # then the push service got one request for that device
    assert outcome.push
    (request,) = service.received
    assert request["path"] == "/push/device-1"
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert headers["content-encoding"] == "aes128gcm"
    assert int(headers["ttl"]) == push.TTL_SECONDS
    # and only the device can read it: "Waypost", nothing about what it is
    message = device.read(request["body"])
    assert message["title"] == "Waypost"
    assert message["body"] == "You have something new."
    assert message["url"] == "/measures/"
    assert "questionnaire" not in json.dumps(message).lower()
    # and it is signed with the server's VAPID key, for this push service, not for long
    schema, _, token_and_key = headers["authorization"].partition(" ")
    assert schema == "vapid"
    parts = dict(part.split("=", 1) for part in token_and_key.split(","))
    assert parts["k"] == push.public_key()
    assert Vapid.verify(headers["authorization"])
    claims = json.loads(unb64url(parts["t"].split(".")[1]))
    assert claims["aud"] == service.origin
    assert claims["sub"].startswith("mailto:")
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600
    # and the notification is marked pushed: a second run sends nothing
    row = Notification.objects.get()
    assert row.push == Notification.Push.SENT and row.pushed_at is not None
    assert push.deliver(notification_id=row.pk).sent == 0
    assert len(service.received) == 1


def test_every_device_of_the_person_gets_it(
    cast, news, service, django_capture_on_commit_callbacks
):
    phone, laptop = Device(service.origin + "/p/1"), Device(service.origin + "/p/2")
    phone.subscribe(cast.client)
    laptop.subscribe(cast.client)
    Device(service.origin + "/p/3").subscribe(cast.clinician)  # someone else's
    _notify_with_push(cast.client, django_capture_on_commit_callbacks)
    assert sorted(r["path"] for r in service.received) == ["/p/1", "/p/2"]
    phone.read(next(r for r in service.received if r["path"] == "/p/1")["body"])
    laptop.read(next(r for r in service.received if r["path"] == "/p/2")["body"])


@pytest.mark.parametrize("status", [404, 410])
def test_a_device_the_push_service_forgot_is_dropped(
    cast, news, service, django_capture_on_commit_callbacks, status
):
    Device(service.origin + "/gone").subscribe(cast.client)
    service.status = status
    _notify_with_push(cast.client, django_capture_on_commit_callbacks)
    assert not PushSubscription.objects.exists()


def test_another_failure_keeps_the_device_and_counts_it(
    cast, news, service, django_capture_on_commit_callbacks
):
    Device(service.origin + "/busy").subscribe(cast.client)
    service.status = 503
    _notify_with_push(cast.client, django_capture_on_commit_callbacks)
    assert PushSubscription.objects.get().failures == 1


def test_a_device_that_fails_five_times_in_a_row_is_forgotten(
    cast, news, service, django_capture_on_commit_callbacks
):
    Device(service.origin + "/flaky").subscribe(cast.client)
    service.status = 503
    for n in range(1, 5):
        _notify_with_push(cast.client, django_capture_on_commit_callbacks, key=f"news:{n}")
        assert PushSubscription.objects.get().failures == n
    # one that arrives starts the count again
    service.status = 201
    _notify_with_push(cast.client, django_capture_on_commit_callbacks, key="news:ok")
    assert PushSubscription.objects.get().failures == 0
    service.status = 503
    for n in range(1, 5):
        _notify_with_push(cast.client, django_capture_on_commit_callbacks, key=f"again:{n}")
    assert PushSubscription.objects.get().failures == 4
    _notify_with_push(cast.client, django_capture_on_commit_callbacks, key="again:5")
    assert not PushSubscription.objects.exists()


def test_the_failure_count_never_passes_the_limit(cast, news, service):
    subscription = Device(service.origin + "/x").subscribe(cast.client)
    # a count already at the limit (two workers at once): one more, and the device goes
    PushSubscription.objects.filter(pk=subscription.pk).update(failures=push.MAX_FAILURES - 1)
    assert push._count_failure(subscription) is True
    other = Device(service.origin + "/y").subscribe(cast.client)
    assert push._count_failure(other) is False
    assert PushSubscription.objects.get().failures == 1


class TricklingService:
    """A push service that answers one byte at a time, and never finishes."""

    def __init__(self) -> None:
        import socket

        self.listener = socket.create_server(("127.0.0.1", 0))
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}"

    def _serve(self) -> None:
        self.listener.settimeout(0.1)
        while not self.stop.is_set():
            try:
                conn, _address = self.listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(65536)
                answer = b"HTTP/1.1 201 Created\r\nX-Slow: " + b"a" * 100000
                for byte in answer:
                    if self.stop.wait(0.05):
                        return
                    try:
                        conn.sendall(bytes([byte]))
                    except OSError:
                        break

    def __enter__(self) -> TricklingService:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(5)
        self.listener.close()


def test_a_push_service_that_trickles_cannot_hold_the_worker(cast, news, settings, monkeypatch):
    settings.WAYPOST_PUSH_ALLOW_LOOPBACK = True
    monkeypatch.setattr(push, "TIMEOUT_SECONDS", 1)
    with TricklingService() as slow:
        subscription = Device(slow.origin + "/slow").subscribe(cast.client)
        started = time.monotonic()
        # each byte comes well within a read's timeout; the whole push has one deadline
        assert push.send_to_device(subscription, b"{}") is None
        assert time.monotonic() - started < 3


def test_a_person_keeps_at_most_ten_devices(cast, service):
    base = timezone.now()
    for n in range(services.MAX_DEVICES):
        with time_machine.travel(base + timedelta(minutes=n), tick=False):
            Device(service.origin + f"/d/{n}").subscribe(cast.client)
    Device(service.origin + "/other").subscribe(cast.clinician)
    # the same device again is not one more
    with time_machine.travel(base + timedelta(minutes=20), tick=False):
        Device(service.origin + "/d/3").subscribe(cast.client)
    assert PushSubscription.objects.filter(user=cast.client).count() == 10
    # an eleventh: the oldest goes
    with time_machine.travel(base + timedelta(minutes=30), tick=False):
        Device(service.origin + "/d/new").subscribe(cast.client)
    mine = PushSubscription.objects.filter(user=cast.client)
    assert mine.count() == 10
    assert services.endpoint_hash(service.origin + "/d/0") not in {s.endpoint_hash for s in mine}
    assert services.endpoint_hash(service.origin + "/d/new") in {s.endpoint_hash for s in mine}
    assert PushSubscription.objects.filter(user=cast.clinician).count() == 1


def test_a_device_taken_over_from_someone_else_is_kept_over_the_limit(cast, service):
    shared = Device(service.origin + "/shared")
    base = timezone.now()
    with time_machine.travel(base - timedelta(days=30), tick=False):
        shared.subscribe(cast.clinician)  # long ago, on a shared computer
    for n in range(services.MAX_DEVICES):
        Device(service.origin + f"/d/{n}").subscribe(cast.client)
    shared.subscribe(cast.client)
    mine = PushSubscription.objects.filter(user=cast.client)
    assert mine.count() == 10
    assert services.endpoint_hash(shared.endpoint) in {s.endpoint_hash for s in mine}


def test_loopback_is_refused_unless_a_test_allows_it(cast, news, settings):
    with PushService() as running:
        device = Device(running.origin + "/push/x")
        settings.WAYPOST_PUSH_ALLOW_LOOPBACK = True
        subscription = device.subscribe(cast.client)
        settings.WAYPOST_PUSH_ALLOW_LOOPBACK = False
        assert push.send_to_device(subscription, b"{}") is None
        assert running.received == []


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://push.example.org/x",  # not https
        "https://127.0.0.1/x",
        "https://10.0.0.8/x",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/x",
        "https://[::ffff:10.0.0.1]/x",
        "https://localhost/x",
        "https://0x7f.1/x",
        "ftp://push.example.org/x",
        "https://user:secret@push.example.org/x",
        "https:///no-host",
        "https://push.example.org:8443/x",  # push services listen on 443
        "https://push.example.org:22/x",
        "http://127.0.0.1:8080/x",  # loopback only when a test allows it
    ],
)
def test_endpoints_that_reach_inside_are_refused(endpoint):
    with pytest.raises(addresses.EndpointRefused):
        addresses.check_form(endpoint)


def test_a_name_that_resolves_to_a_private_address_is_refused_before_any_request(monkeypatch):
    import socket

    def private(host, port, type=0):  # noqa: A002 - socket's name
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.168.1.5", port))]

    monkeypatch.setattr(socket, "getaddrinfo", private)
    with pytest.raises(addresses.EndpointRefused) as refused:
        addresses.resolve("https://push.example.org/x")
    assert refused.value.reason == "private_address"


def test_loopback_on_any_port_stays_allowed_for_tests(settings):
    settings.WAYPOST_PUSH_ALLOW_LOOPBACK = True
    assert addresses.check_form("http://127.0.0.1:8080/x")[2] == 8080
    assert addresses.check_form("https://push.example.org:443/x")[2] == 443
    with pytest.raises(addresses.EndpointRefused):
        addresses.check_form("https://push.example.org:8443/x")


def test_a_public_push_service_is_allowed(monkeypatch):
    import socket

    def public(host, port, type=0):  # noqa: A002
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port))]

    monkeypatch.setattr(socket, "getaddrinfo", public)
    target = addresses.resolve("https://updates.push.services.example/wpush/v2/abc?x=1")
    assert (target.secure, target.port, target.path) == (True, 443, "/wpush/v2/abc?x=1")


# --- the key ---------------------------------------------------------------------------------


def test_the_key_is_made_once_and_kept_private_in_the_keys_directory(settings, tmp_path):
    settings.KEYS_DIR = tmp_path
    push._load_key.cache_clear()
    try:
        first = push.public_key()
        path = tmp_path / push.VAPID_KEY_FILE
        assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
        push._load_key.cache_clear()
        assert push.public_key() == first  # read back, never made again
        assert len(unb64url(first)) == 65 and unb64url(first)[0] == 4
    finally:
        push._load_key.cache_clear()


def test_the_key_can_come_from_the_environment(settings, tmp_path, monkeypatch):
    settings.KEYS_DIR = tmp_path
    made = Vapid()
    made.generate_keys()
    monkeypatch.setenv("WAYPOST_VAPID_PRIVATE_KEY", made.private_pem().decode())
    push._load_key.cache_clear()
    try:
        expected = b64url(
            made.public_key.public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )
        assert push.public_key() == expected
        assert not (tmp_path / push.VAPID_KEY_FILE).exists()
    finally:
        push._load_key.cache_clear()


def test_the_contact_is_the_from_address_unless_set(settings, monkeypatch):
    settings.DEFAULT_FROM_EMAIL = "Waypost <care@clinic.example>"
    assert push.subject() == "mailto:care@clinic.example"
    monkeypatch.setenv("WAYPOST_VAPID_SUBJECT", "https://clinic.example")
    assert push.subject() == "https://clinic.example"
