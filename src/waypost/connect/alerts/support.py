""" "I need support now": the client asks the allies they chose for support, in one tap.

The allies who get it are those whose open link allows the consent scope ``support``
(registered here). The request is stored with the client's short message (optional,
encrypted), recorded on the timeline, and, once committed, raises an urgent alert for
each of those allies: an e-mail at once, at any hour, that says only that the client
asked for support, with a link behind sign-in to read the message.

Rules (``request_support``):

- idempotent: a retry with the same ``client_uuid`` stores nothing new;
- nobody to tell (no ally shares the scope) is refused kindly, storing nothing;
- gently rate-limited: one request every :data:`RATE_LIMIT` minutes, so allies are
  not flooded; the page says when the next one can go and offers the crisis lines.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waypost.access.policy import Action, require
from waypost.connect import scopes
from waypost.connect.alerts import events as alert_events
from waypost.connect.alerts import registry, selectors
from waypost.connect.alerts.models import AllyAlert, SupportRequest
from waypost.core import events
from waypost.core.errors import DomainError

if TYPE_CHECKING:
    from waypost.accounts.models import User
    from waypost.connect.models import AllyLink
    from waypost.program.models import Enrollment

SCOPE = selectors.SUPPORT_SCOPE
#: One request every this many minutes, at most.
RATE_LIMIT = timedelta(minutes=5)


class SupportError(DomainError):
    """A request for support cannot go as asked; the message says why, kindly."""

    code = "support_refused"


class TooSoon(SupportError):
    """The last request went less than :data:`RATE_LIMIT` ago; ``next_at`` says when."""

    code = "support_too_soon"

    def __init__(self, message: str, *, next_at: datetime) -> None:
        super().__init__(message)
        self.next_at = next_at


def next_allowed_at(last: SupportRequest | None, now: datetime) -> datetime | None:
    """When the next request may go, or None if it may go now."""
    if last is None or now - last.created_at >= RATE_LIMIT:
        return None
    return last.created_at + RATE_LIMIT


def request_support(
    *,
    enrollment: Enrollment,
    by: User,
    client_uuid: uuid.UUID,
    message: str = "",
    at: datetime | None = None,
) -> SupportRequest:
    """Ask the allies who share "I need support now" for support; return the request.

    Only the client (``Action.MANAGE_ALLIES``: consent, and who hears, is theirs).
    A request with a ``client_uuid`` already stored returns that request and changes
    nothing. Raises :class:`SupportError` (code ``support_no_allies``,
    ``support_too_long``) or :class:`TooSoon`, storing nothing.
    """
    require(by, Action.MANAGE_ALLIES, enrollment)
    stored = SupportRequest.objects.filter(enrollment=enrollment, client_uuid=client_uuid).first()
    if stored is not None:
        return stored
    now = at or timezone.now()
    message = " ".join((message or "").split())
    if len(message) > SupportRequest.MESSAGE_MAX:
        raise SupportError(
            _("Please keep the message to %(max)d characters.")
            % {"max": SupportRequest.MESSAGE_MAX},
            code="support_too_long",
        )
    links = selectors.support_links(enrollment)
    if not links:
        raise SupportError(
            _(
                "Nobody gets these messages yet. Choose an ally you trust on your allies "
                "page and tick “I need support now” for them."
            ),
            code="support_no_allies",
        )
    next_at = next_allowed_at(selectors.last_request(enrollment), now)
    if next_at is not None:
        raise TooSoon(
            _("Your last message went a moment ago. You can send another in a few minutes."),
            next_at=next_at,
        )
    try:
        with transaction.atomic():
            request = SupportRequest.objects.create(
                enrollment=enrollment,
                client_uuid=client_uuid,
                message=message,
                links=[link.pk for link in links],
                created_at=now,
            )
            # The alerts follow from this event, once it is committed (core.events.listen).
            events.record(
                enrollment=enrollment,
                kind=alert_events.SUPPORT_REQUESTED,
                actor=by,
                data={"request": request.pk, "allies": len(links)},
                at=now,
            )
    except IntegrityError:
        # The same request arrived twice at once: the other one stored it.
        stored = SupportRequest.objects.filter(
            enrollment=enrollment, client_uuid=client_uuid
        ).first()
        if stored is None:
            raise
        return stored
    return request


def recipients(request: SupportRequest) -> list[AllyLink]:
    """The ally links a request went to, as they were asked (ended ones too)."""
    from waypost.connect.models import AllyLink

    return list(AllyLink.objects.filter(pk__in=request.links).select_related("ally").order_by("pk"))


# --- how an ally sees it ----------------------------------------------------------------


def messages_of(alerts: Sequence[AllyAlert]) -> Mapping[int, str]:
    """The client's message for each support alert, read in one query."""
    wanted = {alert.pk: alert.event.data.get("request") for alert in alerts}
    found = dict(
        SupportRequest.objects.filter(pk__in=[pk for pk in wanted.values() if pk]).values_list(
            "pk", "message"
        )
    )
    return {alert_id: found.get(request_id) or "" for alert_id, request_id in wanted.items()}


def section_context(link: AllyLink) -> scopes.SectionContext:
    """The ally's section: the recent requests for support that reached them."""
    return {"requests": selectors.requests_reaching(link), "days": selectors.SUPPORT_SECTION_DAYS}


SUPPORT_ALERT = registry.AlertKind(
    key="support.requested",
    scope=SCOPE,
    event_kind=alert_events.SUPPORT_REQUESTED,
    label=gettext_lazy("A request for support"),
    text=gettext_lazy("%(name)s pressed “I need support now”."),
    hint=gettext_lazy(
        "A short call or message to say you are there helps most. You do not need the "
        "right words, and you do not need to ask what happened."
    ),
    urgent=True,
    details=messages_of,
    mail_text=gettext_lazy("%(name)s has asked for your support."),
)


SUPPORT_CONSENT = scopes.ConsentScope(
    SCOPE,
    gettext_lazy("I need support now"),
    gettext_lazy("When you press “I need support now”, these allies get your message."),
    template="ally_alerts/sections/support.html",
    context=section_context,
)


def register() -> None:
    """The consent scope and the urgent alert kind, from the app's ``ready()``."""
    scopes.register(SUPPORT_CONSENT)
    registry.register(SUPPORT_ALERT)
