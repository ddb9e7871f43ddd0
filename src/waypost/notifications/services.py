"""Writes of the notifications app: notifying someone, reading, choosing, devices.

Public API for the apps that send
- ``decide(user, kind, now, *, fallback_time_zone=None) -> Plan``: now, later (quiet
  hours) or never, and on which channels; for a sender that claims its work first.
- ``notify(*, user, kind, title, url, dedupe_key, body="", now=None,
  fallback_time_zone=None, language=None, email=None) -> Outcome``: tell someone.

``notify`` delivers on each channel the person has on for the kind (``choices``):

- **in-app**: a row on their Notifications page and the count in the header;
- **e-mail**: ``email()`` if the sender gave one (its own words: every e-mail Waypost
  sent before this app keeps its text), else a short one from the title and link;
- **web push**: queued once the transaction commits (``tasks.push_notification``),
  to every device the person turned on; discreet ("You have something new").

In quiet hours it writes nothing and answers ``held``: the sender keeps the work and
a later run, after the quiet hours, calls again (the model every task here already
followed). ``dedupe_key`` names the news; one row per person and key, so a retried
task never notifies twice (``duplicate``). An e-mail that fails raises, and nothing
of the notification is kept, so the sender's retry sends it all again.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from waypost.accounts.notifications import Decision
from waypost.core.discretion import is_discreet
from waypost.notifications import choices, kinds
from waypost.notifications.kinds import Channel
from waypost.notifications.models import Notification, Preference, PushSubscription

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from waypost.accounts.models import User

log = logging.getLogger(__name__)

TITLE_MAX = 120
BODY_MAX = 500
#: The devices one person may have turned on; an eleventh replaces the oldest.
MAX_DEVICES = 10


def preference_of(user: User, kind: kinds.NotificationKind) -> Preference | None:
    return Preference.objects.filter(user=user, kind=kind.key).first()


def has_devices(user: User) -> bool:
    return PushSubscription.objects.filter(user=user).exists()


def decide(
    user: User,
    kind: str,
    now: datetime,
    *,
    fallback_time_zone: str | None = None,
    only: frozenset[Channel] | None = None,
) -> choices.Plan:
    """Notify ``user`` of ``kind`` now, later (quiet hours) or never; and on which channels.

    ``only``: of the person's channels, just these (a sender that wrote the in-app entry
    in quiet hours and holds the rest asks for the rest, or for the in-app entry alone).
    """
    found = kinds.get(kind)
    if not user.is_active:
        return choices.Plan(Decision.NEVER, frozenset())
    choice = choices.chosen(found, preference_of(user, found))
    if only is not None:
        choice = choices.Choice(choice.channels & only, choice.at_time)
    wants_push = Channel.PUSH in choice.channels
    channels = choices.reachable(user, found, choice, has_devices=wants_push and has_devices(user))
    return choices.plan(user, found, channels, now, fallback_time_zone=fallback_time_zone)


@dataclass(frozen=True)
class Outcome:
    """What :func:`notify` did."""

    decision: Decision
    in_app: bool = False
    emailed: bool = False
    push: bool = False
    duplicate: bool = False
    notification_id: int | None = None

    @property
    def held(self) -> bool:
        """Quiet hours: nothing was written; call again after they end."""
        return self.decision == Decision.LATER

    @property
    def delivered(self) -> bool:
        """Something reached the person (or will: a queued push)."""
        return self.in_app or self.emailed or self.push


def check_url(url: str) -> str:
    """A page inside Waypost ("/…", never "//host" or another scheme); else ValueError.

    Only printable ASCII, no spaces: browsers drop tabs and line breaks from a link, so
    "/", a tab, then "/evil.example" would become "//evil.example", another site.
    """
    if (
        not url.startswith("/")
        or url.startswith(("//", "/\\"))
        or "\\" in url
        or len(url) > 500
        or any(not 0x21 <= ord(ch) <= 0x7E for ch in url)
    ):
        raise ValueError(f"a notification links to a page inside Waypost, not {url!r}")
    return url


def _discreet(text: str, fallback: str, limit: int) -> str:
    text = " ".join(text.split())[:limit]
    if is_discreet(text):
        return text
    log.warning("a notification text was not discreet; a neutral one was used instead")
    return fallback


def _default_email(
    user: User, kind: kinds.NotificationKind, title: str, body: str, url: str
) -> None:
    text = render_to_string(
        "notifications/email/notification.txt",
        {
            "name": user.get_short_name(),
            "title": title,
            "body": body,
            "url": settings.SITE_URL + url,
        },
    )
    send_mail(str(kind.email_subject or _("Waypost: something new")), text, None, [user.email])


def notify(
    *,
    user: User,
    kind: str,
    title: StrOrPromise,
    url: str,
    dedupe_key: str,
    body: StrOrPromise = "",
    now: datetime | None = None,
    fallback_time_zone: str | None = None,
    language: str | None = None,
    email: Callable[[], object] | None = None,
    only: frozenset[Channel] | None = None,
) -> Outcome:
    """Tell ``user`` about something, on the channels they chose for ``kind``.

    ``title`` and ``body`` are short and discreet (shown in the list behind sign-in;
    checked, and replaced by a neutral line if they are not); lazy text is made in the
    person's language (theirs, else ``language``: their clinic's). ``url`` is a page
    inside Waypost. ``email`` sends the sender's own e-mail; without one a short
    e-mail is made from the title. ``only`` narrows the person's channels to these
    (see :func:`decide`). See the module's docstring for the rest.
    """
    found = kinds.get(kind)
    check_url(url)
    now = now or timezone.now()
    plan = decide(user, kind, now, fallback_time_zone=fallback_time_zone, only=only)
    if plan.decision != Decision.SEND:
        return Outcome(plan.decision)
    with translation.override(user.language or language or settings.LANGUAGE_CODE):
        title_text = _discreet(str(title), _("Something new in Waypost"), TITLE_MAX)
        body_text = _discreet(str(body), "", BODY_MAX)
        wants_email = Channel.EMAIL in plan.channels
        wants_push = Channel.PUSH in plan.channels
        with transaction.atomic():
            try:
                with transaction.atomic():
                    row = Notification.objects.create(
                        user=user,
                        kind=kind,
                        dedupe_key=dedupe_key[:200],
                        title=title_text,
                        body=body_text,
                        url=url,
                        created_at=now,
                        shown=Channel.IN_APP in plan.channels,
                        emailed=wants_email,
                        push=Notification.Push.WAITING if wants_push else Notification.Push.NONE,
                    )
            except IntegrityError:
                return Outcome(Decision.SEND, duplicate=True)
            if wants_email:
                if email is not None:
                    email()
                else:
                    _default_email(user, found, title_text, body_text, url)
    if wants_push:
        from waypost.notifications import tasks

        notification_id = row.pk
        transaction.on_commit(lambda: tasks.push_notification(notification_id))
    return Outcome(
        Decision.SEND,
        in_app=row.shown,
        emailed=wants_email,
        push=wants_push,
        notification_id=row.pk,
    )


# --- reading -------------------------------------------------------------------------------


def mark_read(*, user: User, notification_id: int, now: datetime | None = None) -> bool:
    """Mark one of the person's own notifications read; False if it is not theirs or gone."""
    now = now or timezone.now()
    mine = Notification.objects.filter(user=user, pk=notification_id, shown=True)
    if not mine.exists():
        return False
    mine.filter(read_at__isnull=True).update(read_at=now)
    return True


