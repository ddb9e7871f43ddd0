"""The record's Connections card: allies and what they see, support, attendance, sessions."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from waypost.connect import attendance
from waypost.connect.support import document_support
from waypost.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _card(client, cast) -> str:
    client.force_login(cast.clinician)
    page = client.get(reverse("caseload:record", args=[cast.enrollment.pk])).content.decode()
    start = page.index('aria-labelledby="connections-heading"')
    return page[start : page.index("</section>", start)]


def test_the_clinician_sees_each_ally_and_what_they_see(client, cast):
    card = _card(client, cast)
    assert cast.ally_all.name in card
    assert cast.ally_none.name in card and "sees nothing yet" in card
    # an ally whose link ended is not listed
    assert cast.ally_ended.name not in card
    # and the card was audited as seen
    assert AuditEvent.objects.filter(
        actor=cast.clinician, client=cast.client, what="connections"
    ).exists()


def test_the_latest_support_note_and_attendance_are_shown(client, cast):
    document_support(enrollment=cast.enrollment, text="First note.", by=cast.clinician)
    document_support(enrollment=cast.enrollment, text="A sponsor, weekly.", by=cast.clinician)
    went = attendance.Attended("test_card", timezone.now(), "Tuesday lunchtime group", True)
    attendance.register(
        attendance.AttendanceSource(
            "test_card", "Test meetings", lambda e, since: 1, lambda e, limit: [went]
        )
    )
    try:
        card = _card(client, cast)
    finally:
        attendance.unregister("test_card")
    assert "A sponsor, weekly." in card and "First note." not in card
    assert "Test meetings: <strong>1</strong>" in card
    assert "Tuesday lunchtime group" in card


def test_other_clinicians_never_see_the_card(client, cast):
    document_support(enrollment=cast.enrollment, text="Private note.", by=cast.clinician)
    client.force_login(cast.other_clinician)
    response = client.get(reverse("caseload:record", args=[cast.enrollment.pk]))
    assert response.status_code in (403, 404)
    assert b"Private note." not in response.content
