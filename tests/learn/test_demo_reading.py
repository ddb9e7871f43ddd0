"""The demo shows reading at every stage: client 1 part-way through, the others well read."""

from __future__ import annotations

import pytest
from django.utils import timezone

from waypost.learn.models import ModuleProgress, ReadingAssignment
from waypost.learn.selectors import core_reading
from waypost.program import gates

pytestmark = pytest.mark.django_db


def test_client_1_has_read_two_core_modules_and_has_two_assigned(demo):
    now, client = demo
    enrollment = client(1)
    assert core_reading(enrollment.client_id).read == 2
    assigned = ReadingAssignment.objects.filter(enrollment=enrollment, withdrawn_at__isnull=True)
    assert assigned.count() == 2
    due = sorted(a.due_on for a in assigned)
    assert (due[0] - timezone.localdate()).days <= 3  # one due soon
    [check] = [c for c in gates.checklist(enrollment) if c.criterion.key == "core_modules_read"]
    assert check.result.detail == "2 of 5 read"


@pytest.mark.parametrize("n", [2, 3, 4])
def test_later_clients_have_read_every_core_module_and_more(demo, n):
    _now, client = demo
    enrollment = client(n)
    reading = core_reading(enrollment.client_id)
    assert reading.read == reading.total == 5
    read = ModuleProgress.objects.filter(client=enrollment.client, read_at__isnull=False).count()
    assert read > 5


def test_no_reading_is_dated_in_the_future(demo):
    now, _client = demo
    for progress in ModuleProgress.objects.all():
        assert progress.started_at <= now
        assert progress.read_at is None or progress.started_at <= progress.read_at <= now
        assert progress.note_updated_at is None or progress.note_updated_at <= now
    for assignment in ReadingAssignment.objects.all():
        assert assignment.enrollment.created_at <= assignment.assigned_at <= now
