"""The demo's therapy group: a fortnightly Saturday group with a history and two exceptions."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from waypost.connect.groups import schedule
from waypost.connect.groups.models import Attendance, GroupProgramme, GroupSession, Weekday
from waypost.connect.groups.selectors import changes_of
from waypost.connect.models import AllyLink

pytestmark = pytest.mark.django_db


def test_the_demo_group_meets_every_other_saturday_with_a_history(demo):
    now, client = demo
    programme = GroupProgramme.objects.get()
    assert programme.time_zone == "Asia/Singapore"
    assert (programme.weekday, programme.start_time, programme.end_time) == (
        Weekday.SATURDAY,
        time(13),
        time(15),
    )
    assert programme.interval_weeks == 2
    assert {p.user.email for p in programme.facilitators.all()} == {
        "clinician@demo.waypost.test",
        "clinician2@demo.waypost.test",
    }
    members = {m.enrollment_id for m in programme.members.filter(left_at__isnull=True)}
    assert members == {client(2).pk, client(3).pk, client(4).pk}
    marks = Attendance.objects.all()
    assert marks.filter(status="present").count() >= 5
    assert marks.filter(status="excused").count() == 1
    assert all(mark.session.starts_at < now for mark in marks)
    # one cancelled and one moved session, both still ahead
    cancelled = GroupSession.objects.get(cancelled=True)
    moved = GroupSession.objects.get(moved_start__isnull=False)
    assert cancelled.original_start > now and moved.moved_start > now
    ahead = schedule.occurrences(
        programme.series, now, moved.moved_start + timedelta(days=1), changes_of(programme)
    )
    assert [o.moved for o in ahead] == [False, True]  # the next one, then the moved one
    assert cancelled.original_start not in [o.original for o in ahead]
    # Wei Jie shares his group sessions with his ally
    link = AllyLink.objects.get(enrollment=client(2), ended_at__isnull=True)
    assert "groups" in link.scopes
