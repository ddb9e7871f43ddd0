"""Web push: the server's VAPID key, and sending a notification to a person's devices.

**The key.** Push services accept a message only from the server that the device
subscribed with: the server signs each request with its VAPID key (RFC 8292) and the
browser was given the public half when it subscribed. The key is made once and kept
in the keys directory beside the secret key and the encryption keys
(``vapid_private_key``, mode 0600), or comes from ``WAYPOST_VAPID_PRIVATE_KEY`` (or
``WAYPOST_VAPID_PRIVATE_KEY_FILE``). A new key means every device must turn push on
again, so it is never replaced. ``WAYPOST_VAPID_SUBJECT`` is the contact the push
services see (``mailto:`` or an ``https:`` address); by default the address
Waypost's e-mail comes from.

**Sending.** pywebpush encrypts the message for the device (RFC 8291, aes128gcm) and
adds the signature; the request goes only to an endpoint :mod:`addresses` allows,
on the address it checked. The message itself is discreet: "Waypost" and "You have
something new", whatever the news; the link inside opens the page behind sign-in.
A push service that answers 404 or 410 has forgotten the device: its subscription is
deleted. Other failures are counted on the subscription and logged (no endpoint in
the log: it is a secret of the device); one that arrives sets the count back to
nought, and a device that failed ``MAX_FAILURES`` pushes in a row is deleted too.

**Never for long.** Each push to a device has one deadline, ``TIMEOUT_SECONDS`` in
all (connecting, TLS, sending, the answer): before each step the socket may wait
only for the time left, and past the deadline the push stops, so a push service
that answers one byte at a time cannot hold the worker.
"""

from __future__ import annotations

import base64
import http.client
import io
import json
import logging
import os
import socket
import ssl
import time
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parseaddr
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import F, PositiveSmallIntegerField, Value
from django.db.models.functions import Least
from django.templatetags.static import static
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from py_vapid import Vapid
from pywebpush import WebPusher

from waypost.conf import env_str
from waypost.notifications import addresses, kinds
from waypost.notifications.models import Notification, PushSubscription

log = logging.getLogger(__name__)

VAPID_KEY_FILE = "vapid_private_key"
#: How long a push service keeps a message for a device that is offline.
TTL_SECONDS = 6 * 60 * 60
#: The whole of one push to one device, in seconds.
TIMEOUT_SECONDS = 10
GONE = frozenset({404, 410})
#: Failed pushes in a row after which a device is forgotten.
MAX_FAILURES = 5
#: The most of the push service's answer that is read.
ANSWER_MAX = 4096


# --- the key ---------------------------------------------------------------------------------


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


@cache
def _load_key(configured: str, path: str) -> Vapid:
    if configured:
        text = configured.strip()
        if "-----BEGIN" in text:
            return Vapid.from_pem(text.encode("utf-8"))
        return Vapid.from_string(text)
    key_file = Path(path)
    if not key_file.exists():
        fresh = Vapid()
        fresh.generate_keys()
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it a moment ago: read theirs
        else:
            with os.fdopen(fd, "wb") as out:
                out.write(fresh.private_pem())
    return Vapid.from_pem(key_file.read_bytes())


def vapid_key() -> Vapid:
    """The server's VAPID key: from the environment, else the keys directory (made once)."""
    return _load_key(
        env_str("WAYPOST_VAPID_PRIVATE_KEY"), str(Path(settings.KEYS_DIR) / VAPID_KEY_FILE)
    )


def public_key() -> str:
    """The public half, as the browser's ``applicationServerKey`` takes it (base64url)."""
    from cryptography.hazmat.primitives import serialization

    raw = vapid_key().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _b64url(raw)


def subject() -> str:
    """Who runs this server, for the push services: ``mailto:`` or ``https:``."""
    configured = env_str("WAYPOST_VAPID_SUBJECT").strip()
    if configured:
        return configured
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return f"mailto:{address}" if "@" in address else settings.SITE_URL


# --- the request -----------------------------------------------------------------------------


@dataclass
class Answer:
    """What the push service answered (the little of a response that pywebpush reads)."""

    status_code: int
    reason: str = ""
    text: str = ""
    headers: dict[str, str] = field(default_factory=dict)


class _Deadline:
    """The time left of one push; ``left()`` raises ``TimeoutError`` once it has passed."""

    def __init__(self, seconds: float) -> None:
        self.ends = time.monotonic() + seconds

    def left(self) -> float:
        remaining = self.ends - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the push took too long")
        return remaining


class _SocketReader(io.RawIOBase):
    """Reads a socket for http.client, each read allowed only the time left."""

    def __init__(self, sock: socket.socket, deadline: _Deadline) -> None:
        self.sock = sock
        self.deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self.sock.settimeout(self.deadline.left())
        return self.sock.recv_into(buffer)


class _DeadlineSocket:
    """The little of a socket http.client uses, every step within the push's deadline."""

    def __init__(self, sock: socket.socket, deadline: _Deadline) -> None:
        self.sock = sock
        self.deadline = deadline

    def sendall(self, data: bytes) -> None:
        self.sock.settimeout(self.deadline.left())
        self.sock.sendall(data)

    def makefile(self, mode: str = "rb", *args: Any, **kwargs: Any) -> io.BufferedReader:
        return io.BufferedReader(_SocketReader(self.sock, self.deadline))

    def close(self) -> None:
        self.sock.close()