def mark_all_read(*, user: User, now: datetime | None = None) -> int:
    """Mark every unread notification of the person read; how many were unread."""
    now = now or timezone.now()
    return Notification.objects.filter(user=user, shown=True, read_at__isnull=True).update(
        read_at=now
    )


# --- choosing ------------------------------------------------------------------------------


def save_choices(
    *,
    user: User,
    chosen: Mapping[str, choices.Choice],
    quiet_hours: tuple[time | None, time | None] | None = None,
    now: datetime | None = None,
) -> None:
    """Keep the person's choices: channels (and a time) per kind, and their quiet hours.

    Only kinds for the person, and not locked, are kept; others are ignored. The
    "E-mail me reminders" switch on Me follows the reminder kinds: on when any of them
    has e-mail ticked, off when none has (so both pages say the same).
    """
    from waypost.access.policy import roles_of

    now = now or timezone.now()
    allowed = {kind.key: kind for kind in kinds.kinds_for(roles_of(user)) if not kind.locked}
    fields: list[str] = []
    with transaction.atomic():
        stored = {
            p.kind: p
            for p in Preference.objects.select_for_update().filter(
                user=user, kind__in=[key for key in chosen if key in allowed]
            )
        }
        for key, choice in chosen.items():
            kind = allowed.get(key)
            if kind is None:
                continue
            at_time = choice.at_time if kind.timed else None
            before = stored.get(key)
            values: dict[str, Any] = {
                "in_app": Channel.IN_APP in choice.channels,
                "email": Channel.EMAIL in choice.channels,
                "push": Channel.PUSH in choice.channels,
                "at_time": at_time,
                "updated_at": now,
            }
            # Only a new time is "chosen now" (today's reminder then waits for tomorrow).
            if before is None:
                values["time_chosen_at"] = now if at_time is not None else None
            elif before.at_time != at_time:
                values["time_chosen_at"] = now
            Preference.objects.update_or_create(user=user, kind=key, defaults=values)
        reminder_keys = [key for key, kind in allowed.items() if kind.reminder]
        if reminder_keys and all(key in chosen for key in reminder_keys):
            user.email_reminders = any(
                Channel.EMAIL in chosen[key].channels for key in reminder_keys
            )
            fields.append("email_reminders")
        if quiet_hours is not None:
            user.quiet_hours_start, user.quiet_hours_end = quiet_hours
            fields += ["quiet_hours_start", "quiet_hours_end"]
        if fields:
            user.save(update_fields=fields)


