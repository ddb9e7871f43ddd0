"""Story: a clinic admin opens the clinic's outcomes, looks at all time and then at one
clinician's clients, and reads the charts and the numbers behind them; no client is named,
and nothing resting on fewer than 5 clients is shown."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e

# Screenshots to look at (UX.md: a page is done when its screenshots look right).
SHOTS = Path("/tmp/shots/outcomes")  # noqa: S108 - a fixed place people look, not a secret


def _history(cast):
    """Ten more clients with a few months of history, relative to now: five more of Cleo's
    (six with the cast's client) and five of Otto's, so each caseload may be looked at."""
    from django.utils import timezone

    from tests.outcomes.helpers import a_client, an_alert, check_ins, phq9
    from waypost.clinics.models import ClinicianProfile

    now = timezone.now()
    today = timezone.localdate(now)
    colleague = ClinicianProfile.objects.get(user=cast.other_clinician)
    for profile, start in (
        *((cast.clinician_profile, score) for score in (20, 14, 18, 22, 9)),
        *((colleague, score) for score in (9, 12, 16, 11, 19)),
    ):
        enrollment = a_client(
            cast, profile=profile, joined=200, stages=((150, 2), (60, 3)), now=now
        )
        phq9(enrollment, (190, start), (40, start - 6), (5, start - 10), now=now)
        check_ins(enrollment, [today - timedelta(days=d) for d in range(1, 60) if d % 4])
        an_alert(enrollment, raised=30, acknowledged_after=timedelta(hours=2), now=now)
    return [cast.client.name, "Zed Outcome"]


def test_admin_reads_the_outcomes_for_the_clinic_and_for_one_clinician(e2e_cast, signed_in):
    names = _history(e2e_cast)
    SHOTS.mkdir(parents=True, exist_ok=True)

    # Given the clinic admin on the clinic's overview, at a desk
    page = signed_in(e2e_cast.admin, DESKTOP)
    page.goto("/clinic/")

    # When they open the outcomes from the overview
    page.get_by_role("link", name=re.compile("^Outcomes")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outcomes")
    expect(page.locator(".outcomes-scope")).to_contain_text("Whole clinic · Last 90 days")

    # Then every figure has its chart and the table behind it
    for title in (
        "Clients in each stage now",
        "Time in stage",
        "Change on each measure",
        "Questionnaire completion",
        "Check-in adherence",
        "Risk alerts and time to acknowledge",
    ):
        figure = page.get_by_role("region", name=title)
        expect(figure.get_by_role("img").first).to_be_visible()
        expect(figure.get_by_role("table")).to_be_visible()
    stages = page.get_by_role("table", name="The numbers: Clients in each stage now")
    expect(stages.get_by_role("row", name=re.compile("All stages"))).to_contain_text("11")
    page.screenshot(path=str(SHOTS / "e2e_clinic_90_days_1280.png"), full_page=True)

    # When they choose all time
    page.get_by_role("navigation", name="Period").get_by_role("link", name="All time").click()
    expect(page.locator(".outcomes-scope")).to_contain_text("Whole clinic · All time")
    alerts = page.get_by_role("region", name="Risk alerts and time to acknowledge")
    expect(alerts.locator("dt:text-is('Raised') + dd")).to_have_text("10")

    # and then one clinician's clients, from a chosen first day
    page.get_by_role("combobox", name="Clients").select_option(label="Cleo Clinician’s clients")
    page.get_by_label("From", exact=True).fill("2020-01-01")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".outcomes-scope")).to_contain_text("Cleo Clinician’s clients ·")
    expect(page.locator(".outcomes-scope")).to_contain_text("1 Jan 2020")
    # Six of the clinic's eleven clients are hers; five of them have a PHQ-9 to judge.
    expect(
        page.get_by_role("table", name="The numbers: Clients in each stage now").get_by_role(
            "row", name=re.compile("All stages")
        )
    ).to_contain_text("6")
    change = page.get_by_role("region", name="Change on each measure")
    phq9_row = change.get_by_role("row", name=re.compile("PHQ-9"))
    expect(phq9_row).to_contain_text("100% (5 of 5)")  # every one reliably improved
    # Of her clients only the cast's is in Stage 2 now: too few to say for how long so far.
    time_row = page.get_by_role("table", name="The numbers: Time in stage").get_by_role(
        "row", name=re.compile("Stage 2")
    )
    expect(time_row.get_by_role("cell")).to_have_text(
        ["5", "90 days", "fewer than 5", "fewer than 5"]
    )
    expect(alerts.locator("dt:text-is('Raised') + dd")).to_have_text("5")
    page.screenshot(path=str(SHOTS / "e2e_one_clinician_1280.png"), full_page=True)
    html = page.content()
    assert not [name for name in names if name in html]

    # And on a phone the same page reads top to bottom, its filters within the screen
    phone = signed_in(e2e_cast.admin, PHONE)
    phone.goto(page.url)
    expect(phone.locator(".outcomes-scope")).to_contain_text("Cleo Clinician’s clients ·")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE
    phone.screenshot(path=str(SHOTS / "e2e_one_clinician_390.png"), full_page=True)
