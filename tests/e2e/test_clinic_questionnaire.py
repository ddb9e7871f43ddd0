"""Story: a clinic admin adds the clinic's own questionnaire on a phone, without a server login.

They upload a file with one deliberate mistake and see it named, upload the fixed
file, preview it, check two worked examples from the publication and publish it.
The clinician assigns it; the client answers it on their phone and sees a result. A
client of another clinic neither sees it nor can open it, and their clinician cannot
give it.

Screenshots of each page at 390 and 1280 px go to /tmp/shots/instruments/ (set
WAYPOST_SHOTS to another folder, or to "" for none).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import expect

from tests.assessments.clinic_questionnaires import example
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_accessibility import BLOCKING, describe, run_axe

pytestmark = pytest.mark.e2e

SHOTS = os.environ.get("WAYPOST_SHOTS", "/tmp/shots/instruments")  # noqa: S108 - for people to look at


def shoot(page, name: str) -> None:
    """A full-page screenshot at the page's width, to look at."""
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)


def both_widths(page, name: str) -> None:
    """Checked at phone width (axe, nothing wider than the phone), then screenshots of the
    page at phone and desktop width."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE, f"{page.url} is {width}px wide"
    blocking = [describe(page.url, v) for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(blocking)
    shoot(page, name)
    page.set_viewport_size({"width": DESKTOP, "height": 900})
    shoot(page, name)
    page.set_viewport_size({"width": PHONE, "height": 844})


def test_an_admin_publishes_the_clinics_own_questionnaire_and_a_client_answers_it(
    e2e_cast, signed_in, tmp_path
):
    cast = e2e_cast
    broken = example()
    broken["waypost"]["bands"][1]["min"] = 5  # the deliberate mistake: no band for 4
    (tmp_path / "broken").mkdir()
    (tmp_path / "fixed").mkdir()
    broken_file = tmp_path / "broken" / "example-screen.json"
    broken_file.write_text(json.dumps(broken, indent=2))
    fixed_file = tmp_path / "fixed" / "example-screen.json"
    fixed_file.write_text(json.dumps(example(), indent=2))

    # Given the clinic's admin on a phone, on the clinic's Measures page
    admin = signed_in(cast.admin, PHONE)
    admin.context.add_init_script(AXE_SCRIPT)
    admin.goto(f"/clinic/{cast.clinic.slug}/measures/")
    admin.get_by_role("link", name="Your clinic’s questionnaires").click()
    expect(admin.get_by_role("heading", name="Your clinic’s questionnaires")).to_be_visible()
    both_widths(admin, "list-empty")
    admin.get_by_role("link", name="Upload a questionnaire").click()

    # When they upload a file with a gap between two bands
    admin.get_by_label("Questionnaire file (JSON)").set_input_files(str(broken_file))
    admin.get_by_role("button", name="Upload and check").click()

    # Then the mistake is named, with where it is, and nothing is saved
    problems = admin.get_by_role("alert").filter(has_text="Nothing was saved")
    expect(problems).to_contain_text("The file has a problem. Nothing was saved.")
    expect(problems).to_contain_text("gap between bands 'Low' and 'Some': no band for 4 to 4")
    expect(problems.locator("code")).to_have_text("waypost.bands")
    both_widths(admin, "upload-errors")

    # When they upload the fixed file
    admin.get_by_label("Questionnaire file (JSON)").set_input_files(str(fixed_file))
    admin.get_by_role("button", name="Upload and check").click()

    # Then it is a draft that passes every check, and can be previewed as a client sees it
    expect(admin.get_by_text("Passes every check.")).to_be_visible()
    expect(
        admin.get_by_text("Add at least one worked example from the publication.")
    ).to_be_visible()
    admin.get_by_role("link", name="Preview as a client sees it").click()
    expect(admin.get_by_text("Question 4 of 4")).to_be_visible()
    expect(admin.get_by_text("I found it hard to wind down in the evening")).to_be_visible()
    both_widths(admin, "preview")
    admin.get_by_role("link", name="Back to the version").click()

    # When they check two worked examples from the publication
    admin.get_by_label("Answers").fill("1,2,1,0")
    admin.get_by_label("Total the publication gives").fill("4")
    admin.get_by_label("Band the publication gives").select_option("Some")
    admin.get_by_label("Where it comes from (optional)").fill("Table 2")
    admin.get_by_role("button", name="Add and check").click()
    expect(admin.get_by_text("1 of 1 example agrees.")).to_be_visible()
    admin.get_by_label("Answers").fill("2,2,1,3")
    admin.get_by_label("Total the publication gives").fill("8")
    admin.get_by_label("Band the publication gives").select_option("High")
    admin.get_by_label("critical:example-4").check()
    admin.get_by_label("example-positive").check()
    admin.get_by_role("button", name="Add and check").click()

    # Then both agree, and it can be published
    expect(admin.get_by_text("2 of 2 examples agree.")).to_be_visible()
    both_widths(admin, "examples")
    admin.get_by_role("button", name="Publish version 1").click()
    expect(admin.get_by_text(re.compile("^Published. Clinicians at North Clinic"))).to_be_visible()
    admin.get_by_role("link", name="Your clinic’s questionnaires").first.click()
    expect(admin.get_by_text("Version 1 published")).to_be_visible()
    both_widths(admin, "list")

    # When the clinician assigns it to their client
    clinician = signed_in(cast.clinician, DESKTOP)
    clinician.goto(f"/clients/{cast.enrollment.pk}/measures/")
    clinician.get_by_label("Questionnaire", exact=True).select_option("example-screen")
    clinician.get_by_role("button", name="Assign").click()
    expect(clinician.get_by_text("Assigned.")).to_be_visible()

    # Then the client finds it on their phone under its plain name, and answers it
    client = signed_in(cast.client, PHONE)
    client.goto("/today/")
    client.get_by_role("link", name="Start Example check-in").click()
    # (one tap per question: tapping an answer sends it and shows the next)
    for number, answer in enumerate(["Quite a lot", "A little", "Not at all", "A little"], 1):
        expect(client.get_by_text(f"Question {number} of 4").first).to_be_visible()
        client.get_by_role("radio", name=answer).click()
    expect(client.get_by_role("heading", name="Check your answers")).to_be_visible()
    client.get_by_role("button", name="Send").click()
    # 2 + 1 + 0 + 1 = 4: "Some"
    expect(client.get_by_text("4", exact=True).first).to_be_visible()
    expect(client.get_by_text("Some", exact=True).first).to_be_visible()

    from waypost.assessments.models import Administration

    form = Administration.objects.get(enrollment=cast.enrollment, instrument_id="example-screen")
    assert (form.status, form.total, form.band) == ("completed", 4, "Some")
    assert form.clinic_instrument is not None and form.clinic_instrument.revision == 1

    # And a client of another clinic neither sees it nor can open it
    foreign = signed_in(cast.foreign_client, PHONE)
    foreign.goto("/measures/")
    expect(foreign.get_by_text("Example check-in")).to_have_count(0)
    response = foreign.goto(f"/measures/{form.pk}/")
    assert response is not None and response.status == 404
    # and their clinician cannot give it
    other = signed_in(cast.foreign_clinician, DESKTOP)
    other.goto(f"/clients/{cast.foreign_enrollment.pk}/measures/")
    options = other.get_by_label("Questionnaire", exact=True).locator("option")
    expect(options.filter(has_text="EX-4")).to_have_count(0)
