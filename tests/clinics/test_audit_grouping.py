"""On the audit page, one person's repeated views of one client within half an hour are
one line ("viewed 4 times, 10:02–10:25"); the stored rows stay complete, and changes and
refusals always stand alone."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from waypost.clinics.audit_lines import audit_lines
from waypost.core.audit import record_access
from waypost.core.models import AuditEvent

pytestmark = pytest.mark.django_db

SINGAPORE = ZoneInfo("Asia/Singapore")  # the cast's north clinic's time zone


def _at(hour: int, minute: int) -> datetime:
    # Long before the cast's own rows (written "now"), so those never mix in.
    return datetime(2001, 3, 10, hour, minute, tzinfo=SINGAPORE)


def _view(cast, what: str, at: datetime, *, actor=None, action: str = "view"):
    return record_access(
        actor=actor or cast.clinician,
        enrollment=cast.enrollment,
        action=action,
        what=what,
        at=at,
    )


def _url(cast) -> str:
    return reverse("clinics:audit", kwargs={"slug": cast.clinic.slug})


def _lines(response) -> list:
    """The page's lines for the rows a test writes (the cast's own set-up wrote a few)."""
    return [line for line in response.context["lines"] if line.first.created_at.year == 2001]


def test_four_views_of_one_record_within_half_an_hour_are_one_line(cast, as_admin):
    # given the clinician looked at the client's data four times between 10:02 and 10:25
    views = ((2, "client record"), (9, "measures"), (17, "client record"), (25, "notes"))
    for minute, what in views:
        _view(cast, what, _at(10, minute))
    # when the admin opens the audit page
    response = as_admin.get(_url(cast))
    body = response.content.decode()
    # then one line says so, with the time span and what was looked at
    assert "viewed 4 times" in body
    assert "10 Mar 2001 10:02</time>–<time" in body and ">10:25</time>" in body
    assert len(_lines(response)) == 1
    # and all four rows are still stored
    assert AuditEvent.objects.filter(action="view", created_at__year=2001).count() == 4


def test_views_further_apart_than_the_window_are_separate_lines(cast, as_admin):
    _view(cast, "client record", _at(9, 0))
    _view(cast, "client record", _at(9, 20))
    _view(cast, "client record", _at(10, 0))  # 40 minutes after the line's newest
    lines = _lines(as_admin.get(_url(cast)))
    assert [line.count for line in lines] == [1, 2]


def test_changes_and_refusals_are_never_folded_into_views(cast, as_admin):
    # given a view, a change, a refusal and another view, all within minutes
    _view(cast, "client record", _at(10, 0))
    _view(cast, "stage", _at(10, 1), action="change")
    _view(cast, "client record", _at(10, 2), actor=cast.other_clinician, action="refused")
    _view(cast, "client record", _at(10, 3))
    # when the admin reads the trail
    response = as_admin.get(_url(cast))
    lines = _lines(response)
    # then the two views are one line and the change and the refusal stand alone
    assert [(line.first.action, line.count) for line in lines] == [
        ("view", 2),
        ("refused", 1),
        ("change", 1),
    ]
    assert "was refused" in response.content.decode()


def test_another_persons_views_of_the_same_client_are_their_own_line(cast, as_admin):
    _view(cast, "client record", _at(10, 0))
    _view(cast, "client record", _at(10, 5), actor=cast.admin)
    _view(cast, "client record", _at(10, 10))
    lines = _lines(as_admin.get(_url(cast)))
    assert sorted((line.first.actor_id, line.count) for line in lines) == sorted(
        [(cast.clinician.pk, 2), (cast.admin.pk, 1)]
    )


def test_lines_keep_every_event_in_order_and_lose_none(cast):
    # given a mixed trail, newest first
    start = _at(8, 0)
    for i in range(12):
        _view(
            cast,
            f"thing {i % 3}",
            start + timedelta(minutes=7 * i),
            actor=cast.clinician if i % 4 else cast.admin,
            action="change" if i % 5 == 0 else "view",
        )
    events = list(
        AuditEvent.objects.filter(clinic=cast.clinic, created_at__year=2001).order_by(
            "-created_at", "-id"
        )
    )
    # when they are folded into lines
    lines = audit_lines(events)
    # then every event is in exactly one line, each line within the window and newest first
    assert sorted(e.pk for line in lines for e in line.events) == sorted(e.pk for e in events)
    for line in lines:
        assert line.ended_at - line.started_at <= timedelta(minutes=30)
        assert [e.created_at for e in line.events] == sorted(
            (e.created_at for e in line.events), reverse=True
        )
        assert len({(e.actor_id, e.client_id) for e in line.events}) == 1
