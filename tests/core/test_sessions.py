"""A signed-in session slides its expiry while used, without a write on every page."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.assessments.helpers import sign_in
from waypost.core.sessions import REFRESH_SECONDS

pytestmark = pytest.mark.django_db


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def _writes(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]


def test_pages_within_five_minutes_do_not_write_the_session(cast, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, cast.client)
        assert client.get("/today/").status_code == 200
        first = _expiry(client)
    with time_machine.travel(start + timedelta(seconds=REFRESH_SECONDS - 1), tick=False):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/today/").status_code == 200
        assert not [sql for sql in _writes(ctx) if "django_session" in sql]
        assert _expiry(client) == first


def test_a_page_after_five_minutes_moves_the_expiry_on(cast, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, cast.client)
        client.get("/today/")
        first = _expiry(client)
    later = start + timedelta(seconds=REFRESH_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        client.get("/today/")
        moved = _expiry(client)
    assert moved - first == timedelta(seconds=REFRESH_SECONDS + 1)
    assert abs((moved - later).total_seconds() - settings.SESSION_COOKIE_AGE) < 1


def test_an_idle_session_ends(cast, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, cast.client)
        client.get("/today/")
    with time_machine.travel(start + timedelta(seconds=settings.SESSION_COOKIE_AGE + 1)):
        response = client.get("/today/")
    assert response.status_code == 302
    assert "login" in response["Location"]
