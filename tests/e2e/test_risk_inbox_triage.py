"""Story: on a phone, a clinician opens a risk inbox with two alerts: the most severe answer
is on top even though it is the newer one, each says how long it has waited, the late one
is marked overdue, and each has a call link to the client's phone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.cast import make_user
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.e2e


@pytest.fixture
def two_alerts(e2e_cast):
    from waypost.program.services import enroll_client
    from waypost.safety.services import raise_alert

    # Sam (the cast's client) answered mildly two days ago; Robin, most severely, 3 h ago.
    e2e_cast.client.phone = "+65 9123 4567"
    e2e_cast.client.save(update_fields=["phone"])
    robin = make_user("robin@north.test", "Robin Reyes", phone="+65 8111 2222")
    robin_enrollment = enroll_client(
        client=robin, clinician_profile=e2e_cast.clinician_profile, by=e2e_cast.clinician
    )
    now = timezone.now()
    raise_alert(
        enrollment=e2e_cast.enrollment,
        kind="critical_item",
        summary="PHQ-9 question 9: answered “Several days”",
        source_label="PHQ-9",
        at=now - timedelta(days=2, hours=1),
        notify=False,
        severity=33,
    )
    raise_alert(
        enrollment=robin_enrollment,
        kind="critical_item",
        summary="PHQ-9 question 9: answered “Nearly every day”",
        source_label="PHQ-9",
        at=now - timedelta(hours=3, minutes=10),
        notify=False,
        severity=100,
    )
    return e2e_cast


def test_a_clinician_sees_two_alerts_most_severe_first_with_a_call_link(two_alerts, signed_in):
    # Given the clinician on a phone
    page = signed_in(two_alerts.clinician, PHONE)
    # When they open the risk inbox from the navigation badge
    page.goto("/risk/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk inbox")
    cards = page.locator("article.alert-card")
    expect(cards).to_have_count(2)
    # Then the most severe answer is on top, though it came later
    first, second = cards.nth(0), cards.nth(1)
    expect(first.get_by_role("heading")).to_have_text("Robin Reyes")
    expect(second.get_by_role("heading")).to_have_text("Sam Client")
    expect(first).to_contain_text("The most severe answer the question allows.")
    # and each says how long it has waited; the one past 24 hours is overdue
    expect(first).to_contain_text("open 3 h")
    expect(first).not_to_contain_text("overdue")
    expect(second).to_contain_text("open 2 days")
    expect(second).to_contain_text("overdue")
    # and each has a call link to the client's phone, big enough for a thumb
    call = first.get_by_role("link", name="Call Robin Reyes: +65 8111 2222")
    expect(call).to_have_attribute("href", "tel:+6581112222")
    box = call.bounding_box()
    assert box is not None and box["height"] >= 44
    expect(second.get_by_role("link", name="Call Sam Client: +65 9123 4567")).to_have_attribute(
        "href", "tel:+6591234567"
    )
    # and nothing runs off the side of the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
