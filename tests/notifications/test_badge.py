"""The unread count in the header: how many, never what, and cheap on every page.

On Today it is one of Today's facts, so the page makes no query more than without it
(Today is held to 8); elsewhere it costs one small ``COUNT``.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from waypost.access.policy import roles_of
from waypost.core import facts
from waypost.notifications.models import Notification
from waypost.notifications.templatetags.notification_tags import shown_count

pytestmark = pytest.mark.django_db

TODAY = reverse("program:today")
SECRET_TITLE = "A questionnaire is waiting for you"


def keep(user, n: int, *, read: bool = False) -> None:
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            user=user,
            kind="assessments.due",
            dedupe_key=f"badge:{read}:{i}",
            title=SECRET_TITLE,
            url="/measures/",
            created_at=now - timedelta(minutes=i),
            read_at=now if read else None,
        )
        for i in range(n)
    )


def badge(page: str) -> str | None:
    found = re.search(r'class="badge notifications-count">([^<]*)<', page)
    return found.group(1) if found else None


def _count(client, url: str) -> int:
    client.get(url)  # the first page after signing in saves the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_today_shows_the_count_within_its_query_budget(cast, client):
    client.force_login(cast.client)
    quiet = _count(client, TODAY)
    keep(cast.client, 3)
    keep(cast.client, 2, read=True)
    # the count comes with Today's facts: unread notifications add no query
    assert _count(client, TODAY) == quiet <= 8
    page = client.get(TODAY).content.decode()
    assert badge(page) == "3"
    assert '3<span class="visually-hidden"> unread</span>' in page
    assert SECRET_TITLE not in page  # the count, never the contents


def test_elsewhere_the_count_is_one_query_whatever_the_number(cast, client):
    client.force_login(cast.clinician)
    caseload = reverse("caseload:list")
    keep(cast.clinician, 1)
    one = _count(client, caseload)
    Notification.objects.filter(user=cast.clinician).delete()
    keep(cast.clinician, 2)
    assert _count(client, caseload) == one
    assert badge(client.get(caseload).content.decode()) == "2"


def test_no_unread_means_no_badge_but_the_link_stays(cast, client):
    keep(cast.client, 1, read=True)
    client.force_login(cast.client)
    page = client.get(reverse("accounts:account")).content.decode()
    assert badge(page) is None
    assert 'class="notifications-link" href="/notifications/"' in page


def test_reading_clears_the_badge(cast, client):
    keep(cast.client, 2)
    client.force_login(cast.client)
    assert badge(client.get(TODAY).content.decode()) == "2"
    client.post(reverse("notifications:read_all"))
    assert badge(client.get(TODAY).content.decode()) is None


def test_signed_out_there_is_no_link(client):
    page = client.get(reverse("clinics:directory")).content.decode()
    assert "notifications-link" not in page


def test_the_tag_reads_the_facts_today_already_read(cast):
    keep(cast.client, 4)
    request = RequestFactory().get(TODAY)
    request.user = cast.client
    roles_of(cast.client)
    facts.facts_for(request, cast.enrollment)
    template = Template("{% load notification_tags %}{% notifications_nav %}")
    with CaptureQueriesContext(connection) as captured:
        html = template.render(Context({"request": request}))
    assert len(captured.captured_queries) == 0
    assert badge(html) == "4"


def test_many_show_as_ninety_nine_plus():
    assert shown_count(99) == "99" and shown_count(100) == "99+"