def choices_for(user: User) -> list[tuple[kinds.NotificationKind, choices.Choice]]:
    """Each kind the person gets and what they chose (e-mail shown as it would go)."""
    from waypost.access.policy import roles_of

    mine = kinds.kinds_for(roles_of(user))
    stored = {
        p.kind: p for p in Preference.objects.filter(user=user, kind__in=[k.key for k in mine])
    }
    shown = []
    for kind in mine:
        choice = choices.chosen(kind, stored.get(kind.key))
        channels = set(choice.channels)
        if kind.reminder and not kind.locked and not user.email_reminders:
            channels.discard(Channel.EMAIL)
        shown.append((kind, choices.Choice(frozenset(channels), choice.at_time)))
    return shown


# --- devices -------------------------------------------------------------------------------


class DeviceRefused(Exception):
    """A subscription we will not keep; the message says why, kindly."""


def endpoint_hash(endpoint: str) -> str:
    return hashlib.sha256(endpoint.encode("utf-8")).hexdigest()


def _key(value: Any, size: int) -> str:
    import base64

    if not isinstance(value, str) or not 0 < len(value) <= 200:
        raise DeviceRefused(_("This browser sent keys we cannot use."))
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except ValueError:
        raise DeviceRefused(_("This browser sent keys we cannot use.")) from None
    if len(raw) != size or (size == 65 and raw[0] != 4):
        raise DeviceRefused(_("This browser sent keys we cannot use."))
    return value


def subscribe_device(
    *, user: User, endpoint: Any, p256dh: Any, auth: Any, now: datetime | None = None
) -> PushSubscription:
    """Keep a device's push subscription for ``user`` (again: updated, never doubled).

    The endpoint must be an https address of a push service (``addresses.check_form``);
    the keys must be a P-256 public key (65 bytes) and a 16-byte secret. A device that
    was someone else's (a shared computer) now belongs to whoever turned it on last.
    A person keeps at most ``MAX_DEVICES``: turning on one more forgets the oldest.
    """
    from waypost.notifications import addresses

    now = now or timezone.now()
    if not isinstance(endpoint, str):
        raise DeviceRefused(_("This browser did not say where to send notifications."))
    try:
        addresses.check_form(endpoint)
    except addresses.EndpointRefused:
        raise DeviceRefused(_("This browser's notification service cannot be used.")) from None
    p256dh = _key(p256dh, 65)
    auth = _key(auth, 16)
    with transaction.atomic():
        return _keep_device(user=user, endpoint=endpoint, p256dh=p256dh, auth=auth, now=now)


def _keep_device(
    *, user: User, endpoint: str, p256dh: str, auth: str, now: datetime
) -> PushSubscription:
    from waypost.accounts.models import User as UserModel

    # One subscribe at a time per person, so two at once cannot keep eleven devices.
    list(UserModel.objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint_hash=endpoint_hash(endpoint),
        defaults={
            "user": user,
            "endpoint": endpoint,
            "p256dh": p256dh,
            "auth": auth,
            "failures": 0,
        },
        create_defaults={
            "user": user,
            "endpoint": endpoint,
            "p256dh": p256dh,
            "auth": auth,
            "created_at": now,
        },
    )
    others = (
        PushSubscription.objects.filter(user=user)
        .exclude(pk=subscription.pk)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
    )
    oldest = list(others[MAX_DEVICES - 1 :])
    if oldest:
        PushSubscription.objects.filter(pk__in=oldest).delete()
    return subscription


def unsubscribe_device(*, user: User, endpoint: Any) -> bool:
    """Forget the person's device with this endpoint; False if there was none."""
    if not isinstance(endpoint, str) or not endpoint:
        return False
    deleted, _rows = PushSubscription.objects.filter(
        user=user, endpoint_hash=endpoint_hash(endpoint)
    ).delete()
    return bool(deleted)
