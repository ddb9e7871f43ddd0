"""Stage 3's checklist: support in place (an ally, or support documented) and attendance."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from waypost.connect import attendance
from waypost.connect.services import end_link
from waypost.core.models import TimelineEvent
from waypost.program import gates

pytestmark = pytest.mark.django_db


def _checks(enrollment):
    return {c.criterion.key: c for c in gates.checklist(enrollment, stage=3)}


@pytest.fixture
def without_allies(cast):
    """The cast's client with every ally link ended."""
    for link in cast.enrollment.ally_links.filter(ended_at__isnull=True):
        end_link(link=link, by=cast.client)
    return cast.enrollment


@pytest.fixture
def log():
    """A throwaway attendance source whose occasions the test writes into a list."""
    occasions: list[attendance.Attended] = []

    def count(enrollment, since):
        return sum(1 for o in occasions if since is None or o.at >= since)

    def latest(enrollment, limit):
        return sorted(occasions, key=lambda o: o.at, reverse=True)[:limit]

    attendance.register(attendance.AttendanceSource("test_log", "Test log", count, latest))
    yield occasions
    attendance.unregister("test_log")


def test_an_open_ally_link_puts_support_in_place(cast):
    check = _checks(cast.enrollment)["ally_connected"]
    assert check.result.met is True
    assert "allies connected" in str(check.result.detail)


def test_without_an_ally_support_is_not_in_place_until_the_clinician_documents_it(
    cast, without_allies, client
):
    assert _checks(without_allies)["ally_connected"].result.met is False
    # when the clinician writes down the client's sponsor
    client.force_login(cast.clinician)
    url = reverse("connect:document_support", args=[without_allies.pk])
    response = client.post(url, {"note": "A sponsor from a weekly meeting, since May."})
    assert response.status_code == 302
    # then it counts, kept encrypted on the timeline and audited
    check = _checks(without_allies)["ally_connected"].result
    assert check.met is True
    assert "support documented" in str(check.detail)
    event = TimelineEvent.objects.get(enrollment=without_allies, kind="connect.support_documented")
    assert event.detail == "A sponsor from a weekly meeting, since May."
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT detail FROM {TimelineEvent._meta.db_table} WHERE id = %s",  # noqa: S608
            [event.pk],
        )
        (stored,) = cursor.fetchone()
    assert "sponsor" not in str(stored)


def test_an_empty_note_is_refused_and_changes_nothing(cast, without_allies, client):
    client.force_login(cast.clinician)
    url = reverse("connect:document_support", args=[without_allies.pk])
    response = client.post(url, {"note": "   "})
    assert response.status_code == 200
    assert not TimelineEvent.objects.filter(kind="connect.support_documented").exists()
    assert _checks(without_allies)["ally_connected"].result.met is False


def test_another_clinician_cannot_document_support(cast, without_allies, client):
    client.force_login(cast.other_clinician)
    url = reverse("connect:document_support", args=[without_allies.pk])
    response = client.post(url, {"note": "Not my client."})
    assert response.status_code in (403, 404)
    assert not TimelineEvent.objects.filter(kind="connect.support_documented").exists()


def test_attendance_counts_meetings_and_groups_since_the_stage_began(cast, log):
    from waypost.program.services import change_stage

    change_stage(enrollment=cast.enrollment, to_stage=3, reason="Ready.", by=cast.clinician)
    cast.enrollment.refresh_from_db()
    entered = cast.enrollment.stage_entered_at
    # one before Stage 3 began does not count; five after it do
    log.append(attendance.Attended("test_log", entered - timedelta(days=2), "Before", False))
    for day in range(5):
        log.append(attendance.Attended("test_log", entered + timedelta(hours=day + 1), "X", True))
    check = _checks(cast.enrollment)["meetings_attended"]
    assert check.params == {"sessions": 6}
    assert check.result.met is False
    assert str(check.result.detail).startswith("5 ")
    log.append(attendance.Attended("test_log", timezone.now(), "Sixth", False))
    assert _checks(cast.enrollment)["meetings_attended"].result.met is True


def test_the_clinic_sets_how_many_sessions_count(cast, log):
    cast.clinic.gate_settings = {"3": {"meetings_attended": {"sessions": 1}}}
    cast.clinic.save()
    cast.enrollment.refresh_from_db()
    assert _checks(cast.enrollment)["meetings_attended"].result.met is False
    log.append(attendance.Attended("test_log", timezone.now(), "One", False))
    assert _checks(cast.enrollment)["meetings_attended"].result.met is True


def test_reading_the_note_is_audited_and_signing_in_comes_first(cast, without_allies, client):
    from waypost.connect.support import document_support
    from waypost.core.models import AuditEvent

    document_support(enrollment=without_allies, text="A sponsor.", by=cast.clinician)
    url = reverse("connect:document_support", args=[without_allies.pk])
    # someone signed out is sent to sign in
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    # the clinician reads the note, and the reading is in the audit trail
    client.force_login(cast.clinician)
    assert "A sponsor." in client.get(url).content.decode()
    assert AuditEvent.objects.filter(
        actor=cast.clinician, client=cast.client, action="view", what="support arrangements"
    ).exists()
