"""Helpers for the messaging tests."""

from __future__ import annotations

import uuid

from django.db import connection

from waypost.caseload.messages import services


def raw_body(message_id: int) -> str:
    """The body column as the database holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM messaging_message WHERE id = %s", [message_id])
        return cursor.fetchone()[0]


def send(cast, who, body: str = "Hello", *, notify: bool = False, **kwargs) -> services.Sent:
    """Send ``body`` in the cast's thread as ``who`` (the cast's client or clinician)."""
    return services.send_message(
        enrollment=cast.enrollment,
        by=who,
        body=body,
        client_uuid=kwargs.pop("client_uuid", uuid.uuid4()),
        notify=notify,
        **kwargs,
    )


def post_message(browser, url: str, body: str, client_uuid: str | None = None):
    return browser.post(url, {"body": body, "client_uuid": client_uuid or str(uuid.uuid4())})