class _CheckedPoster:
    """Posts like ``requests.post``, but only to the addresses :mod:`addresses` checked.

    ``timeout`` is the whole request's (see the module's docstring), not each read's.
    """

    def __init__(self, target: addresses.Target) -> None:
        self.target = target

    def _connect(self, deadline: _Deadline) -> socket.socket:
        failure: OSError | None = None
        for address in self.target.addresses:
            try:
                return socket.create_connection((str(address), self.target.port), deadline.left())
            except TimeoutError:
                raise
            except OSError as exc:
                failure = exc
        assert failure is not None  # there is always at least one address
        raise failure

    def post(self, endpoint: str, *, data: bytes | None, headers: Any, timeout: float) -> Answer:
        target = self.target
        deadline = _Deadline(timeout)
        sock = self._connect(deadline)
        connection: http.client.HTTPConnection
        try:
            if target.secure:
                context = ssl.create_default_context()
                sock.settimeout(deadline.left())
                sock = context.wrap_socket(sock, server_hostname=target.host)
                connection = http.client.HTTPSConnection(target.host, target.port)
            else:
                connection = http.client.HTTPConnection(target.host, target.port)
        except BaseException:
            sock.close()
            raise
        # The socket goes to the address checked above, never to a second lookup.
        connection.sock = _DeadlineSocket(sock, deadline)
        try:
            connection.request("POST", target.path, body=data or b"", headers=dict(headers))
            response = connection.getresponse()
            body = response.read(ANSWER_MAX)
            return Answer(
                status_code=response.status,
                reason=response.reason,
                text=body.decode("utf-8", "replace"),
                headers=dict(response.getheaders()),
            )
        finally:
            connection.close()


def _payload(notification: Notification) -> bytes:
    language = notification.user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        message = {
            "title": "Waypost",
            "body": _("You have something new."),
            "url": notification.url,
            "icon": static("waypost/icon-192.png"),
            "tag": f"waypost-{notification.pk}",
        }
    return json.dumps(message, separators=(",", ":")).encode("utf-8")


def _headers(target: addresses.Target, *, urgent: bool) -> dict[str, str]:
    scheme = "https" if target.secure else "http"
    default_port = 443 if target.secure else 80
    netloc = target.host if target.port == default_port else f"{target.host}:{target.port}"
    claims = {"sub": subject(), "aud": f"{scheme}://{netloc}", "exp": int(time.time()) + 12 * 3600}
    headers: dict[str, str] = dict(vapid_key().sign(claims))
    headers["Urgency"] = "high" if urgent else "normal"
    return headers


@dataclass
class PushResult:
    """What one push did, for the task's log."""

    sent: int = 0
    gone: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"sent": self.sent, "gone": self.gone, "failed": self.failed}


def send_to_device(
    subscription: PushSubscription, message: bytes, *, urgent: bool = False
) -> int | None:
    """Post one encrypted message to one device; the push service's status (None: not sent)."""
    try:
        target = addresses.resolve(subscription.endpoint)
    except addresses.EndpointRefused as refused:
        log.warning("push subscription %s refused: %s", subscription.pk, refused.reason)
        return None
    pusher = WebPusher(subscription.info(), requests_session=_CheckedPoster(target))
    try:
        answer = pusher.send(
            message,
            _headers(target, urgent=urgent),
            ttl=TTL_SECONDS,
            timeout=TIMEOUT_SECONDS,
        )
    except (OSError, ssl.SSLError, http.client.HTTPException) as exc:
        log.warning("push to subscription %s failed: %s", subscription.pk, type(exc).__name__)
        return None
    return int(answer.status_code)


def deliver(*, notification_id: int, now: datetime | None = None) -> PushResult:
    """Push one notification to each of its person's devices, once (a claim, then the sends).

    Locked kinds (risk alerts, escalations) go with ``Urgency: high``.
    """
    now = now or timezone.now()
    result = PushResult()
    claimed = Notification.objects.filter(
        pk=notification_id, push=Notification.Push.WAITING
    ).update(push=Notification.Push.SENT, pushed_at=now)
    if not claimed:
        return result  # pushed already, by this run or another
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    if not notification.user.is_active:
        return result
    message = _payload(notification)
    try:
        urgent = kinds.get(notification.kind).locked
    except KeyError:
        urgent = False
    for subscription in PushSubscription.objects.filter(user_id=notification.user_id):
        status = send_to_device(subscription, message, urgent=urgent)
        if status is not None and 200 <= status < 300:
            PushSubscription.objects.filter(pk=subscription.pk).update(
                last_pushed_at=now, failures=0
            )
            result.sent += 1
        elif status in GONE:
            subscription.delete()
            result.gone += 1
        else:
            log.warning("push to subscription %s answered %s", subscription.pk, status)
            result.failed += 1
            if _count_failure(subscription):
                result.gone += 1
    return result


def _count_failure(subscription: PushSubscription) -> bool:
    """One more failure in a row (never past ``MAX_FAILURES``); True if the device went."""
    mine = PushSubscription.objects.filter(pk=subscription.pk)
    mine.update(
        failures=Least(
            F("failures") + 1, Value(MAX_FAILURES), output_field=PositiveSmallIntegerField()
        )
    )
    dropped, _rows = mine.filter(failures__gte=MAX_FAILURES).delete()
    if dropped:
        log.warning(
            "push subscription %s failed %s times in a row: forgotten",
            subscription.pk,
            MAX_FAILURES,
        )
    return bool(dropped)
