"""Story: a risk alert for Sam waits unacknowledged past the clinic's time; the escalation
task passes it to Otto, the clinician on call; Otto signs in on his phone, sees the alert
in his risk inbox marked as passed to him, and acknowledges it with a note. The clinic's
admin then sees on the risk overview who was told and who acknowledged."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e


@pytest.fixture
def passed_to_otto(e2e_cast):
    from waypost.clinics.models import ClinicianProfile
    from waypost.safety import escalation
    from waypost.safety.services import raise_alert

    cast = e2e_cast
    escalation.save_policy(
        clinic=cast.clinic,
        by=cast.admin,
        enabled=True,
        first_after_minutes=30,
        second_after_minutes=240,
    )
    today = escalation.local_today(cast.clinic)
    escalation.add_shift(
        clinic=cast.clinic,
        by=cast.admin,
        clinician=ClinicianProfile.objects.get(user=cast.other_clinician),
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=1),
    )
    raised = timezone.now()
    raise_alert(
        enrollment=cast.enrollment,
        kind="critical_item",
        summary="PHQ-9 question 9: answered “More than half the days”",
        source_label="PHQ-9",
        at=raised,
        notify=False,
    )
    # Before the clinic's time nothing happens; 31 minutes later the task passes it on.
    with time_machine.travel(raised + timedelta(minutes=29), tick=False):
        assert escalation.escalate_due().on_call == 0
    with time_machine.travel(raised + timedelta(minutes=31), tick=False):
        assert escalation.escalate_due().on_call == 1
    assert [m.to for m in mail.outbox] == [[cast.other_clinician.email]]
    return cast


def test_an_unacknowledged_alert_reaches_the_clinician_on_call_who_acknowledges_it(
    passed_to_otto, signed_in
):
    cast = passed_to_otto
    # Given Otto, on call, on his phone
    page = signed_in(cast.other_clinician, PHONE)
    # When he opens the risk inbox the e-mail pointed to
    page.goto("/risk/")
    card = page.locator("article.alert-card")
    expect(card).to_have_count(1)
    # Then the alert is there, marked as passed to him, with who was told when
    expect(card).to_contain_text("Passed to you on call: Cleo Clinician's client.")
    expect(card).to_contain_text("More than half the days")
    expect(card).to_contain_text("Passed on to Otto Other (Clinician on call)")
    # and no link to a record he may not open
    expect(card.get_by_role("link", name="Sam Client")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    # When he acknowledges it with a note
    card.get_by_label("What you did or will do").fill("Called Sam; he is with his sister.")
    card.get_by_role("button", name="Acknowledge").click()
    # Then it is acknowledged, by him
    expect(page.get_by_text("Alert acknowledged.")).to_be_visible()
    expect(page.locator("article.alert-card")).to_have_count(0)
    expect(page.locator("#done-heading + ul")).to_contain_text("Acknowledged by Otto Other")

    # And the admin's risk overview says who was told and who acknowledged, not what
    admin = signed_in(cast.admin, DESKTOP)
    admin.goto(f"/clinic/{cast.clinic.slug}/risk/")
    expect(admin.get_by_text("Passed on to Otto Other (Clinician on call)")).to_be_visible()
    expect(admin.get_by_text("by Otto Other")).to_be_visible()
    expect(admin.locator("body")).not_to_contain_text("More than half the days")
